import { SseParser, type SseBlock } from './sse-parser.js';

const STREAM =
  'event: snapshot\nid: 5-0\nretry: 2000\ndata: {"quotes":[]}\n\n' +
  ': heartbeat\n\n' +
  'id: 5-1\nretry: 50\n\n' +
  'event: tick\nid: 5-2\ndata: {"a":1}\n\n';

const EXPECTED: SseBlock[] = [
  { event: 'snapshot', id: '5-0', retry: 2000, data: '{"quotes":[]}', comments: [] },
  { comments: ['heartbeat'] },
  { id: '5-1', retry: 50, comments: [] },
  { event: 'tick', id: '5-2', data: '{"a":1}', comments: [] },
];

describe('SseParser', () => {
  it('reports every block, including those with only an id and a retry', () => {
    expect(new SseParser().feed(STREAM)).toEqual(EXPECTED);
  });

  it('gives the same blocks however the stream is cut into pieces', () => {
    for (let size = 1; size <= 7; size++) {
      const parser = new SseParser();
      const blocks: SseBlock[] = [];
      for (let i = 0; i < STREAM.length; i += size) {
        blocks.push(...parser.feed(STREAM.slice(i, i + size)));
      }
      expect(blocks).toEqual(EXPECTED);
    }
  });

  it('accepts CRLF and CR line ends, even with a CRLF cut between two pieces', () => {
    const parser = new SseParser();
    const crlf = STREAM.replaceAll('\n', '\r\n');
    const cut = crlf.indexOf('\r\n\r\n') + 1;
    expect([...parser.feed(crlf.slice(0, cut)), ...parser.feed(crlf.slice(cut))]).toEqual(EXPECTED);
    // A final CR might still be a CRLF's first half: the next piece settles it.
    const cr = new SseParser();
    expect([...cr.feed(STREAM.replaceAll('\n', '\r')), ...cr.feed('\r')]).toEqual(EXPECTED);
  });

  it('joins data lines, keeps a partial block for later, and ignores what the spec ignores', () => {
    const parser = new SseParser();
    expect(parser.feed('data: one\ndata:two\ndata\nretry: soon\nfoo: bar\nid: a\0b\n')).toEqual([]);
    expect(parser.feed('\n\n\n')).toEqual([{ data: 'one\ntwo\n', comments: [] }]);
  });
});
