import { encodeComment, encodeFrame, FrameFieldError, HEARTBEAT } from './sse-frame.js';
import { SseParser } from './sse-parser.js';

describe('SSE frames', () => {
  it('are written field by field, leaving out what is not set', () => {
    expect(encodeFrame({ id: '3-0', retry: 2000 })).toBe('id: 3-0\nretry: 2000\n\n');
    expect(encodeFrame({ event: 'reset', id: '1-0', data: '{"reason":"a\\nb"}' })).toBe(
      'event: reset\nid: 1-0\ndata: {"reason":"a\\nb"}\n\n',
    );
    expect(encodeComment(HEARTBEAT)).toBe(': heartbeat\n\n');
  });

  it('refuse a value that would break out of its line, whatever the field', () => {
    for (const bad of ['1-0\nevent: tick', '1-0\r', '1-0\r\ndata: x', '1\0']) {
      expect(() => encodeFrame({ id: bad })).toThrow(FrameFieldError);
      expect(() => encodeFrame({ event: bad })).toThrow(FrameFieldError);
      expect(() => encodeFrame({ data: bad })).toThrow(FrameFieldError);
      expect(() => encodeComment(bad)).toThrow(FrameFieldError);
    }
    for (const retry of [-1, 1.5, Number.NaN]) {
      expect(() => encodeFrame({ retry })).toThrow(FrameFieldError);
    }
  });

  it('read back by the client parser as the fields they were made of', () => {
    const frames = [
      { event: 'snapshot', id: '5-0', retry: 2000, data: '{"quotes":[]}' },
      { id: '5-1', retry: 50 },
      { event: 'tick', id: '5-2', data: '{"price":1.5,"note":"a: b"}' },
      { event: 'error', id: '5-2', data: '{"reason":"token_expired"}' },
    ];
    const text = frames.map(encodeFrame).join(encodeComment(HEARTBEAT));
    const blocks = new SseParser().feed(text);
    expect(blocks.filter((block) => block.comments.length === 0)).toEqual(
      frames.map((frame) => ({ ...frame, comments: [] })),
    );
    expect(blocks.filter((block) => block.comments.includes(HEARTBEAT))).toHaveLength(3);
  });
});
