import { compareEventIds, type StatusData } from '@tickstream/client/contract';
import { RandomWalk } from '../src/market-data/simulation/random-walk.js';
import { profileOf } from '../src/market-data/symbol-universe.js';
import {
  dropPrefix,
  keysOf,
  redisClient,
  SHARED_REDIS_URL,
  uniquePrefix,
} from './support/redis.js';
import { listening, type ListeningProcess } from './support/server-process.js';
import { sleep, SseClient, type ReceivedTick } from './support/sse-client.js';

// The default: long enough that a loaded machine does not let a live holder's lease run out
// between renewals (at 1 s and 2.5 s, a shared machine under load flapped it now and then).
const LEASE_MS = 5_000;
const RATE = 20;
/** A test waits out a lease or two, on a loaded machine. */
const TEST_MS = 20 * LEASE_MS;
const SYMBOLS = ['AAPL', 'MSFT'];
/** Quiet markets (no news jumps, no halts), so that a walk is fixed by its seed alone. */
const MARKET = {
  TICKS_PER_SECOND: String(RATE),
  SYMBOLS: SYMBOLS.join(','),
  NEWS_JUMPS_PER_HOUR: '0',
  LULD_BAND_PCT: '100',
  FEED_LEASE_MS: String(LEASE_MS),
};
const SEED = { first: 1111, second: 2222 };

/** A tick as the walk makes it: its price and size together all but never repeat by chance. */
const print = ({ price, size }: { price: number; size: number }) => `${price}x${size}`;

/**
 * The AAPL prints of the walk of `seed` as a feed makes them: from the opening when it opens the
 * market, or, when it takes over, going on from `from`, the last price the log held.
 */
function walkOf(seed: number, count: number, from?: number): string[] {
  const walk = new RandomWalk(SYMBOLS.map(profileOf), seed, RATE, 0);
  const prints: string[] = [];
  if (from === undefined) {
    prints.push(print(walk.openingQuotes(0)[0]));
  } else {
    walk.continueFrom([
      {
        symbol: 'AAPL',
        kind: 'trade',
        price: from,
        bid: from,
        ask: from,
        size: 1,
        bidSize: 0,
        askSize: 0,
        ts: 0,
      },
    ]);
  }
  while (prints.length < count) {
    const quote = walk.next(0);
    if (quote.symbol === 'AAPL') {
      prints.push(print(quote));
    }
  }
  return prints;
}

/**
 * How the received AAPL ticks split into a stretch of the first feed's walk and what follows it,
 * which must be the second feed's walk going on from the stretch's last price. A tick of one walk
 * among the other's, or a jump, leaves ticks that match neither.
 */
function walksOf(ticks: readonly ReceivedTick[]): {
  first: number;
  second: number;
  neither: number;
} {
  const first = walkOf(SEED.first, 50_000);
  // A print may come round again (round lots at one price): the stretch is the longest run.
  const runFrom = (start: number): number => {
    let run = 0;
    while (run < ticks.length && first[start + run] === print(ticks[run])) {
      run++;
    }
    return run;
  };
  const firstCount = Math.max(0, ...first.map((_, start) => runFrom(start)));
  const rest = ticks.slice(firstCount);
  if (firstCount === 0 || rest.length === 0) {
    return { first: firstCount, second: 0, neither: rest.length };
  }
  const second = walkOf(SEED.second, rest.length, ticks[firstCount - 1].price);
  const secondCount = rest.findIndex((tick, i) => print(tick) !== second[i]);
  const matched = secondCount === -1 ? rest.length : secondCount;
  return { first: firstCount, second: matched, neither: rest.length - matched };
}

interface FeedHealth {
  lease: 'held' | 'standby';
  fence?: number;
  holder: string;
}

async function feedHealth(server: ListeningProcess): Promise<FeedHealth | undefined> {
  const body = (await (await fetch(`${server.url}/health/ready`)).json()) as {
    details: { feed?: FeedHealth };
  };
  return body.details.feed;
}

async function metricOf(server: ListeningProcess, line: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const found = text.split('\n').find((entry) => entry.startsWith(`${line} `));
  return Number(found?.split(' ')[1] ?? NaN);
}

