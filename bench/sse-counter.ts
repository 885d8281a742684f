import type { ByteSink } from './byte-sink.js';

export interface SseCounterOptions {
  /** Called once per `tick` frame: its quote's `ts` (NaN if it has none) and, if asked, symbol. */
  onTick(ts: number, symbol: string): void;
  /** Called once per comment line, such as a heartbeat. */
  onComment?(): void;
  /** Read each tick's symbol too (slower). */
  captureSymbol?: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const COLON = 0x3a;
const QUOTE = 0x22;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

// Where in a line the parser is.
const FIELD_NAME = 0;
const EVENT_VALUE = 1;
const DATA_VALUE = 2;
const OTHER_VALUE = 3;

/** A byte pattern with its KMP failure table, so a match can be followed one byte at a time. */
class Pattern {
  private readonly bytes: Uint8Array;
  private readonly fallback: Int32Array;

  constructor(text: string) {
    this.bytes = Buffer.from(text, 'latin1');
    this.fallback = new Int32Array(this.bytes.length);
    for (let i = 1, k = 0; i < this.bytes.length; i++) {
      while (k > 0 && this.bytes[i] !== this.bytes[k]) {
        k = this.fallback[k - 1];
      }
      if (this.bytes[i] === this.bytes[k]) {
        k++;
      }
      this.fallback[i] = k;
    }
  }

  get length(): number {
    return this.bytes.length;
  }

  /** How much of the pattern is matched after `byte`, given `matched` before it. */
  step(matched: number, byte: number): number {
    let k = matched;
    while (k > 0 && byte !== this.bytes[k]) {
      k = this.fallback[k - 1];
    }
    return byte === this.bytes[k] ? k + 1 : 0;
  }
}

const EVENT = Buffer.from('event', 'latin1');
const DATA = Buffer.from('data', 'latin1');
const TICK = Buffer.from('tick', 'latin1');
const TS_KEY = new Pattern('"ts":');
const SYMBOL_KEY = new Pattern('"symbol":"');

/**
 * A streaming parser of a `text/event-stream` body that only counts `tick` frames and reads the
 * `ts` (and optionally the `symbol`) out of their data without decoding or JSON-parsing it: the
 * load generator must keep up with hundreds of thousands of events a second on one core.
 * Chunks may end at any byte; lines may end in LF, CRLF or CR; comment lines are skipped.
 */
export class SseCounter implements ByteSink {
  private state = FIELD_NAME;
  /** Bytes of the current line's field name so far, and whether they still spell one we want. */
  private nameLength = 0;
  private mayBeEvent = true;
  private mayBeData = true;
  private skipSpace = false;
  private afterCr = false;
  /** Whether the `event:` value so far spells `tick`, and its length. */
  private mayBeTick = true;
  private valueLength = 0;
  private tsMatched = 0;
  private symbolMatched = 0;
  private inSymbol = false;
  // The frame so far.
  private isTick = false;
  private hasData = false;
  private ts = 0;
  private hasTs = false;
  private symbol = '';

  private readonly captureSymbol: boolean;

  constructor(private readonly options: SseCounterOptions) {
    this.captureSymbol = options.captureSymbol ?? false;
  }

  feed(bytes: Uint8Array, start: number, end: number): void {
    let i = start;
    while (i < end) {
      const byte = bytes[i];
      if (this.afterCr) {
        this.afterCr = false;
        if (byte === LF) {
          i++;
          continue;
        }
      }
      if (byte === LF || byte === CR) {
        this.endLine();
        this.afterCr = byte === CR;
        i++;
        continue;
      }
      switch (this.state) {
        case FIELD_NAME:
          this.nameByte(byte);
          i++;
          break;
        case EVENT_VALUE:
          this.eventByte(byte);
          i++;
          break;
        case DATA_VALUE:
          i = this.dataBytes(bytes, i, end);
          break;
        case OTHER_VALUE:
          while (i < end && bytes[i] !== LF && bytes[i] !== CR) {
            i++;
          }
          break;
      }
    }
  }

