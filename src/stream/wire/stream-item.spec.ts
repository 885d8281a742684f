import type { Quote } from '@tickstream/client/contract';
import { toStatusChange } from '../../bus/status-change.js';
import { toTick } from '../../bus/tick.js';
import { itemFrame, supersedeFrame, type Frame } from './frame.js';
import { LatestByKey } from './latest-by-key.js';
import { supersede, type StreamItem } from './stream-item.js';

const base: Quote = {
  symbol: 'AAPL',
  kind: 'trade',
  price: 100,
  bid: 99.9,
  ask: 100.1,
  size: 50,
  bidSize: 200,
  askSize: 300,
  ts: 10,
};
const trade = toTick('1-1', base);
const quote = toTick('1-2', {
  ...base,
  kind: 'quote',
  size: 0,
  bid: 99.95,
  bidSize: 400,
  ts: 11,
});
const laterTrade = toTick('1-3', { ...base, price: 101, size: 5, ts: 12 });

describe('superseding', () => {
  it('keeps the trade’s price, size and time with a quote that replaces it, as a trade', () => {
    const merged = supersede(trade, quote);
    expect(merged).toMatchObject({ kind: 'tick', id: '1-2' });
    const expected = { ...quote.quote, kind: 'trade', price: 100, size: 50, ts: 10 };
    expect(merged.kind === 'tick' && merged.quote).toEqual(expected);
    expect(JSON.parse(merged.data)).toEqual(expected);
  });

  it('lets a trade replace anything, and a quote replace a quote', () => {
    expect(supersede(quote, laterTrade)).toBe(laterTrade);
    expect(supersede(trade, laterTrade)).toBe(laterTrade);
    const again = toTick('1-4', { ...quote.quote, bid: 99.8 });
    expect(supersede(quote, again)).toBe(again);
    const status = toStatusChange('1-5', { symbol: 'AAPL', state: 'open', reason: null, ts: 1 });
    expect(supersede(status, quote)).toBe(quote);
  });

  it('is what the latest per key keeps, for conflation and for a client that is not reading', () => {
    const items = new LatestByKey<StreamItem>((item) => item.id, supersede);
    items.set('AAPL', trade);
    items.set('AAPL', quote);
    expect(items.take().map((item) => item.kind === 'tick' && item.quote.size)).toEqual([50]);
    const frames = new LatestByKey<Frame>((frame) => frame.id ?? '', supersedeFrame);
    frames.set('AAPL', itemFrame(trade));
    frames.set('AAPL', itemFrame(quote, '1-2'));
    const [kept] = frames.take();
    expect(kept.id).toBe('1-2');
    expect(kept.bytes.toString()).toContain('"kind":"trade"');
    expect(kept.bytes.toString()).toContain('"bid":99.95');
  });
});
