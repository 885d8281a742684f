import type { BarData, Quote, StatusData } from '@tickstream/client/contract';
import { SseClient, eventually, sleep } from './support/sse-client.js';
import { dropPrefix, SHARED_REDIS_URL, uniquePrefix } from './support/redis.js';
import { startServer, type TestServer } from './support/test-server.js';
import { bearer, JWT_SERVER, token } from './support/tokens.js';

// Bars, trading status and the firehose, through the stream as every client gets them.

const INGEST_TOKEN = 'an-ingest-token-long-enough';

const bars = (client: SseClient): (BarData & { id: string })[] =>
  client.of('bar').map(({ id, data }) => ({ ...(JSON.parse(data) as BarData), id }));
const statuses = (client: SseClient): StatusData[] =>
  client.of('status').map(({ data }) => JSON.parse(data) as StatusData);

/** The final bars, by interval, symbol and time: the last sent of each wins. */
function finals(received: BarData[]): Map<string, BarData> {
  return new Map(
    received
      .filter((bar) => bar.final)
      .map((bar) => [`${bar.interval} ${bar.symbol} ${bar.time}`, bar]),
  );
}

/** The OHLCV bar of the ticks whose time falls in the second starting at `time`. */
function barOf(ticks: Quote[], time: number) {
  const inside = ticks.filter((tick) => Math.floor(tick.ts / 1000) === time);
  return inside.length === 0
    ? undefined
    : {
        open: inside[0].price,
        high: Math.max(...inside.map((tick) => tick.price)),
        low: Math.min(...inside.map((tick) => tick.price)),
        close: inside[inside.length - 1].price,
        volume: inside.reduce((sum, tick) => sum + tick.size, 0),
      };
}

const post = (server: TestServer, path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${INGEST_TOKEN}` },
  });

describe('bars on the stream', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('agree with the ticks they are made of, across second boundaries, and close final', async () => {
    server = await startServer();
    const client = server.connect('symbols=AAPL&bars=1s');
    await sleep(3_500);
    const ticks = client.ticks();
    const firstSecond = Math.floor(ticks[0].ts / 1000);
    const closed = [...finals(bars(client)).values()].filter(
      // The first second began before the stream did; it holds ticks this client never saw.
      (bar) => bar.time > firstSecond,
    );
    expect(closed.length).toBeGreaterThanOrEqual(2);
    for (const bar of closed) {
      expect({ time: bar.time, ...barOf(ticks, bar.time) }).toEqual({
        time: bar.time,
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
      });
    }
    // Every change of the open bar came before its final, and the final has the id of the
    // event that closed it, after the bar's last tick.
    const sent = bars(client);
    for (const bar of closed) {
      const last = sent.findLastIndex((each) => each.time === bar.time && !each.final);
      const final = sent.findIndex((each) => each.time === bar.time && each.final);
      expect(last).toBeLessThan(final);
    }
  });

  it('at a throttle, are sent at most once per window per bar, and the final always', async () => {
    server = await startServer();
    const client = server.connect('symbols=AAPL&bars=1s&throttle=500');
    await sleep(3_500);
    const sent = bars(client);
    const opens = sent.filter((bar) => !bar.final);
    const perBar = new Map<number, number>();
    opens.forEach((bar) => perBar.set(bar.time, (perBar.get(bar.time) ?? 0) + 1));
    // A one-second bar changes about 160 times a second; a 500 ms window lets two through.
    expect(Math.max(...perBar.values())).toBeLessThanOrEqual(3);
    const closedTimes = new Set(sent.filter((bar) => bar.final).map((bar) => bar.time));
    const firstOpen = Math.min(...opens.map((bar) => bar.time));
    const lastFinal = Math.max(...closedTimes);
    for (let time = firstOpen + 1; time <= lastFinal; time++) {
      expect([time, closedTimes.has(time)]).toEqual([time, true]);
    }
  });

  it('reach a resumed stream: the bars that closed while it was away, and the open one', async () => {
    server = await startServer();
    const first = server.connect('symbols=AAPL&bars=1s');
    await first.waitFor((c) => bars(c).some((bar) => bar.final));
    first.close();
    const leftAt = first.lastEventId;
    const lastSeen = Math.max(...bars(first).map((bar) => bar.time));
    await sleep(2_500);
    const resumed = server.connect('symbols=AAPL&bars=1s', { lastEventId: leftAt });
    // The bars come once the replay of the ticks missed is out.
    await resumed.waitFor((c) => bars(c).some((bar) => !bar.final));
    expect(resumed.of('reset')).toHaveLength(0);
    const got = bars(resumed);
    const nowOpen = got.find((bar) => !bar.final);
    expect(nowOpen).toBeDefined();
    const closedAway = new Set(got.filter((bar) => bar.final).map((bar) => bar.time));
    for (let time = lastSeen + 1; time < (nowOpen?.time ?? 0); time++) {
      expect([time, closedAway.has(time)]).toEqual([time, true]);
    }
  });

  it('are the same on every instance: made from the one log of the Redis bus', async () => {
    const prefix = uniquePrefix('bars');
    const redis = { BUS: 'redis', REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix };
    const feed = await startServer({ ...redis, ROLE: 'feed' });
    const edges = [
      await startServer({ ...redis, ROLE: 'edge' }),
      await startServer({ ...redis, ROLE: 'edge' }),
    ];
    try {
      const clients = edges.map((edge) => edge.connect('symbols=AAPL,MSFT&bars=1s'));
      await sleep(3_500);
      const [one, two] = clients.map((client) => finals(bars(client)));
      // An instance's first bars began before it started reading: they hold what it saw.
      const settled = Math.max(...clients.map((client) => bars(client)[0].time)) + 1;
      const both = [...one.keys()].filter(
        (key) => two.has(key) && Number(key.split(' ')[2]) > settled,
      );
      expect(both.length).toBeGreaterThanOrEqual(4);
      for (const key of both) {
        expect(one.get(key)).toEqual(two.get(key));
      }
    } finally {
      await Promise.all([feed, ...edges].map((server) => server.close()));
      await dropPrefix(prefix);
    }
  });

  it('refuse a bars parameter that is not intervals, each once', async () => {
    server = await startServer();
    for (const bad of ['2h', '1s,1s', '', '1s,', '1M']) {
      const response = await fetch(`${server.url}/api/stream?symbols=AAPL&bars=${bad}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ field: 'bars', value: bad });
    }
  });
});

