// The yardstick of `npm run bench`: the plainest honest SSE fan-out server, node:http and
// nothing else. It reads the same environment as tickstream (PORT, SYMBOLS, TICKS_PER_SECOND,
// FEED_SEED, RETRY_MS, HEARTBEAT_MS), runs the same simulated market on one timer with the same
// cadence and batching as SimulatedFeedService, serialises each tick once, and writes it to each
// subscriber of its symbol. No resume, no limits, no backpressure: what a hand-written server
// would do first.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { EventIdClock } from '../src/bus/event-id-clock.js';
import type { Quote } from '@tickstream/client/contract';
import { runFeedClock } from '../src/market-data/feed-clock.js';
import { RandomWalk } from '../src/market-data/random-walk.js';
import { DEFAULT_UNIVERSE, profileOf } from '../src/market-data/symbol-universe.js';

const env = process.env;
const port = Number(env.PORT || 3000);
const rate = Number(env.TICKS_PER_SECOND || 50);
const seed = Number(env.FEED_SEED || Math.floor(Math.random() * 2 ** 32));
const retryMs = Number(env.RETRY_MS || 2_000);
const heartbeatMs = Number(env.HEARTBEAT_MS || 15_000);
const profiles = env.SYMBOLS
  ? env.SYMBOLS.split(',').map((entry) => profileOf(entry.trim().toUpperCase()))
  : DEFAULT_UNIVERSE;

/** One stream. With a throttle, at most one tick per symbol per window, the latest. */
class Subscriber {
  /** When each symbol's window closes; a symbol without one is in a quiet period. */
  private readonly windowEnds = new Map<string, number>();
  /** The latest frame of each symbol waiting for its window to close. */
  private readonly pending = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(
    private readonly res: ServerResponse,
    private readonly throttleMs: number,
  ) {}

  send(symbol: string, frame: string, now: number): void {
    if (this.throttleMs === 0) {
      this.res.write(frame);
      return;
    }
    const windowEnd = this.windowEnds.get(symbol) ?? 0;
    if (now >= windowEnd) {
      this.res.write(frame);
      this.windowEnds.set(symbol, now + this.throttleMs);
      return;
    }
    this.pending.set(symbol, frame);
    this.wakeAt(windowEnd);
  }

  close(): void {
    clearTimeout(this.timer);
  }

  private wakeAt(at: number): void {
    if (at >= this.timerAt) {
      return;
    }
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.flush(), at - Date.now());
  }

  private flush(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [symbol, frame] of this.pending) {
      const windowEnd = this.windowEnds.get(symbol) ?? 0;
      if (now >= windowEnd) {
        this.res.write(frame);
        this.windowEnds.set(symbol, now + this.throttleMs);
        this.pending.delete(symbol);
      } else {
        next = Math.min(next, windowEnd);
      }
    }
    if (next < Infinity) {
      this.wakeAt(next);
    }
  }
}

const subscribers = new Map<string, Set<Subscriber>>(
  profiles.map((profile) => [profile.symbol, new Set()]),
);
const everyone = new Set<ServerResponse>();
const latest = new Map<string, Quote>();
const clock = new EventIdClock();
let head = clock.origin;

function publish(quotes: Quote[]): void {
  const now = Date.now();
  for (const quote of quotes) {
    head = clock.next();
    latest.set(quote.symbol, quote);
    const frame = `event: tick\nid: ${head}\ndata: ${JSON.stringify(quote)}\n\n`;
    for (const subscriber of subscribers.get(quote.symbol) ?? []) {
      subscriber.send(quote.symbol, frame, now);
    }
  }
}

function badRequest(res: ServerResponse, field: string, value: string): void {
  res.writeHead(400, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ statusCode: 400, field, value }));
}

function stream(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' || url.pathname !== '/api/stream') {
    res.writeHead(404).end();
    return;
  }
  const symbols = [
    ...new Set(
      (url.searchParams.get('symbols') ?? '').split(',').map((s) => s.trim().toUpperCase()),
    ),
  ];
  const unknown = symbols.find((symbol) => !subscribers.has(symbol));
  if (unknown !== undefined) {
    badRequest(res, 'symbols', unknown);
    return;
  }
  const throttle = url.searchParams.get('throttle') ?? '0';
  const throttleMs = Number(throttle);
  if (!/^\d+$/.test(throttle) || throttleMs > 60_000) {
    badRequest(res, 'throttle', throttle);
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
  const quotes = symbols.flatMap((symbol) => latest.get(symbol) ?? []);
  res.write(
    `\nevent: snapshot\nid: ${head}\nretry: ${retryMs}\ndata: ${JSON.stringify({ quotes })}\n\n`,
  );
  const subscriber = new Subscriber(res, throttleMs);
  symbols.forEach((symbol) => subscribers.get(symbol)?.add(subscriber));
  everyone.add(res);
  res.on('close', () => {
    symbols.forEach((symbol) => subscribers.get(symbol)?.delete(subscriber));
    everyone.delete(res);
    subscriber.close();
  });
}

const walk = new RandomWalk(profiles, seed, rate);
publish(walk.openingQuotes(Date.now()));
const stopFeed = rate > 0 ? runFeedClock(walk, rate, publish) : undefined;
const heartbeat = setInterval(
  () => everyone.forEach((res) => res.write(': heartbeat\n\n')),
  heartbeatMs,
);

const server = createServer(stream);
server.listen(port, () => {
  console.log(
    `baseline: ${profiles.length} symbols, ${rate} ticks/s, FEED_SEED=${seed}, port ${port}`,
  );
});

process.once('SIGTERM', () => {
  stopFeed?.();
  clearInterval(heartbeat);
  everyone.forEach((res) => res.end());
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
