import { SseParser, type EventId } from '@tickstream/client/contract';
import { EventEmitter } from 'node:events';
import type { OutgoingHttpHeader, OutgoingHttpHeaders } from 'node:http';
import { setImmediate as turn, setTimeout as sleep } from 'node:timers/promises';
import { toStatusChange } from '../../bus/status-change.js';
import { toTick } from '../../bus/tick.js';
import { StreamCounters } from '../../metrics/stream-counters.js';
import { ClientWriter, streamHeaders, type WriterContext } from './client-writer.js';
import { FlushQueue } from './flush-queue.js';
import { eventFrame, HEARTBEAT_FRAME, itemFrame, type Frame } from './frame.js';

/**
 * A socket whose client reads, or stops reading, when the test says; it keeps every write, and
 * whether the socket was corked then.
 */
class FakeSocket extends EventEmitter {
  destroyed = false;
  writableNeedDrain = false;
  writableLength = 0;
  readonly settings: string[] = [];
  readonly writes: { text: string; corked: boolean }[] = [];
  private corks = 0;

  setNoDelay(noDelay = true): this {
    this.settings.push(`noDelay ${noDelay}`);
    return this;
  }

  setKeepAlive(enable = false): this {
    this.settings.push(`keepAlive ${enable}`);
    return this;
  }

  setTimeout(timeout: number): this {
    this.settings.push(`timeout ${timeout}`);
    return this;
  }

  cork(): void {
    this.corks++;
  }

  uncork(): void {
    this.corks--;
  }

  write(chunk: Uint8Array | string): boolean {
    this.writes.push({ text: Buffer.from(chunk).toString(), corked: this.corks > 0 });
    return !this.writableNeedDrain;
  }

  /** The client stops reading: `waiting` bytes stay in the socket, which wants no more. */
  stall(waiting: number): void {
    this.writableNeedDrain = true;
    this.writableLength = waiting;
  }

  /** The client takes all that waited. */
  drain(): void {
    this.writableNeedDrain = false;
    this.writableLength = 0;
    this.emit('drain');
  }
}

/** A response that records its head and its end; its body goes to its socket, as ours does. */
class FakeResponse {
  chunkedEncoding = true;
  head: { status: number; headers: unknown } | undefined;
  readonly removed: string[] = [];
  ended = false;
  destroyed = false;

  constructor(readonly socket: FakeSocket | null) {}

  removeHeader(name: string): void {
    this.removed.push(name);
  }

  writeHead(status: number, headers?: string | OutgoingHttpHeaders | OutgoingHttpHeader[]): this {
    this.head = { status, headers };
    return this;
  }

  flushHeaders(): void {
    // The head goes out with the first write; here it is kept in `head`.
  }

  end(): this {
    this.ended = true;
    return this;
  }

  destroy(): this {
    this.destroyed = true;
    if (this.socket) {
      this.socket.destroyed = true;
    }
    return this;
  }
}

const quote = (symbol: string) => ({
  symbol,
  price: 1.5,
  bid: 1.49,
  ask: 1.51,
  kind: 'trade' as const,
  size: 1,
  bidSize: 100,
  askSize: 100,
  ts: 1,
});
const tick = (id: EventId, symbol = 'AAPL') => itemFrame(toTick(id, quote(symbol)));
const status = (id: EventId) =>
  itemFrame(toStatusChange(id, { symbol: 'AAPL', state: 'halted', reason: 'news', ts: 1 }));

/** The data of one HTTP/1.1 chunk, checked to be one whole chunk of the size it says. */
function chunkData(write: string): string {
  const match = /^([0-9a-f]+)\r\n([\s\S]*)\r\n$/.exec(write);
  expect(match).not.toBeNull();
  const [, size, data] = match ?? ['', '0', ''];
  expect(Buffer.byteLength(data)).toBe(parseInt(size, 16));
  return data;
}

/** The ids of the events in `writes`, each a chunk, in the order they went out. */
function idsIn(writes: { text: string }[]): (string | undefined)[] {
  const parser = new SseParser();
  return writes.flatMap(({ text }) => parser.feed(chunkData(text))).map((block) => block.id);
}

