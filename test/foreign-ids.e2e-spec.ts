import { listening, type ListeningProcess } from './support/server-process.js';
import { openRawStream, type RawStream } from './support/raw-stream.js';
import { sleep } from './support/sse-client.js';

// On the in-memory bus an id belongs to the process that handed it out (docs/protocol.md): an id
// from another process, running beside it or before it, was never in its history, so resuming
// from it gets a reset, never a resume that skips whatever the client missed. Ids a throttled
// stream sends are watermarks, not ids of events: they must go on resuming where they came from.

/** The ids of the frames in `text` that carry data, in order. */
const idsIn = (text: string) => [...text.matchAll(/\nid: (\S+)\ndata: /g)].map((match) => match[1]);

describe('ids of one memory-bus process, resumed on another', () => {
  let first: ListeningProcess;
  let second: ListeningProcess;
  const streams: RawStream[] = [];
  const open = async (url: string, query: string, lastEventId?: string) => {
    const headers: Record<string, string> = lastEventId ? { 'Last-Event-ID': lastEventId } : {};
    const stream = await openRawStream(`${url}/api/stream?${query}`, headers);
    streams.push(stream);
    return stream;
  };
  /** The ids of ticks `url` sent a stream of `query`, a dozen or more. */
  const idsFrom = async (url: string, query: string) => {
    const stream = await open(url, query);
    await stream.waitForText(/(event: tick\n(.*\n)+?\n){12}/);
    stream.close();
    return idsIn(stream.text());
  };
  /** The first frame a stream resumed from `id` gets, as its event type (`id` alone: none). */
  const openingOf = async (url: string, id: string) => {
    const stream = await open(url, 'symbols=AAPL,MSFT,NVDA', id);
    await stream.waitForText(/\n\n/);
    stream.close();
    return /^(?:[0-9a-f]+\r\n)?(?:event: (\w+)\n)?id: /.exec(stream.text())?.[1] ?? 'resume';
  };

  beforeAll(async () => {
    const env = { TICKS_PER_SECOND: '1000', FEED_SEED: '20261207' };
    [first, second] = [await listening(env), await listening(env)];
  });

  afterAll(async () => {
    streams.forEach((stream) => stream.close());
    for (const server of [first, second]) {
      server?.child.kill('SIGKILL');
      await server?.exit;
    }
  });

  it('resets an id from the other process, each way, and resumes its own ids and watermarks', async () => {
    const query = 'symbols=AAPL,MSFT,NVDA';
    const [fromFirst, fromSecond] = [
      await idsFrom(first.url, query),
      await idsFrom(second.url, query),
    ];
    const watermarks = await idsFrom(first.url, `${query}&throttle=50`);
    // Both go on ticking past the other's ids: by time alone, each id is within either's range.
    await sleep(300);
    for (const id of fromSecond.slice(-3)) {
      expect([id, await openingOf(first.url, id)]).toEqual([id, 'reset']);
    }
    for (const id of fromFirst.slice(-3)) {
      expect([id, await openingOf(second.url, id)]).toEqual([id, 'reset']);
    }
    for (const id of [...fromFirst.slice(-2), ...watermarks.slice(-3)]) {
      expect([id, await openingOf(first.url, id)]).toEqual([id, 'resume']);
    }
  });
});