/** Waits for the feed's lease to be `lease`, held (when given) by the process of `holderPid`. */
async function leaseReaches(
  server: ListeningProcess,
  lease: FeedHealth['lease'],
  { holderPid, timeoutMs = 10 * LEASE_MS }: { holderPid?: number; timeoutMs?: number } = {},
): Promise<FeedHealth> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = await feedHealth(server);
    if (
      health?.lease === lease &&
      (holderPid === undefined || health.holder.endsWith(` pid ${holderPid}`))
    ) {
      return health;
    }
    if (Date.now() > deadline) {
      throw new Error(`the feed's lease stayed ${JSON.stringify(health)}, not ${lease}`);
    }
    await sleep(50);
  }
}

/** Ids in the order they came, each after the one before: nothing repeated, nothing reordered. */
function expectOrdered(ticks: readonly ReceivedTick[]): void {
  const disordered = ticks.filter(
    (tick, i) => i > 0 && compareEventIds(ticks[i - 1].id, tick.id) >= 0,
  );
  expect(disordered).toEqual([]);
}

describe('one feed at a time (the feed lease, Redis)', () => {
  const started: ListeningProcess[] = [];
  const clients: SseClient[] = [];
  let prefix: string;

  async function start(env: Record<string, string>): Promise<ListeningProcess> {
    const server = await listening({
      HOST: '127.0.0.1',
      BUS: 'redis',
      REDIS_PREFIX: prefix,
      ...MARKET,
      ...env,
    });
    started.push(server);
    return server;
  }

  /** The first feed holding the lease, the second waiting, and an edge's subscriber to AAPL. */
  async function fleet(): Promise<{
    first: ListeningProcess;
    second: ListeningProcess;
    client: SseClient;
  }> {
    const first = await start({ ROLE: 'feed', FEED_SEED: String(SEED.first) });
    expect(await leaseReaches(first, 'held')).toMatchObject({ fence: 1 });
    const second = await start({ ROLE: 'feed', FEED_SEED: String(SEED.second) });
    await leaseReaches(second, 'standby', { holderPid: first.child.pid });
    const edge = await start({ ROLE: 'edge' });
    const client = new SseClient(`${edge.url}/api/stream?symbols=AAPL`);
    clients.push(client);
    await client.waitFor((c) => c.ticks().length >= 10, 20_000, 'ticks of the first feed');
    return { first, second, client };
  }

  beforeEach(() => {
    prefix = uniquePrefix('feed-lease');
  });

  afterEach(async () => {
    clients.splice(0).forEach((client) => client.close());
    started.splice(0).forEach(({ child }) => {
      child.kill('SIGKILL');
      child.kill('SIGCONT');
    });
    await dropPrefix(prefix);
  });

  it(
    'two feeds on one prefix: one writes, the other waits, and a subscriber sees one walk',
    async () => {
      const { first, second, client } = await fleet();
      const seen = client.ticks().length;
      await client.waitFor((c) => c.ticks().length >= seen + 30, 20_000, 'more ticks');

      expect(walksOf(client.ticks())).toEqual({
        first: client.ticks().length,
        second: 0,
        neither: 0,
      });
      expect(await metricOf(first, 'tickstream_feed_lease_held')).toBe(1);
      expect(await metricOf(second, 'tickstream_feed_lease_held')).toBe(0);
      expect(
        await metricOf(first, 'tickstream_ticks_published_total{source="simulated"}'),
      ).toBeGreaterThan(0);
      expect(await metricOf(second, 'tickstream_ticks_published_total{source="simulated"}')).toBe(
        0,
      );
      expect(await feedHealth(second)).toMatchObject({ lease: 'standby' });
    },
    TEST_MS,
  );

  it(
    'the holder killed: the standby takes over from the latest quotes, nothing repeated',
    async () => {
      const { first, second, client } = await fleet();
      first.child.kill('SIGKILL');
      await first.exit;
      expect(await leaseReaches(second, 'held')).toMatchObject({ fence: 2 });
      const before = client.ticks().length;
      await client.waitFor(
        (c) => c.ticks().length >= before + 20,
        20_000,
        "the second feed's ticks",
      );

      const ticks = client.ticks();
      expectOrdered(ticks);
      const walks = walksOf(ticks);
      expect(walks.neither).toBe(0);
      expect(walks.first).toBeGreaterThanOrEqual(10);
      expect(walks.second).toBeGreaterThanOrEqual(20);
      expect(await metricOf(second, 'tickstream_feed_lease_takeovers_total')).toBe(1);
      // The first feed made the market's past up once; the second has it from the store, whole.
      const minutes = (await (
        await fetch(`${second.url}/api/symbols/AAPL/candles?interval=1m&limit=1000`)
      ).json()) as unknown[];
      expect(minutes.length).toBeGreaterThanOrEqual(300);
    },
    TEST_MS,
  );

  it(
    'the holder stopped with SIGTERM frees the lease at once, and the standby takes over',
    async () => {
      const { first, second } = await fleet();
      first.child.kill('SIGTERM');
      const { output } = await first.exit;
      expect(output).toContain('gave the feed lease up');
      // Well inside one lease: the standby asks every third of one, and need not wait this one out.
      expect(await leaseReaches(second, 'held', { timeoutMs: LEASE_MS })).toMatchObject({
        fence: 2,
      });
    },
    TEST_MS,
  );

  it(
    'the holder paused past its lease: the standby takes over, and the old one is fenced and steps down',
    async () => {
      const { first, second, client } = await fleet();
      first.child.kill('SIGSTOP');
      expect(await leaseReaches(second, 'held')).toMatchObject({ fence: 2 });
      const before = client.ticks().length;
      await client.waitFor(
        (c) => c.ticks().length >= before + 10,
        20_000,
        "the second feed's ticks",
      );
      first.child.kill('SIGCONT');

      const deadline = Date.now() + 10 * LEASE_MS;
      while ((await metricOf(first, 'tickstream_feed_fenced_writes_total')) < 1) {
        expect(Date.now()).toBeLessThan(deadline);
        await sleep(50);
      }
      await leaseReaches(first, 'standby', { holderPid: second.child.pid });
      expect(await metricOf(first, 'tickstream_feed_lease_held')).toBe(0);
      const after = client.ticks().length;
      await client.waitFor(
        (c) => c.ticks().length >= after + 10,
        20_000,
        'ticks after the old feed woke',
      );

      const ticks = client.ticks();
      expectOrdered(ticks);
      const walks = walksOf(ticks);
      expect(walks.neither).toBe(0);
      expect(walks.second).toBeGreaterThanOrEqual(20);
    },
    TEST_MS,
  );
  it(
    "a feed that takes over reopens the halts of the one before, as the simulated market's own",
    async () => {
      // News jumps every second or so, past a band of 2 %: symbols halt at once.
      const jumpy = { NEWS_JUMPS_PER_HOUR: '3600', LULD_BAND_PCT: '2', LULD_HALT_MS: '8000' };
      const first = await start({ ROLE: 'feed', FEED_SEED: String(SEED.first), ...jumpy });
      await leaseReaches(first, 'held');
      const second = await start({ ROLE: 'feed', FEED_SEED: String(SEED.second), ...jumpy });
      await leaseReaches(second, 'standby', { holderPid: first.child.pid });
      const edge = await start({ ROLE: 'edge' });
      const client = new SseClient(`${edge.url}/api/stream?symbols=${SYMBOLS.join(',')}`);
      clients.push(client);
      const statuses = () => client.of('status').map(({ data }) => JSON.parse(data) as StatusData);
      const halts = () => statuses().filter(({ state }) => state === 'halted');
      await client.waitFor(() => halts().length > 0, 20_000, 'a halt');
      const [halt] = halts();
      // Killed once the simulated market has kept its word on the halt for whoever comes next,
      // well before its LULD_HALT_MS: the first feed dies with the halt still to be reopened.
      const redis = redisClient(SHARED_REDIS_URL);
      try {
        const deadline = Date.now() + 10_000;
        while (!(await redis.hget(keysOf(prefix).simulatedStates, halt.symbol))) {
          expect(Date.now()).toBeLessThan(deadline);
          await sleep(20);
        }
      } finally {
        redis.disconnect();
      }
      first.child.kill('SIGKILL');
      await first.exit;
      const reopening = (list: StatusData[]) =>
        list.find(
          ({ symbol, state, ts }) => symbol === halt.symbol && state === 'open' && ts > halt.ts,
        );
      const beforeKill = statuses().length;
      expect(reopening(statuses())).toBeUndefined();

      await leaseReaches(second, 'held');
      await client.waitFor(
        () => reopening(statuses().slice(beforeKill)) !== undefined,
        TEST_MS / 2,
        `${halt.symbol} reopened`,
      );
      expect(reopening(statuses().slice(beforeKill))?.reason).toBe(
        'reopened after a limit up-limit down pause',
      );
    },
    TEST_MS,
  );
});
