import { formatEventId, parseEventId, type EventId } from '@tickstream/client/contract';
import { randomInt } from 'node:crypto';

/** Seqs start below this, so that a process may hand out 2^53 - 2^48 ids before its seqs overflow. */
const MAX_FIRST_SEQ = 2 ** 48;

/**
 * Hands out strictly increasing ids from the wall clock, whose seq does not start again each
 * millisecond but counts on from a start drawn at random: the ids of one clock are its own. A
 * process beside it, or before it, hands out ids of the same times, but not of the same seqs, so
 * `issued` tells them apart where comparing ids could not. A clock that steps back keeps the last
 * millisecond, as Redis does.
 */
export class EventIdClock {
  private ms: number;
  private seq: number;
  private readonly firstMs: number;
  private readonly firstSeq: number;
  /** The id before every id this clock will hand out. */
  readonly origin: EventId;

  constructor(now: number = Date.now(), firstSeq: number = randomInt(1, MAX_FIRST_SEQ)) {
    this.ms = this.firstMs = now;
    this.seq = this.firstSeq = firstSeq;
    this.origin = formatEventId({ ms: now, seq: firstSeq });
  }

  next(now: number = Date.now()): EventId {
    this.ms = Math.max(now, this.ms);
    this.seq += 1;
    return formatEventId({ ms: this.ms, seq: this.seq });
  }

  /**
   * Whether `id` lies in what this clock has handed out, by time and by seq, from its origin to
   * its last id: an id of its own, or a watermark between two of them (docs/protocol.md), which
   * need not be the id of any event. An id of another clock has seqs of another range.
   */
  issued(id: EventId): boolean {
    const parts = parseEventId(id);
    return (
      parts !== undefined &&
      parts.ms >= this.firstMs &&
      parts.ms <= this.ms &&
      parts.seq >= this.firstSeq &&
      parts.seq <= this.seq
    );
  }
}
