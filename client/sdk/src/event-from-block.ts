import {
  HEARTBEAT,
  STREAM_ERROR_REASONS,
  STREAM_EVENTS,
  type BarData,
  type ErrorData,
  type Quote,
  type ResetData,
  type SnapshotData,
  type SseBlock,
  type StatusData,
} from './contract/index.js';
import type { StreamEvent } from './stream-event.js';

/**
 * The event a block of the stream carries, `id` being the stream's last event id once the block
 * is read; undefined for a block that says nothing to the consumer (an id-only frame, an event
 * type this client does not know).
 */
export function eventFromBlock(block: SseBlock, id: string): StreamEvent | undefined {
  if (block.data === undefined) {
    return block.comments.includes(HEARTBEAT) ? { type: 'heartbeat' } : undefined;
  }
  // Without `event:`, a block is of the SSE default type, `message`.
  switch (block.event ?? 'message') {
    case STREAM_EVENTS.snapshot:
      return { type: 'snapshot', id, quotes: (JSON.parse(block.data) as SnapshotData).quotes };
    case STREAM_EVENTS.tick:
      return { type: 'tick', id, quote: JSON.parse(block.data) as Quote };
    case STREAM_EVENTS.bar:
      return { type: 'bar', id, bar: JSON.parse(block.data) as BarData };
    case STREAM_EVENTS.status:
      return { type: 'status', id, status: JSON.parse(block.data) as StatusData };
    case STREAM_EVENTS.reset: {
      const { lastEventId, since, reason } = JSON.parse(block.data) as ResetData;
      return { type: 'reset', lastEventId, since, reason };
    }
    case STREAM_EVENTS.error: {
      // The server ends the stream with this on purpose; the id it carries is where the next
      // connection resumes.
      const { reason, message } = JSON.parse(block.data) as ErrorData;
      return reason === STREAM_ERROR_REASONS.tokenExpired
        ? { type: 'token-expired', message }
        : { type: 'ended', reason, message };
    }
    default:
      // Event types this client does not know yet are skipped, as EventSource would.
      return undefined;
  }
}
