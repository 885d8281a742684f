import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { count, filter, firstValueFrom, lastValueFrom, take, tap, toArray } from 'rxjs';
import {
  compareEventIds,
  StreamHttpError,
  subscribe,
  toObservable,
  type StreamEvent,
  type SubscribeOptions,
} from '@tickstream/client';
import type { Candle } from '@tickstream/client/contract';
import type { Tick } from '../src/bus/tick.js';
import { openRawStream } from './support/raw-stream.js';
import { eventually } from './support/sse-client.js';
import { streamRequests } from './support/stream-requests.js';
import { startServer, type TestServer } from './support/test-server.js';
import { JWT_SERVER, token } from './support/tokens.js';
import { setStatus, STATUS_TOKEN } from './support/trading-status.js';

type TickEvent = Extract<StreamEvent, { type: 'tick' }>;
type BarEvent = Extract<StreamEvent, { type: 'bar' }>;

/** The events of one subscription as they arrive, and how its iteration ended. */
interface Recording {
  events: StreamEvent[];
  ticks(): TickEvent[];
  /** Settles when the iteration ends: resolves, or rejects with what it threw. */
  ended: Promise<void>;
  until(predicate: (events: StreamEvent[]) => boolean, what: string): Promise<void>;
}

function record(iterable: AsyncIterable<StreamEvent>): Recording {
  const events: StreamEvent[] = [];
  const ended = (async () => {
    for await (const event of iterable) {
      events.push(event);
    }
  })();
  return {
    events,
    ticks: () => events.filter((event): event is TickEvent => event.type === 'tick'),
    ended,
    until: (predicate, what) => eventually(() => predicate(events), 10_000, what),
  };
}

const types = (events: StreamEvent[]) => events.map((event) => event.type);
const idOf = (event: StreamEvent | undefined) =>
  event && 'id' in event ? event.id : 'an event without id';

