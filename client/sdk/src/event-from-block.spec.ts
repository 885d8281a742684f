import {
  encodeComment,
  encodeFrame,
  HEARTBEAT,
  SseParser,
  STREAM_EVENTS,
  type BarData,
  type SnapshotQuote,
  type StatusData,
} from './contract/index.js';
import { eventFromBlock } from './event-from-block.js';

const quote: SnapshotQuote = {
  symbol: 'AAPL',
  kind: 'trade',
  price: 228.46,
  bid: 228.44,
  ask: 228.49,
  size: 200,
  bidSize: 300,
  askSize: 500,
  ts: 1795608149964,
  state: 'open',
  stateReason: null,
  stateSince: null,
  day: {
    open: 226.1,
    high: 229.8,
    low: 225.7,
    volume: 1_284_300,
    previousClose: 224.9,
    lastTradeTs: 1795608149964,
  },
  sessionOpen: 226.1,
};
const bar: BarData = {
  symbol: 'AAPL',
  interval: '1m',
  time: 1795608120,
  open: 228.1,
  high: 228.5,
  low: 228,
  close: 228.46,
  volume: 12_345,
  final: false,
};
const status: StatusData = {
  symbol: 'AAPL',
  state: 'halted',
  reason: 'limit up-limit down: +5.3 % in 212 s (band 5 %)',
  ts: 1795608150708,
};

/** The events that `frames`, written as the server writes them, read back as. */
function read(...frames: string[]) {
  return new SseParser().feed(frames.join('')).map((block) => eventFromBlock(block, '7-1'));
}

describe('eventFromBlock', () => {
  it('maps every event the server sends to its typed event', () => {
    const data = (value: unknown) => JSON.stringify(value);
    expect(
      read(
        encodeFrame({ event: STREAM_EVENTS.snapshot, id: '7-1', data: data({ quotes: [quote] }) }),
        encodeFrame({ event: STREAM_EVENTS.tick, id: '7-1', data: data(quote) }),
        encodeFrame({ event: STREAM_EVENTS.bar, id: '7-1', data: data(bar) }),
        encodeFrame({ event: STREAM_EVENTS.status, id: '7-1', data: data(status) }),
        encodeFrame({
          event: STREAM_EVENTS.reset,
          id: '7-1',
          data: data({ lastEventId: '1-0', reason: 'too old' }),
        }),
        encodeFrame({
          event: STREAM_EVENTS.error,
          id: '7-1',
          data: data({ reason: 'token_expired', message: 'expired' }),
        }),
        encodeFrame({
          event: STREAM_EVENTS.error,
          id: '7-1',
          data: data({ reason: 'bus_unavailable', message: 'no Redis' }),
        }),
        encodeComment(HEARTBEAT),
      ),
    ).toEqual([
      { type: 'snapshot', id: '7-1', quotes: [quote] },
      { type: 'tick', id: '7-1', quote },
      { type: 'bar', id: '7-1', bar },
      { type: 'status', id: '7-1', status },
      { type: 'reset', lastEventId: '1-0', reason: 'too old' },
      { type: 'token-expired', message: 'expired' },
      { type: 'ended', reason: 'bus_unavailable', message: 'no Redis' },
      { type: 'heartbeat' },
    ]);
  });

  it('says nothing of id-only frames, other comments, and event types it does not know', () => {
    expect(
      read(
        encodeFrame({ id: '7-1', retry: 2000 }),
        encodeComment('hello'),
        encodeFrame({ event: 'news', id: '7-1', data: '{}' }),
        encodeFrame({ data: '{}' }),
      ),
    ).toEqual([undefined, undefined, undefined, undefined]);
  });
});
