import { SseParser } from '@tickstream/client/contract';
import { toTick } from '../../bus/tick.js';
import { chunkOf, eventFrame, HEARTBEAT_FRAME, itemFrame } from './frame.js';

const quote = {
  symbol: 'AAPL',
  price: 1.5,
  bid: 1.49,
  ask: 1.51,
  kind: 'trade' as const,
  size: 100,
  bidSize: 100,
  askSize: 100,
  ts: 1,
};

describe('frames', () => {
  it('frame a tick with the id it is sent with, and keep its symbol and id for conflation', () => {
    const tick = toTick('5-1', quote);
    const frame = itemFrame(tick, '5-0');
    expect(frame.bytes.toString()).toBe(`event: tick\nid: 5-0\ndata: ${JSON.stringify(quote)}\n\n`);
    expect(frame.supersedable).toEqual({ key: 'AAPL', order: '5-1' });
    expect(itemFrame(tick).id).toBe('5-1');
  });

  it('frame other events with their data as JSON, and read back as they were made', () => {
    const frame = eventFrame({ event: 'reset', id: '1-0', retry: 2000, data: { reason: 'a\nb' } });
    const [block] = new SseParser().feed(frame.bytes.toString());
    expect(block).toEqual({
      event: 'reset',
      id: '1-0',
      retry: 2000,
      data: '{"reason":"a\\nb"}',
      comments: [],
    });
    expect(new SseParser().feed(HEARTBEAT_FRAME.bytes.toString())).toEqual([
      { comments: ['heartbeat'] },
    ]);
  });

  it('refuse an id a client could have slipped a line break into', () => {
    expect(() => eventFrame({ event: 'reset', id: '1-0\nevent: tick' })).toThrow(/CR, LF or NUL/);
  });

  it('make HTTP/1.1 chunks: the size in hex, the bytes, CRLF', () => {
    const parts = [Buffer.from('id: 1\n\n'), Buffer.from('x'.repeat(20))];
    expect(chunkOf(parts, 27).toString()).toBe(`1b\r\nid: 1\n\n${'x'.repeat(20)}\r\n`);
    const frame = eventFrame({ id: '1-0' });
    expect(frame.chunk.toString()).toBe('9\r\nid: 1-0\n\n\r\n');
    expect(frame.chunk).toBe(frame.chunk);
  });
});