describe('the typed client (client/sdk)', () => {
  const servers: TestServer[] = [];
  const controllers: AbortController[] = [];
  const recordings: Recording[] = [];

  const start = async (env: Record<string, string> = {}) => {
    const server = await startServer(env);
    servers.push(server);
    return server;
  };
  const open = (options: Omit<SubscribeOptions, 'signal'>) => {
    const controller = new AbortController();
    controllers.push(controller);
    const recording = record(subscribe({ ...options, signal: controller.signal }));
    recordings.push(recording);
    return { recording, abort: () => controller.abort() };
  };

  afterEach(async () => {
    controllers.splice(0).forEach((controller) => controller.abort());
    await Promise.allSettled(recordings.splice(0).map((recording) => recording.ended));
    for (const server of servers.splice(0)) {
      await server.close();
    }
  });

  it('resumes after a dropped connection, losing and repeating nothing compared with a client that stayed', async () => {
    const server = await start({ RETRY_MS: '50' });
    const requests = streamRequests(server);
    const stayed = server.connect('symbols=AAPL,MSFT');
    await stayed.waitFor((c) => c.of('snapshot').length === 1);
    const { recording } = open({ url: server.url, symbols: ['AAPL', 'MSFT'] });
    await recording.until(() => recording.ticks().length >= 50, '50 ticks');
    const dropped = requests.at(-1);
    dropped?.socket.destroy();
    await recording.until(
      (events) => types(events).includes('reconnecting') && events.at(-1)?.type === 'tick',
      'a reconnect',
    );
    const cut = recording.events.findIndex((event) => event.type === 'reconnecting');
    const lastBeforeCut = recording.events.slice(0, cut).findLast((event) => 'id' in event);
    await recording.until((events) => events.length > cut + 60, 'ticks after the reconnect');

    const resumed = requests.at(-1);
    expect(resumed).not.toBe(dropped);
    expect(resumed?.headers['last-event-id']).toBe(idOf(lastBeforeCut));
    expect(types(recording.events.slice(cut, cut + 2))).toEqual(['reconnecting', 'open']);
    expect(recording.events[cut + 1]).toEqual({ type: 'open', resumed: true });
    expect(types(recording.events).filter((type) => type !== 'tick')).toEqual([
      'open',
      'snapshot',
      'reconnecting',
      'open',
    ]);
    const ids = recording.ticks().map((event) => event.id);
    const last = ids.at(-1);
    await stayed.waitFor((c) => c.ticks().some((tick) => tick.id === last));
    const stayedIds = stayed.ticks().map((tick) => tick.id);
    expect(ids).toEqual(
      stayedIds.slice(stayedIds.indexOf(ids[0]), stayedIds.indexOf(last ?? '') + 1),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('reconnects by itself across a server restart, surfacing the lost history as a reset', async () => {
    const first = await start({ RETRY_MS: '100' });
    const { recording } = open({ url: first.url, symbols: ['AAPL', 'MSFT'] });
    await recording.until(() => recording.ticks().length >= 20, '20 ticks');
    servers.splice(servers.indexOf(first), 1);
    await first.close();
    // A new process: same port, but its memory bus remembers none of the old ids.
    const second = await start({ RETRY_MS: '100', PORT: new URL(first.url).port });
    await recording.until(
      (events) => types(events).includes('reset') && events.at(-1)?.type === 'tick',
      'live ticks from the new server',
    );

    const cut = recording.events.findIndex((event) => event.type === 'reconnecting');
    const lastBeforeCut = recording.events.slice(0, cut).findLast((event) => 'id' in event);
    const reopened = recording.events.findLastIndex((event) => event.type === 'open');
    expect(recording.events[cut]).toMatchObject({ type: 'reconnecting', attempt: 1 });
    expect(recording.events.slice(reopened, reopened + 3)).toMatchObject([
      { type: 'open', resumed: false },
      { type: 'reset', lastEventId: idOf(lastBeforeCut) },
      { type: 'snapshot', quotes: [{ symbol: 'AAPL' }, { symbol: 'MSFT' }] },
    ]);
    expect(types(recording.events.slice(reopened + 3)).every((type) => type === 'tick')).toBe(true);
    expect(second.bus.subscriberCount).toBe(2);
  });

  it('throws a StreamHttpError for a 4xx after exactly one request, never retrying it', async () => {
    const server = await start({ RETRY_MS: '0' });
    const requests = streamRequests(server);
    const { recording } = open({ url: server.url, symbols: ['AAPL', 'NOPE'] });
    const error = await recording.ended.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(StreamHttpError);
    expect(error).toMatchObject({
      status: 400,
      message: 'symbols: unknown symbol "NOPE"',
      body: { statusCode: 400, error: 'Bad Request', field: 'symbols', value: 'NOPE' },
    });
    expect(recording.events).toEqual([]);
    expect(requests).toHaveLength(1);

    const wrongPath = open({ url: `${server.url}/nowhere`, symbols: ['AAPL'] }).recording;
    await expect(wrongPath.ended).rejects.toMatchObject({ status: 404 });
    expect(requests).toHaveLength(1);
  });

  it('asks for bars, and yields them and trading states as typed events, each with its id', async () => {
    const server = await start({ INGEST_TOKEN: STATUS_TOKEN, TICKS_PER_SECOND: '200' });
    const requests = streamRequests(server);
    const { recording } = open({ url: server.url, symbols: ['AAPL', 'MSFT'], bars: ['1s', '1m'] });
    const bars = () => recording.events.filter((event): event is BarEvent => event.type === 'bar');
    // The last closed bar and the open one, of each symbol and interval; then the stream's.
    await recording.until(() => bars().filter((event) => event.bar.final).length >= 6, 'bars');
    expect(Object.fromEntries(new URL(requests[0].url ?? '', server.url).searchParams)).toEqual({
      symbols: 'AAPL,MSFT',
      bars: '1s,1m',
    });
    expect(recording.events[1]).toMatchObject({
      type: 'snapshot',
      quotes: [
        { symbol: 'AAPL', state: 'open', sessionOpen: expect.any(Number) as number },
        { symbol: 'MSFT', state: 'open', sessionOpen: expect.any(Number) as number },
      ],
    });
    const kinds = new Set(bars().map(({ bar }) => `${bar.symbol} ${bar.interval}`));
    expect(kinds).toEqual(new Set(['AAPL 1s', 'AAPL 1m', 'MSFT 1s', 'MSFT 1m']));
    expect(bars().every((event) => /^\d+-\d+$/.test(event.id))).toBe(true);
    // A closed bar is the server's bar of that time.
    const closed = bars().findLast(({ bar }) => bar.final && bar.interval === '1s');
    if (!closed) {
      throw new Error('no closed 1s bar');
    }
    const { symbol, interval, final, ...candle } = closed.bar;
    const response = await fetch(
      `${server.url}/api/symbols/${symbol}/candles?interval=${interval}&limit=10`,
    );
    const kept = (await response.json()) as Candle[];
    expect(kept.find((bar) => bar.time === candle.time)).toEqual(candle);
    expect(final).toBe(true);

    await setStatus(server.url, 'MSFT', 'halted', 'news pending');
    await recording.until((events) => types(events).includes('status'), 'the status change');
    expect(recording.events.find((event) => event.type === 'status')).toEqual({
      type: 'status',
      id: expect.stringMatching(/^\d+-\d+$/) as string,
      status: {
        symbol: 'MSFT',
        state: 'halted',
        reason: 'news pending',
        ts: expect.any(Number) as number,
      },
    });
  });

  it("carries a 429's Retry-After, so that its caller knows how long to wait", async () => {
    // Retry-After is RETRY_MS in whole seconds.
    const server = await start({ MAX_CONNECTIONS_PER_CLIENT: '1', RETRY_MS: '3000' });
    const other = await openRawStream(`${server.url}/api/stream?symbols=AAPL`);
    try {
      const { recording } = open({ url: server.url, symbols: ['MSFT'] });
      await expect(recording.ended).rejects.toMatchObject({ status: 429, retryAfterMs: 3_000 });
    } finally {
      other.close();
    }
    const refused = open({ url: server.url, symbols: ['NOPE'] }).recording;
    await expect(refused.ended).rejects.toMatchObject({ status: 400, retryAfterMs: undefined });
  });

  it('fails at once, never retrying, when the URL answers with something else than an event stream', async () => {
    let requests = 0;
    const [contentType, body] = ['application/json', '{"hello":"world"}\n\n'];
    const other = createServer((_, response) => {
      requests++;
      response.writeHead(200, { 'Content-Type': contentType });
      // Its body never ends: the client must not wait for it.
      response.write(body);
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const { recording } = open({ url, symbols: ['AAPL'], token: 'secret', tokenIn: 'query' });
      const error = await recording.ended.then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(StreamHttpError);
      expect(error).toMatchObject({
        status: 200,
        body: null,
        message: `${url}/api/stream answered HTTP 200 with Content-Type "application/json", not an event stream: is it a tickstream server?`,
      });
      expect(recording.events).toEqual([]);
      expect(requests).toBe(1);
    } finally {
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('ends the iteration and closes the connection when aborted, or when the consumer stops', async () => {
    const server = await start();
    const { recording, abort } = open({ url: server.url, symbols: ['AAPL', 'MSFT'] });
    await recording.until(() => recording.ticks().length >= 5, 'ticks');
    expect(server.bus.subscriberCount).toBe(2);
    abort();
    await recording.ended;
    expect(types(recording.events)).not.toContain('reconnecting');
    await eventually(() => server.bus.subscriberCount === 0, 5_000, 'the stream to close');

    const controller = new AbortController();
    const afterAbort: StreamEvent[] = [];
    const options = { url: server.url, symbols: ['NVDA'], signal: controller.signal };
    for await (const event of subscribe(options)) {
      if (controller.signal.aborted) {
        afterAbort.push(event);
      } else if (event.type === 'tick') {
        controller.abort();
      }
    }
    expect(afterAbort).toEqual([]);
    await eventually(() => server.bus.subscriberCount === 0, 5_000, 'the stream to close');

    let received = 0;
    for await (const event of subscribe({ url: server.url, symbols: ['NVDA'] })) {
      if (event.type === 'tick' && ++received === 5) {
        break;
      }
    }
    await eventually(() => server.bus.subscriberCount === 0, 5_000, 'the stream to close');
  });

  it('stops waiting to reconnect when aborted', async () => {
    const server = await start({ RETRY_MS: '60000' });
    const { recording, abort } = open({ url: server.url, symbols: ['AAPL'] });
    await recording.until((events) => types(events).includes('snapshot'), 'the snapshot');
    await server.close();
    servers.splice(0);
    await recording.until((events) => types(events).includes('reconnecting'), 'the reconnect');
    const reconnect = recording.events.at(-1);
    expect(reconnect).toMatchObject({ type: 'reconnecting', attempt: 1 });
    expect(reconnect?.type === 'reconnecting' && reconnect.delayMs).toBeGreaterThanOrEqual(60_000);
    // The iteration would otherwise sleep for a minute, far past the test's timeout.
    abort();
    await recording.ended;
  });

  it('resumes from a given id, and from a frame that carries only an id', async () => {
    const server = await start({ FEED: 'none', RETRY_MS: '0', HEARTBEAT_MS: '100' });
    const requests = streamRequests(server);
    const published: Tick[] = [];
    for (let price = 1; price <= 3; price++) {
      published.push(await server.publish('AAPL', price));
    }

    const resumed = open({ url: server.url, symbols: ['AAPL'], lastEventId: published[0].id });
    await resumed.recording.until(() => resumed.recording.ticks().length === 2, 'two ticks');
    const heard = resumed.recording.events.filter((event) => event.type !== 'heartbeat');
    expect(heard).toEqual([
      { type: 'open', resumed: true },
      { type: 'tick', id: published[1].id, quote: published[1].quote },
      { type: 'tick', id: published[2].id, quote: published[2].quote },
    ]);
    resumed.abort();

    // Without a snapshot, a fresh stream opens with `id: <head>` and `retry:` only.
    const bare = open({ url: server.url, symbols: ['AAPL'], snapshot: false, throttle: 250 });
    await bare.recording.until((events) => types(events).includes('heartbeat'), 'a heartbeat');
    expect(bare.recording.events[0]).toEqual({ type: 'open', resumed: false });
    const query = new URL(requests.at(-1)?.url ?? '', server.url).searchParams;
    expect(Object.fromEntries(query)).toEqual({
      symbols: 'AAPL',
      throttle: '250',
      snapshot: 'false',
    });
    requests.at(-1)?.socket.destroy();
    await bare.recording.until((events) => types(events).includes('reconnecting'), 'a reconnect');
    await bare.recording.until(
      (events) => events.filter((e) => e.type === 'open').length === 2,
      'a second open',
    );
    expect(requests.at(-1)?.headers['last-event-id']).toBe(published[2].id);
    expect(bare.recording.events.filter((event) => event.type === 'open')).toEqual([
      { type: 'open', resumed: false },
      { type: 'open', resumed: true },
    ]);
    const next = await server.publish('AAPL', 4);
    await bare.recording.until(() => bare.recording.ticks().length === 1, 'the new tick');
    expect(bare.recording.ticks()).toEqual([{ type: 'tick', id: next.id, quote: next.quote }]);
  });

  it('changes its symbols with setSymbols, resuming from its last id: the symbols kept lose and repeat nothing, those added open with a snapshot', async () => {
    const server = await start({ FEED: 'none', RETRY_MS: '0' });
    const requests = streamRequests(server);
    const controller = new AbortController();
    controllers.push(controller);
    const subscription = subscribe({
      url: server.url,
      symbols: ['AAPL'],
      snapshot: false,
      signal: controller.signal,
    });
    const recording = record(subscription);
    recordings.push(recording);
    const opens = () => recording.events.filter((event) => event.type === 'open');
    await recording.until(() => opens().length === 1, 'the first open');
    const before = await server.publish('AAPL', 2);
    await recording.until(() => recording.ticks().length === 1, 'the first tick');
    const untold = await server.publish('MSFT', 1);

    subscription.setSymbols(['AAPL', 'MSFT']);
    // Published while the connection is being replaced: the resume brings it.
    const during = await server.publish('AAPL', 3);
    await recording.until(() => opens().length === 2, 'the second open');
    const added = await server.publish('MSFT', 4);
    await recording.until(() => recording.ticks().length === 3, 'the ticks after the change');
    expect(requests).toHaveLength(2);
    expect(requests[1].headers['last-event-id']).toBe(before.id);
    const params = (i: number) => new URL(requests[i].url ?? '', server.url).searchParams;
    expect(params(1).get('symbols')).toBe('AAPL,MSFT');
    expect(params(1).get('resumeSymbols')).toBe('AAPL');
    await eventually(() => server.bus.subscriberCount === 2, 5_000, 'the old stream to close');

    subscription.setSymbols(['MSFT']);
    await recording.until(() => opens().length === 3, 'the third open');
    await server.publish('AAPL', 5);
    const kept = await server.publish('MSFT', 6);
    await recording.until(() => recording.ticks().length === 4, 'the MSFT tick');
    expect(requests[2].headers['last-event-id']).toBe(added.id);
    expect(params(2).get('resumeSymbols')).toBe('AAPL,MSFT');
    expect(recording.events.filter((event) => event.type !== 'heartbeat')).toEqual([
      { type: 'open', resumed: false },
      { type: 'tick', id: before.id, quote: before.quote },
      { type: 'open', resumed: true },
      {
        type: 'snapshot',
        id: before.id,
        quotes: [expect.objectContaining({ ...untold.quote, state: 'open' })],
      },
      { type: 'tick', id: during.id, quote: during.quote },
      { type: 'tick', id: added.id, quote: added.quote },
      { type: 'open', resumed: true },
      { type: 'tick', id: kept.id, quote: kept.quote },
    ]);
  });

  it('replays from a time with since, until it has an id, which wins on reconnect', async () => {
    const server = await start({ FEED: 'none', RETRY_MS: '0' });
    const requests = streamRequests(server);
    await server.publish('AAPL', 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const replayed = await server.publish('AAPL', 2);

    const { recording } = open({ url: server.url, symbols: ['AAPL'], since });
    await recording.until(() => recording.ticks().length === 1, 'the replayed tick');
    expect(recording.ticks()).toEqual([{ type: 'tick', id: replayed.id, quote: replayed.quote }]);
    expect(new URL(requests[0].url ?? '', server.url).searchParams.get('since')).toBe(
      since.toISOString(),
    );
    requests[0].socket.destroy();
    await recording.until(
      (events) => events.filter((e) => e.type === 'open').length === 2,
      'a second open',
    );
    expect(requests[1].headers['last-event-id']).toBe(replayed.id);
    expect(new URL(requests[1].url ?? '', server.url).searchParams.has('since')).toBe(false);
  });

  it('surfaces a reset for an unknown id, then the fresh snapshot', async () => {
    const server = await start();
    const { recording } = open({ url: server.url, symbols: ['MSFT'], lastEventId: '1-0' });
    await recording.until((events) => types(events).includes('snapshot'), 'the snapshot');
    expect(types(recording.events).slice(0, 3)).toEqual(['open', 'reset', 'snapshot']);
    expect(recording.events[1]).toEqual({
      type: 'reset',
      lastEventId: '1-0',
      reason: 'the last event id is unknown or older than the retained history',
    });
  });

  it('adapts to an RxJS Observable that closes the stream on unsubscribe and errors on a 4xx', async () => {
    const server = await start();
    const ticks = await firstValueFrom(
      toObservable({ url: server.url, symbols: ['AAPL', 'TSLA'], throttle: 0 }).pipe(
        filter((event): event is TickEvent => event.type === 'tick'),
        take(5),
        toArray(),
      ),
    );
    expect(ticks).toHaveLength(5);
    expect(ticks.every((event) => ['AAPL', 'TSLA'].includes(event.quote.symbol))).toBe(true);
    await eventually(() => server.bus.subscriberCount === 0, 5_000, 'the stream to close');

    await expect(
      lastValueFrom(toObservable({ url: server.url, symbols: ['NOPE'] })),
    ).rejects.toBeInstanceOf(StreamHttpError);

    const controller = new AbortController();
    const received: StreamEvent[] = [];
    const completed = lastValueFrom(
      toObservable({ url: server.url, symbols: ['AAPL'], signal: controller.signal }).pipe(
        tap((event) => received.push(event)),
        count(),
      ),
    );
    await eventually(() => types(received).includes('tick'), 5_000, 'a tick');
    controller.abort();
    expect(await completed).toBe(received.length);
    await eventually(() => server.bus.subscriberCount === 0, 5_000, 'the stream to close');
  });

  it('sends its token as a Bearer header, or as access_token, and fails once without one', async () => {
    const server = await start(JWT_SERVER);
    const requests = streamRequests(server);
    const valid = await token({ symbols: ['AAPL'] });

    const byHeader = open({ url: server.url, symbols: ['AAPL'], token: valid }).recording;
    await byHeader.until((events) => types(events).includes('tick'), 'a tick');
    expect(requests[0].headers.authorization).toBe(`Bearer ${valid}`);
    expect(requests[0].url).not.toContain('access_token');

    const byQuery = open({ url: server.url, symbols: ['AAPL'], token: valid, tokenIn: 'query' });
    await byQuery.recording.until((events) => types(events).includes('tick'), 'a tick');
    expect(requests[1].url).toContain(`access_token=${valid}`);
    expect(requests[1].headers.authorization).toBeUndefined();

    const without = open({ url: server.url, symbols: ['AAPL'] }).recording;
    await expect(without.ended).rejects.toMatchObject({
      status: 401,
      body: { field: 'authorization', reason: 'token_missing' },
    });
    const denied = open({ url: server.url, symbols: ['TSLA'], token: valid }).recording;
    await expect(denied.ended).rejects.toMatchObject({ status: 403, body: { value: ['TSLA'] } });
    expect(requests).toHaveLength(4);
  });

  it('resumes with a fresh token from its provider when the old one expires, losing nothing', async () => {
    const server = await start({ ...JWT_SERVER, RETRY_MS: '50' });
    const published: Tick[] = [];
    const recordingTicks = server.ticks.subscribe((tick) => published.push(tick));
    // exp is in whole seconds: the first token lands 1 to 2 seconds from now.
    const expiries = [Math.floor(Date.now() / 1000) + 2, Math.floor(Date.now() / 1000) + 3600];
    let issued = 0;
    const provider = () =>
      token({ symbols: ['AAPL', 'MSFT'], expires: expiries[Math.min(issued++, 1)] });
    const { recording } = open({ url: server.url, symbols: ['AAPL', 'MSFT'], token: provider });
    await recording.until((events) => {
      const expired = types(events).indexOf('token-expired');
      return (
        expired >= 0 && events.slice(expired).filter((event) => event.type === 'tick').length >= 20
      );
    }, 'ticks after the token expired');
    recordingTicks.unsubscribe();

    expect(issued).toBe(2);
    const kinds = types(recording.events).filter((type) => type !== 'heartbeat' && type !== 'tick');
    expect(kinds).toEqual(['open', 'snapshot', 'token-expired', 'reconnecting', 'open']);
    expect(recording.events.filter((event) => event.type === 'open').at(-1)).toEqual({
      type: 'open',
      resumed: true,
    });
    const ids = recording.ticks().map((event) => event.id);
    const expected = published
      .filter((tick) => ['AAPL', 'MSFT'].includes(tick.quote.symbol))
      .map((tick) => tick.id)
      .filter(
        (id) => compareEventIds(id, ids[0]) >= 0 && compareEventIds(id, ids.at(-1) ?? '') <= 0,
      );
    expect(ids).toEqual(expected);
  });
});
