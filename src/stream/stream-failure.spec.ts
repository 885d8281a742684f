import { STREAM_ERROR_REASONS } from '@tickstream/client/contract';
import { BusUnavailableError } from '../bus/bus-health.js';
import { HistoryGapError } from '../bus/event-log.js';
import { describeFailure } from './stream-failure.js';

describe('describeFailure', () => {
  it('tells a client whose history is gone to reconnect for a reset, naming where it was', () => {
    expect(describeFailure(new HistoryGapError('5-0'))).toEqual({
      reason: STREAM_ERROR_REASONS.historyGap,
      message: expect.stringContaining('after 5-0') as string,
    });
  });

  it('tells a client the bus is away, and anything else that the server failed', () => {
    expect(describeFailure(new BusUnavailableError(new Error('down'))).reason).toBe(
      STREAM_ERROR_REASONS.busUnavailable,
    );
    expect(describeFailure(new Error('a bug: not for the client')).message).not.toContain('a bug');
    expect(describeFailure(new Error('a bug')).reason).toBe(STREAM_ERROR_REASONS.internalError);
  });
});