  private nameByte(byte: number): void {
    if (byte !== COLON) {
      this.mayBeEvent &&= this.nameLength < EVENT.length && EVENT[this.nameLength] === byte;
      this.mayBeData &&= this.nameLength < DATA.length && DATA[this.nameLength] === byte;
      this.nameLength++;
      return;
    }
    this.skipSpace = true;
    if (this.mayBeEvent && this.nameLength === EVENT.length) {
      this.state = EVENT_VALUE;
      this.mayBeTick = true;
      this.valueLength = 0;
    } else if (this.mayBeData && this.nameLength === DATA.length) {
      this.state = DATA_VALUE;
      this.hasData = true;
      this.tsMatched = 0;
      this.symbolMatched = 0;
      this.inSymbol = false;
    } else {
      // A line that starts with a colon is a comment.
      if (this.nameLength === 0) {
        this.options.onComment?.();
      }
      this.state = OTHER_VALUE;
    }
  }

  private eventByte(byte: number): void {
    if (this.skipSpace && byte === SPACE) {
      this.skipSpace = false;
      return;
    }
    this.skipSpace = false;
    this.mayBeTick &&= this.valueLength < TICK.length && TICK[this.valueLength] === byte;
    this.valueLength++;
  }

  /** Reads a data value up to the end of its line or of the input; returns where it stopped. */
  private dataBytes(bytes: Uint8Array, start: number, end: number): number {
    let matched = this.tsMatched;
    let ts = this.ts;
    let hasTs = this.hasTs;
    let i = start;
    for (; i < end; i++) {
      const byte = bytes[i];
      if (byte === LF || byte === CR) {
        break;
      }
      if (matched === TS_KEY.length) {
        if (byte >= DIGIT_0 && byte <= DIGIT_9) {
          ts = ts * 10 + (byte - DIGIT_0);
          hasTs = true;
        } else if (byte !== SPACE || hasTs) {
          matched = 0;
        }
      } else if (matched > 0 || byte === QUOTE) {
        matched = TS_KEY.step(matched, byte);
        if (matched === TS_KEY.length) {
          ts = 0;
          hasTs = false;
        }
      }
      if (this.captureSymbol) {
        this.symbolByte(byte);
      }
    }
    this.tsMatched = matched;
    this.ts = ts;
    this.hasTs = hasTs;
    return i;
  }

  private symbolByte(byte: number): void {
    if (this.inSymbol) {
      if (byte === QUOTE) {
        this.inSymbol = false;
      } else {
        this.symbol += String.fromCharCode(byte);
      }
    } else if (this.symbolMatched < SYMBOL_KEY.length) {
      this.symbolMatched = SYMBOL_KEY.step(this.symbolMatched, byte);
      if (this.symbolMatched === SYMBOL_KEY.length) {
        this.inSymbol = true;
        this.symbol = '';
      }
    }
  }

  private endLine(): void {
    switch (this.state) {
      case FIELD_NAME:
        if (this.nameLength === 0) {
          this.endFrame();
        } else if (this.mayBeData && this.nameLength === DATA.length) {
          this.hasData = true;
        } else if (this.mayBeEvent && this.nameLength === EVENT.length) {
          this.isTick = false;
        }
        break;
      case EVENT_VALUE:
        this.isTick = this.mayBeTick && this.valueLength === TICK.length;
        break;
      case DATA_VALUE:
      case OTHER_VALUE:
        break;
    }
    this.state = FIELD_NAME;
    this.nameLength = 0;
    this.mayBeEvent = true;
    this.mayBeData = true;
    this.inSymbol = false;
  }

  private endFrame(): void {
    if (this.isTick && this.hasData) {
      this.options.onTick(this.hasTs ? this.ts : NaN, this.symbol);
    }
    this.isTick = false;
    this.hasData = false;
    this.hasTs = false;
    this.ts = 0;
    this.symbol = '';
  }
}
