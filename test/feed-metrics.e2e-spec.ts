import { PATHS } from '@tickstream/client/contract';
import { parseEventId } from '@tickstream/client/contract';
import { metric } from './support/metrics.js';
import { sleep } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';
import { setStatus, STATUS_TOKEN } from './support/trading-status.js';

const AGE = 'tickstream_newest_tick_age_seconds{partition="0"}';
const published = (source: string) => `tickstream_ticks_published_total{source="${source}"}`;
const refused = (route: string, reason: string) =>
  `tickstream_ingest_refused_total{route="${route}",reason="${reason}"}`;
const symbols = (state: string) => `tickstream_symbols{state="${state}"}`;

/** Polls a metric until it satisfies `check`: the feed counts what the bus has taken. */
async function metricReaches(
  server: TestServer,
  name: string,
  check: (value: number) => boolean,
): Promise<number> {
  const deadline = Date.now() + 5_000;
  let value = await metric(server, name);
  while (!check(value) && Date.now() < deadline) {
    await sleep(50);
    value = await metric(server, name);
  }
  expect(check(value)).toBe(true);
  return value;
}

function postTicks(server: TestServer, body: string, token = STATUS_TOKEN): Promise<Response> {
  return fetch(`${server.url}/${PATHS.ticks}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body,
  });
}

describe('feed metrics: a feed that stops is seen', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('counts the simulated market’s ticks as published by the simulated source', async () => {
    // No ticks per second: the opening prints alone, one per symbol.
    server = await startServer({ SYMBOLS: 'AAPL,MSFT,NVDA', TICKS_PER_SECOND: '0' });
    expect(await metricReaches(server, published('simulated'), (value) => value === 3)).toBe(3);
    expect(await metric(server, published('ingested'))).toBe(0);
  });

  it('counts ingested ticks, and refused ingests by route and reason, not accepted ones', async () => {
    server = await startServer({
      FEED: 'none',
      SYMBOLS: 'AAPL,MSFT',
      INGEST_TOKEN: STATUS_TOKEN,
    });
    const batch = JSON.stringify([
      { symbol: 'AAPL', price: 100 },
      { symbol: 'MSFT', price: 200 },
    ]);
    expect((await postTicks(server, batch)).status).toBe(202);
    expect(await metric(server, published('ingested'))).toBe(2);
    expect(await metric(server, published('simulated'))).toBe(0);

    expect((await postTicks(server, batch, 'a-token-that-is-not-the-one')).status).toBe(401);
    expect((await postTicks(server, '[{"symbol":"AAPL"}]')).status).toBe(400);
    await setStatus(server.url, 'AAPL', 'halted', 'news pending');
    expect((await postTicks(server, batch)).status).toBe(409);
    const status = await fetch(`${server.url}/${PATHS.status}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${STATUS_TOKEN}` },
      body: 'halted',
    });
    expect(status.status).toBe(415);

    await metricReaches(server, refused('ticks', 'unauthorized'), (value) => value === 1);
    await metricReaches(server, refused('ticks', 'invalid'), (value) => value === 1);
    await metricReaches(server, refused('ticks', 'symbol_stopped'), (value) => value === 1);
    await metricReaches(server, refused('status', 'unsupported_type'), (value) => value === 1);
    // The refused batches published nothing; the status change that was accepted is no refusal.
    expect(await metric(server, published('ingested'))).toBe(2);
    expect(await metric(server, refused('status', 'invalid'))).toBeNaN();
  });

  it('counts halts, and the symbols in each trading state', async () => {
    server = await startServer({
      FEED: 'none',
      SYMBOLS: 'AAPL,MSFT,NVDA',
      INGEST_TOKEN: STATUS_TOKEN,
    });
    expect(await metric(server, 'tickstream_halts_total')).toBe(0);
    expect(await metric(server, symbols('open'))).toBe(3);
    expect(await metric(server, symbols('halted'))).toBe(0);
    expect(await metric(server, symbols('closed'))).toBe(0);

    await setStatus(server.url, 'AAPL', 'halted', 'news pending');
    await setStatus(server.url, 'MSFT', 'closed');
    await setStatus(server.url, 'AAPL', 'open');
    await setStatus(server.url, 'NVDA', 'halted');
    expect(await metric(server, 'tickstream_halts_total')).toBe(2);
    await metricReaches(server, symbols('halted'), (value) => value === 1);
    expect(await metric(server, symbols('open'))).toBe(1);
    expect(await metric(server, symbols('closed'))).toBe(1);
  });

  it('ages the newest tick of partition 0 while none comes, from start until the first', async () => {
    server = await startServer({ FEED: 'none', SYMBOLS: 'AAPL' });
    const before = await metric(server, AGE);
    await sleep(1_100);
    expect((await metric(server, AGE)) - before).toBeGreaterThanOrEqual(1);

    const { id } = await server.publish('AAPL', 100);
    const numberedAt = parseEventId(id)?.ms ?? NaN;
    const askedFrom = Date.now();
    const age = await metric(server, AGE);
    const askedUntil = Date.now();
    // The tick's own age when the scrape was answered, whenever that was.
    expect(age).toBeGreaterThanOrEqual((askedFrom - numberedAt) / 1000 - 0.001);
    expect(age).toBeLessThanOrEqual((askedUntil - numberedAt) / 1000 + 0.001);

    await sleep(1_100);
    expect(await metric(server, AGE)).toBeGreaterThanOrEqual(1);
  });
});
