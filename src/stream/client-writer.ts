import { compareEventIds } from '@tickstream/client/contract';
import type { StreamCounters } from '../metrics/stream-counters.js';
import type { FlushQueue } from './flush-queue.js';
import type { Frame } from './frames.js';
import type { SseChannel } from './sse-channel.js';

/** How long and how far a client may fall behind before it is cut off. */
export interface SlowClientLimits {
  maxBytes: number;
  maxMs: number;
}

/**
 * Frames of one turn beyond this go out in more than one write, so that a client can start on a
 * large replay before all of it is framed.
 */
const MAX_WRITE = 64 * 1024;

const byTickId = (a: Frame, b: Frame): number =>
  compareEventIds(a.tick?.id ?? '', b.tick?.id ?? '');

/**
 * Writes one client's frames into its SSE stream, all the frames of an event-loop turn in one
 * write (a few past MAX_WRITE), so that a batch of ticks costs a client one system call, not one
 * per event.
 *
 * A client whose socket stops draining costs bounded memory: nothing more is written, only the
 * latest tick per symbol is kept and goes out when the socket drains. It is cut off (and resumes
 * with Last-Event-ID) when its socket has not drained for `maxMs`, or when more than `maxBytes`
 * still wait for it as new ticks come. One large write, such as a resume's replay, is let
 * through: a client that reads it loses nothing, and one that is cut has what reached it.
 *
 * Held ticks go out in id order, each with its own id, so that a client which has an id also has
 * every held tick up to it: a resume never skips a latest price.
 */
export class ClientWriter {
  private pending = '';
  private pendingEvents = 0;
  /** The latest tick per symbol, while backed up: made only for a client that backs up. */
  private held: Map<string, Frame> | undefined;
  private backedUp = false;
  private cutTimer: NodeJS.Timeout | undefined;
  /** The socket's drain listener, made when the client first backs up. */
  private drained: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly channel: SseChannel,
    private readonly queue: FlushQueue,
    private readonly limits: SlowClientLimits,
    private readonly counters: StreamCounters,
  ) {}

  send(frame: Frame): void {
    if (this.closed) {
      return;
    }
    if (this.backedUp) {
      if (this.channel.waiting > this.limits.maxBytes) {
        this.cut();
        return;
      }
      if (frame.tick) {
        this.hold(frame);
        return;
      }
      if (frame.id === undefined) {
        // A heartbeat is pointless while the connection is busy.
        return;
      }
    }
    if (this.pending === '') {
      this.queue.add(this, frame.tick?.id);
    }
    this.pending += frame.text;
    this.pendingEvents++;
    if (this.pending.length >= MAX_WRITE) {
      this.writePending();
    }
  }

  /** At the end of the turn: writes what waits, and stops writing if the socket is full. */
  flush(): void {
    if (this.closed) {
      return;
    }
    this.writePending();
    if (this.channel.full && !this.backedUp) {
      this.backUp();
    }
  }

  /** Writes whatever waits, even to a backed-up client: the stream ends right after. */
  end(): void {
    if (this.closed) {
      return;
    }
    this.release();
    this.flush();
    this.dispose();
  }

  /** Forgets the client; nothing is written after this. */
  dispose(): void {
    this.closed = true;
    clearTimeout(this.cutTimer);
    if (this.drained) {
      this.channel.offDrained(this.drained);
    }
    this.held = undefined;
  }

  private writePending(): void {
    if (this.pending === '') {
      return;
    }
    const text = this.pending;
    this.counters.eventsSent += this.pendingEvents;
    this.counters.bytesSent += text.length;
    this.pending = '';
    this.pendingEvents = 0;
    this.channel.write(text);
  }

  private hold(frame: Frame): void {
    const symbol = frame.tick?.quote.symbol ?? '';
    this.held ??= new Map();
    if (this.held.has(symbol)) {
      this.counters.eventsConflated++;
    }
    this.held.set(symbol, frame);
  }

  private backUp(): void {
    this.backedUp = true;
    this.drained ??= () => {
      clearTimeout(this.cutTimer);
      this.release();
    };
    this.channel.onceDrained(this.drained);
    this.cutTimer = setTimeout(() => this.cut(), this.limits.maxMs);
  }

  /** Queues the held ticks, oldest first. */
  private release(): void {
    const frames = this.held ? [...this.held.values()].sort(byTickId) : [];
    this.held = undefined;
    this.backedUp = false;
    frames.forEach((frame) => this.send(frame));
  }

  private cut(): void {
    this.counters.slowClientsCut++;
    this.dispose();
    this.channel.destroy();
  }
}
