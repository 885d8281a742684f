import type { EventId } from '@tickstream/client/contract';
import type { Tick } from '../bus/tick.js';

/** One SSE event as it goes out to one client. */
export interface Frame {
  /** The frame as written: fields, then a blank line. */
  text: string;
  /** The frame's `id:`: where the client resumes from once it has this frame. */
  id?: string;
  /** Set on tick frames, so that a client that is not reading keeps only the latest per symbol. */
  tick?: Tick;
}

export interface EventFields {
  type?: string;
  id?: string;
  retry?: number;
  data?: unknown;
}

/** A tick's frame. */
export interface TickFrame extends Frame {
  id: EventId;
  tick: Tick;
}

/**
 * The frame made last. A conflation's release reaches its readers one after the other, and those
 * whose watermark is the same (most of them, when the symbol's stream is the only one waiting)
 * share one frame.
 */
let last: TickFrame | undefined;

/** A tick as an event; `id` is the stream's watermark, which under throttling trails the tick's. */
export function tickFrame(tick: Tick, id: EventId): TickFrame {
  if (last?.tick !== tick || last.id !== id) {
    last = { text: `event: tick\nid: ${id}\ndata: ${tick.data}\n\n`, id, tick };
  }
  return last;
}

/**
 * Any other event. Every value here is the service's own (JSON has no raw line breaks), so no
 * field can break out of its line.
 */
export function eventFrame({ type, id, retry, data }: EventFields): Frame {
  let text = type === undefined ? '' : `event: ${type}\n`;
  text += id === undefined ? '' : `id: ${id}\n`;
  text += retry === undefined ? '' : `retry: ${retry}\n`;
  text += data === undefined ? '' : `data: ${JSON.stringify(data)}\n`;
  return { text: `${text}\n`, id };
}

/** Keeps idle connections open through proxies; clients ignore it. */
export const HEARTBEAT: Frame = { text: ': heartbeat\n\n' };