describe('a market made up at start', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('has a full chart from the first second, ending at the first live price', async () => {
    server = await startServer({ TICKS_PER_SECOND: '50' });
    const candles = async (interval: string) =>
      (await (
        await fetch(`${server?.url}/api/symbols/AAPL/candles?interval=${interval}&limit=300`)
      ).json()) as BarData[];
    for (const interval of ['1m', '1s']) {
      const got = await candles(interval);
      expect([interval, got.length]).toEqual([interval, 300]);
    }
    const minutes = await candles('1m');
    for (let i = 1; i < minutes.length; i++) {
      expect(minutes[i].time - minutes[i - 1].time).toBe(60);
    }
    // The session opened where the past began, and the first live price is where the past ended.
    const [info] = (await (await fetch(`${server.url}/api/symbols`)).json()) as {
      symbol: string;
      sessionOpen: number;
    }[];
    expect(info.symbol).toBe('AAPL');
    const past = (await (
      await fetch(`${server.url}/api/symbols/AAPL/candles?interval=1m&limit=1000`)
    ).json()) as BarData[];
    expect(info.sessionOpen).toBe(past[0].open);
    const client = server.connect('symbols=AAPL');
    await client.waitFor((c) => c.of('snapshot').length === 1);
    const [quote] = (
      JSON.parse(client.of('snapshot')[0].data) as { quotes: (Quote & { sessionOpen: number })[] }
    ).quotes;
    expect(quote.sessionOpen).toBe(info.sessionOpen);
  });
});