describe('ClientWriter', () => {
  let counters: StreamCounters;
  let context: WriterContext;
  let socket: FakeSocket;
  let response: FakeResponse;

  const writer = (resumeFrom?: EventId, limits = { maxBytes: 1_000, maxMs: 10_000 }) => {
    context = { ...context, limits };
    return new ClientWriter(response, context, resumeFrom);
  };
  const started = (resumeFrom?: EventId, limits?: { maxBytes: number; maxMs: number }) => {
    const made = writer(resumeFrom, limits);
    made.start([]);
    return made;
  };
  /** The writer's frames of this turn, written at its end. */
  const sendInTurn = async (to: ClientWriter, ...frames: Frame[]) => {
    frames.forEach((frame) => to.send(frame));
    await turn();
  };

  beforeEach(() => {
    counters = new StreamCounters();
    context = {
      queue: new FlushQueue(() => undefined),
      limits: { maxBytes: 1_000, maxMs: 10_000 },
      counters,
      headers: streamHeaders(['X-Frame-Options', 'DENY']),
    };
    socket = new FakeSocket();
    response = new FakeResponse(socket);
  });

  it('starts with the head, then the opening in one write, corked with it, the socket set for a stream', () => {
    const opening = [eventFrame({ id: '1-0', retry: 2000 }), tick('1-1')];
    expect(writer().start(opening)).toBe(true);
    expect(socket.settings).toEqual(['noDelay true', 'keepAlive true', 'timeout 0']);
    expect(response.removed).toEqual(['Connection']);
    expect(response.head?.status).toBe(200);
    expect(response.head?.headers).toEqual(
      expect.arrayContaining(['Content-Type', 'text/event-stream', 'X-Accel-Buffering', 'no']),
    );
    expect(response.head?.headers).toEqual(expect.arrayContaining(['X-Frame-Options', 'DENY']));
    expect(socket.writes).toHaveLength(1);
    expect(socket.writes[0].corked).toBe(true);
    expect(chunkData(socket.writes[0].text)).toBe(
      opening.map((frame) => frame.bytes.toString()).join(''),
    );
    expect([counters.eventsSent, counters.bytesSent]).toEqual([
      2,
      opening[0].bytes.length + opening[1].bytes.length,
    ]);
  });

  it('starts nothing, and writes nothing, for a response that has no socket or whose socket is gone', async () => {
    response = new FakeResponse(null);
    const queued = writer();
    expect(queued.start([tick('1-0')])).toBe(false);
    expect([queued.ended, response.head]).toEqual([true, undefined]);

    response = new FakeResponse(socket);
    socket.destroyed = true;
    const gone = writer();
    expect(gone.start([tick('1-0')])).toBe(false);
    gone.send(tick('1-1'));
    await turn();
    expect([gone.ended, response.head, socket.writes]).toEqual([true, undefined, []]);
  });

  it('answers HEAD with the head and the end, and no body', () => {
    const head = writer();
    expect(head.start([tick('1-0')], true)).toBe(true);
    expect([response.head?.status, response.ended, head.ended]).toEqual([200, true, true]);
    expect(socket.writes).toEqual([]);
  });

  it('writes a turn of one frame as the chunk made for it, and a turn of many as one chunk, in order', async () => {
    const one = started();
    const single = tick('1-0');
    await sendInTurn(one, single);
    expect(socket.writes.map(({ text }) => text)).toEqual([single.chunk.toString()]);

    const many = [tick('1-1'), status('1-2'), tick('1-3', 'MSFT')];
    await sendInTurn(one, ...many);
    expect(socket.writes).toHaveLength(2);
    expect(chunkData(socket.writes[1].text)).toBe(many.map((f) => f.bytes.toString()).join(''));
  });

  it('writes the frames unchunked to an HTTP/1.0 client, whose body ends with the connection', async () => {
    response.chunkedEncoding = false;
    const old = started();
    const frames = [tick('1-0'), tick('1-1')];
    await sendInTurn(old, frames[0]);
    await sendInTurn(old, ...frames);
    expect(socket.writes.map(({ text }) => text)).toEqual([
      frames[0].bytes.toString(),
      frames.map((frame) => frame.bytes.toString()).join(''),
    ]);
  });

  it('writes at once, before the turn ends, once a turn holds 64 KB', () => {
    const large = started();
    const big = eventFrame({ id: '1-0', data: 'x'.repeat(64 * 1024) });
    large.send(tick('0-9'));
    large.send(big);
    expect(socket.writes).toHaveLength(1);
    expect(idsIn(socket.writes)).toEqual(['0-9', '1-0']);
  });

  it('sends a heartbeat only in a period in which it wrote nothing, a heartbeat aside', async () => {
    const idle = started();
    await sendInTurn(idle, tick('1-0'));
    idle.heartbeat();
    await turn();
    expect(socket.writes).toHaveLength(1);
    idle.heartbeat();
    await turn();
    idle.heartbeat();
    await turn();
    expect(socket.writes.slice(1).map(({ text }) => text)).toEqual([
      HEARTBEAT_FRAME.chunk.toString(),
      HEARTBEAT_FRAME.chunk.toString(),
    ]);
  });

  it('holds only the latest frame per key for a client that stopped reading, and releases what it held oldest first when it drains', async () => {
    const slow = started();
    socket.stall(100);
    await sendInTurn(slow, tick('1-0'));
    expect(socket.writes).toHaveLength(1);

    const unkeyed = eventFrame({ event: 'status', id: '2-1', data: { note: 'no key' } });
    await sendInTurn(
      slow,
      tick('2-0'),
      unkeyed,
      tick('2-2', 'MSFT'),
      status('2-3'),
      tick('2-4'),
      HEARTBEAT_FRAME,
      tick('2-5', 'MSFT'),
    );
    expect(socket.writes).toHaveLength(1);
    expect(counters.eventsConflated).toBe(2);
    let writable = false;
    void slow.whenWritable().then(() => (writable = true));
    await turn();
    expect(writable).toBe(false);

    socket.drain();
    await turn();
    expect(writable).toBe(true);
    expect(idsIn(socket.writes.slice(1))).toEqual(['2-1', '2-3', '2-4', '2-5']);
  });

  it('cuts a client that stopped reading once more than maxBytes wait for it as frames come', async () => {
    const slow = started(undefined, { maxBytes: 1_000, maxMs: 10_000 });
    socket.stall(1_000);
    await sendInTurn(slow, tick('1-0'));
    slow.send(tick('1-1'));
    expect(response.destroyed).toBe(false);
    socket.stall(1_001);
    slow.send(tick('1-2'));
    expect([response.destroyed, slow.ended, counters.slowClientsCut]).toEqual([true, true, 1]);
    slow.send(tick('1-3'));
    await turn();
    expect(socket.writes).toHaveLength(1);
  });

  it('cuts a client whose socket has not drained for maxMs, and not one whose socket drained', async () => {
    const limits = { maxBytes: 1_000_000, maxMs: 100 };
    const drained = started(undefined, limits);
    socket.stall(10);
    await sendInTurn(drained, tick('1-0'));
    socket.drain();
    const stalledSocket = new FakeSocket();
    response = new FakeResponse(stalledSocket);
    const stalled = started(undefined, limits);
    stalledSocket.stall(10);
    await sendInTurn(stalled, tick('1-0'));

    const deadline = Date.now() + 5_000;
    while (!stalled.ended && Date.now() < deadline) {
      await sleep(10);
    }
    expect([stalled.ended, counters.slowClientsCut]).toEqual([true, 1]);
    expect(drained.ended).toBe(false);
  });

  it('fails with an error frame that repeats the last id sent, or the one the client came with, and ends', async () => {
    const failing = started();
    await sendInTurn(failing, tick('1-0'));
    failing.send(tick('1-1'));
    failing.fail({ reason: 'internal_error', message: 'broken' });
    const blocks = new SseParser().feed(chunkData(socket.writes[1].text));
    expect(blocks.map(({ event, id }) => [event, id])).toEqual([
      ['tick', '1-1'],
      ['error', '1-1'],
    ]);
    expect(JSON.parse(blocks[1].data ?? '')).toEqual({
      reason: 'internal_error',
      message: 'broken',
    });
    expect([failing.ended, response.ended]).toEqual([true, true]);

    socket = new FakeSocket();
    response = new FakeResponse(socket);
    const fresh = started('7-3');
    fresh.fail({ reason: 'token_expired', message: 'expired' });
    expect(idsIn(socket.writes)).toEqual(['7-3']);
  });

  it('ends by writing what waits, what it held included, then ending the response', async () => {
    const ending = started();
    socket.stall(10);
    await sendInTurn(ending, tick('1-0'));
    await sendInTurn(ending, tick('1-1'), tick('1-2', 'MSFT'));
    ending.send(tick('1-3'));
    ending.end();
    expect(idsIn(socket.writes)).toEqual(['1-0', '1-2', '1-3']);
    expect([ending.ended, response.ended]).toEqual([true, true]);
    ending.end();
    expect(socket.writes).toHaveLength(2);
  });

  it('writes nothing once disposed, stops listening for drain, and lets a waiting replay go on', async () => {
    const gone = started();
    socket.stall(10);
    await sendInTurn(gone, tick('1-0'));
    const replay = gone.whenWritable();
    expect(socket.listenerCount('drain')).toBe(1);
    gone.dispose();
    await replay;
    expect(socket.listenerCount('drain')).toBe(0);
    gone.send(tick('1-1'));
    gone.heartbeat();
    gone.end();
    await turn();
    expect(socket.writes).toHaveLength(1);
    expect(response.ended).toBe(false);
  });
});
