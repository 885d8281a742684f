import type { ByteSink } from './byte-sink.js';

const LF = 0x0a;

// Where in the chunked framing (RFC 9112 section 7.1) the decoder is.
const SIZE = 0;
const EXTENSION = 1;
const DATA = 2;
const DATA_END = 3;
const DONE = 4;

/** Hex digit value, or -1. */
function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) {
    return byte - 0x30;
  }
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/**
 * Strips `Transfer-Encoding: chunked` framing from a response body, passing the payload to
 * `sink` as slices of the input (nothing is copied). Chunks of the input may end at any byte.
 */
export class ChunkedDecoder implements ByteSink {
  private state = SIZE;
  private remaining = 0;

  constructor(private readonly sink: ByteSink) {}

  /** The last (zero-size) chunk has been read: the server ended the response. */
  get ended(): boolean {
    return this.state === DONE;
  }

  feed(bytes: Uint8Array, start: number, end: number): void {
    let i = start;
    while (i < end) {
      switch (this.state) {
        case SIZE: {
          const byte = bytes[i++];
          const digit = hexValue(byte);
          if (digit >= 0) {
            this.remaining = this.remaining * 16 + digit;
          } else if (byte === LF) {
            this.state = this.remaining === 0 ? DONE : DATA;
          } else {
            // CR, or the start of a chunk extension: skipped up to the line's end.
            this.state = EXTENSION;
          }
          break;
        }
        case EXTENSION:
          if (bytes[i++] === LF) {
            this.state = this.remaining === 0 ? DONE : DATA;
          }
          break;
        case DATA: {
          const stop = Math.min(end, i + this.remaining);
          this.sink.feed(bytes, i, stop);
          this.remaining -= stop - i;
          i = stop;
          if (this.remaining === 0) {
            this.state = DATA_END;
          }
          break;
        }
        case DATA_END:
          if (bytes[i++] === LF) {
            this.state = SIZE;
          }
          break;
        case DONE:
          return;
      }
    }
  }
}