describe('trading status', () => {
  const prefix = uniquePrefix('status');
  const redis = { BUS: 'redis', REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix };
  const servers: TestServer[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await dropPrefix(prefix);
  });

  it('posted on one instance reaches the streams of another, stops the symbol, and opens it again', async () => {
    const feed = await startServer({ ...redis, ROLE: 'feed', INGEST_TOKEN });
    const edge = await startServer({ ...redis, ROLE: 'edge', INGEST_TOKEN });
    servers.push(feed, edge);
    const client = edge.connect('symbols=AAPL,MSFT');
    await client.waitFor((c) => c.ticks().some((tick) => tick.symbol === 'AAPL'), 10_000);
    const halt = await post(feed, '/api/status', {
      symbol: 'aapl',
      state: 'halted',
      reason: 'news pending',
    });
    expect(halt.status).toBe(202);
    const { id } = (await halt.json()) as { id: string };
    await client.waitFor((c) => statuses(c).length === 1);
    expect(statuses(client)[0]).toMatchObject({
      symbol: 'AAPL',
      state: 'halted',
      reason: 'news pending',
    });
    expect(client.of('status')[0].id).toBe(id);
    // No AAPL tick after the halt; MSFT goes on.
    const haltedAt = client.events.findIndex((event) => event.type === 'status');
    await sleep(1_000);
    const after = client.events.slice(haltedAt + 1).filter((event) => event.type === 'tick');
    expect(after.some((event) => event.data.includes('"MSFT"'))).toBe(true);
    expect(after.some((event) => event.data.includes('"AAPL"'))).toBe(false);
    // Ingestion refuses a halted symbol's ticks on any instance, and publishes nothing of the batch.
    const refused = await post(edge, '/api/ticks', [
      { symbol: 'MSFT', price: 400 },
      { symbol: 'AAPL', price: 1 },
    ]);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ field: '[1].symbol', value: 'AAPL' });
    // A new stream's snapshot says so.
    const late = edge.connect('symbols=AAPL');
    await late.waitFor((c) => c.of('snapshot').length === 1);
    expect(JSON.parse(late.of('snapshot')[0].data)).toMatchObject({
      quotes: [{ symbol: 'AAPL', state: 'halted' }],
    });
    expect((await post(edge, '/api/status', { symbol: 'AAPL', state: 'open' })).status).toBe(202);
    await client.waitFor(
      (c) =>
        c.ticks().filter((tick) => tick.symbol === 'AAPL').length > 0 &&
        statuses(c).length === 2 &&
        c.events
          .slice(c.events.findLastIndex((event) => event.type === 'status'))
          .some((event) => event.type === 'tick' && event.data.includes('"AAPL"')),
      10_000,
    );
    expect(statuses(client)[1]).toMatchObject({ symbol: 'AAPL', state: 'open', reason: null });
  });

  it('comes from the simulated market itself: a limit-up/limit-down halt, then its reopening', async () => {
    const server = await startServer({
      LULD_BAND_PCT: '0.1',
      LULD_WINDOW_MS: '60000',
      LULD_HALT_MS: '500',
    });
    servers.push(server);
    const client = server.connect('symbols=NVDA,TSLA,AMD');
    await client.waitFor(
      (c) =>
        statuses(c).some(
          (status, i, all) =>
            status.state === 'halted' &&
            all
              .slice(i + 1)
              .some((later) => later.symbol === status.symbol && later.state === 'open'),
        ),
      15_000,
    );
    const halted = statuses(client).find((status) => status.state === 'halted');
    expect(halted?.reason).toMatch(/^limit up-limit down: [+-]\d+\.\d % in \d+ s \(band 0\.1 %\)$/);
    // Between the halt and the reopening the symbol printed nothing.
    const events = client.events;
    const from = events.findIndex(
      (event) => event.type === 'status' && event.data.includes('"halted"'),
    );
    const to = events.findIndex(
      (event, i) =>
        i > from && event.type === 'status' && event.data.includes(`"${halted?.symbol}"`),
    );
    const between = events.slice(from + 1, to).filter((event) => event.type === 'tick');
    expect(between.filter((event) => event.data.includes(`"${halted?.symbol}"`))).toEqual([]);
  });

  it('closes every symbol out of MARKET_HOURS, and no symbol ticks', async () => {
    // The hours of a market somewhere are always over: open for one minute, at a time not now.
    const now = new Date();
    const minute = (now.getUTCHours() * 60 + now.getUTCMinutes() + 720) % 1440;
    const clock = (m: number) =>
      `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    const server = await startServer({ MARKET_HOURS: `${clock(minute)}-${clock(minute + 1)} UTC` });
    servers.push(server);
    const client = server.connect('symbols=AAPL,MSFT');
    await client.waitFor((c) => c.of('snapshot').length === 1);
    expect(JSON.parse(client.of('snapshot')[0].data)).toMatchObject({
      quotes: [
        { symbol: 'AAPL', state: 'closed' },
        { symbol: 'MSFT', state: 'closed' },
      ],
    });
    await sleep(500);
    expect(client.ticks()).toEqual([]);
  });

  it('survives a resume: a stream away during a halt gets it from history', async () => {
    const server = await startServer({ INGEST_TOKEN });
    servers.push(server);
    const client = server.connect('symbols=AAPL&throttle=250');
    await client.waitFor((c) => c.ticks().length > 0);
    client.close();
    await post(server, '/api/status', { symbol: 'AAPL', state: 'halted' });
    await post(server, '/api/status', { symbol: 'AAPL', state: 'open', reason: 'reopened' });
    const resumed = server.connect('symbols=AAPL&throttle=250', {
      lastEventId: client.lastEventId,
    });
    await resumed.waitFor((c) => statuses(c).length === 2);
    expect(statuses(resumed).map((status) => status.state)).toEqual(['halted', 'open']);
  });

  it('refuses a bad body with 400 naming the field, and publishes nothing', async () => {
    const server = await startServer({ INGEST_TOKEN });
    servers.push(server);
    const client = server.connect('symbols=AAPL&snapshot=false');
    await client.waitFor((c) => c.ticks().length > 0);
    const cases: [unknown, string][] = [
      [{ symbol: 'NOPE', state: 'halted' }, 'symbol'],
      [{ symbol: 'AAPL', state: 'asleep' }, 'state'],
      [{ symbol: 'AAPL' }, 'state'],
      [{ symbol: 'AAPL', state: 'halted', reason: 'x'.repeat(201) }, 'reason'],
      [{ symbol: 'AAPL', state: 'halted', reason: 'line\nbreak' }, 'reason'],
      [{ symbol: 'AAPL', state: 'halted', extra: 1 }, 'extra'],
      [['AAPL'], 'body'],
    ];
    for (const [body, field] of cases) {
      const response = await post(server, '/api/status', body);
      expect([field, response.status]).toEqual([field, 400]);
      expect(await response.json()).toMatchObject({ field });
    }
    await sleep(300);
    expect(statuses(client)).toEqual([]);
  });
});

describe('the firehose', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('streams every symbol, and one admitted after it opened', async () => {
    server = await startServer({
      FEED: 'none',
      ALLOW_NEW_SYMBOLS: 'true',
      INGEST_TOKEN,
      TICKS_PER_SECOND: '0',
    });
    await post(server, '/api/ticks', [{ symbol: 'AAPL', price: 228 }]);
    const every = server.connect('symbols=*');
    const throttled = server.connect('symbols=*&throttle=200&bars=1s');
    await every.waitFor((c) => c.of('snapshot').length === 1);
    await throttled.waitFor((c) => c.of('snapshot').length === 1);
    expect(JSON.parse(every.of('snapshot')[0].data)).toMatchObject({
      quotes: [{ symbol: 'AAPL', state: 'open' }],
    });
    for (const symbol of ['NEWCO', 'ZZZ.A']) {
      expect((await post(server, '/api/ticks', [{ symbol, price: 10 }])).status).toBe(202);
    }
    for (const client of [every, throttled]) {
      await client.waitFor((c) =>
        ['NEWCO', 'ZZZ.A'].every((symbol) => c.ticks().some((tick) => tick.symbol === symbol)),
      );
    }
    await throttled.waitFor((c) => bars(c).some((bar) => bar.symbol === 'NEWCO'));
  });

  it('needs a token that covers every symbol', async () => {
    server = await startServer(JWT_SERVER);
    const some = await fetch(`${server.url}/api/stream?symbols=*`, {
      headers: bearer(await token({ symbols: ['AAPL'] })),
    });
    expect(some.status).toBe(403);
    expect(await some.json()).toMatchObject({ field: 'symbols', value: ['*'] });
    const all = server.connect('symbols=*', {
      headers: bearer(await token({ symbols: '*' })),
    });
    await all.waitFor((c) => c.ticks().length > 0);
    await eventually(() => new Set(all.ticks().map((tick) => tick.symbol)).size > 5, 5_000);
  });
});
