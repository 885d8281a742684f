import { toTick } from '../bus/tick.js';
import { eventFrame, tickFrame } from './frames.js';

const quote = { symbol: 'AAPL', price: 1.5, bid: 1.49, ask: 1.51, size: 100, ts: 1 };

describe('frames', () => {
  it('frames a tick with the id it is sent with', () => {
    const tick = toTick('5-1', quote);
    expect(tickFrame(tick, '5-0').text).toBe(
      `event: tick\nid: 5-0\ndata: ${JSON.stringify(quote)}\n\n`,
    );
  });

  it('frames a tick once for every stream that sends it with the same id', () => {
    const tick = toTick('7-0', quote);
    expect(tickFrame(tick, '7-0')).toBe(tickFrame(tick, '7-0'));
    expect(tickFrame(tick, '6-9').id).toBe('6-9');
    expect(tickFrame(toTick('7-0', quote), '7-0').text).toBe(tickFrame(tick, '7-0').text);
  });

  it('frames other events field by field, leaving out what is not set', () => {
    expect(eventFrame({ id: '3-0', retry: 2000 }).text).toBe('id: 3-0\nretry: 2000\n\n');
    expect(eventFrame({ type: 'reset', id: '1-0', data: { reason: 'a\nb' } }).text).toBe(
      'event: reset\nid: 1-0\ndata: {"reason":"a\\nb"}\n\n',
    );
  });
});
