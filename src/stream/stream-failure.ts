import { Logger } from '@nestjs/common';
import { STREAM_ERROR_REASONS, type ErrorData } from '@tickstream/client/contract';
import { BusUnavailableError } from '../bus/bus-health.js';
import { HistoryGapError } from '../bus/event-log.js';

const logger = new Logger('StreamFailure');

/**
 * What a client is told in the `error` frame when its stream fails: a gap in history or a bus
 * out of reach are the client's to recover from (reconnect); anything else is the server's, and
 * is logged.
 */
export function describeFailure(error: unknown): ErrorData {
  if (error instanceof HistoryGapError) {
    return {
      reason: STREAM_ERROR_REASONS.historyGap,
      message: `history no longer holds the ticks after ${error.after}; reconnect: a reset and a snapshot follow`,
    };
  }
  if (error instanceof BusUnavailableError) {
    return {
      reason: STREAM_ERROR_REASONS.busUnavailable,
      message: 'the tick bus is unavailable; reconnect after the retry delay',
    };
  }
  logger.error(
    `a stream failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return {
    reason: STREAM_ERROR_REASONS.internalError,
    message: 'the stream failed on the server; reconnect after the retry delay',
  };
}
