// The plain node:http yardsticks of `npm run bench`: the strongest fan-out server we can write
// by hand, with none of tickstream's features (no resume, limits, backpressure, auth). It runs
// the bench's market (SYMBOLS=NAME:ACTIVITY, TICKS_PER_SECOND, FEED_SEED; 10 ms batches), frames
// each tick once, as tickstream does (`event: tick`, `id:`, the quote as JSON), into one Buffer,
// and hands that Buffer to each subscriber of its symbol (subscribers indexed by symbol) on
// sockets with Nagle off. WRITES=tick writes each frame to each subscriber as it comes;
// WRITES=batch joins one subscriber's frames of a feed batch into one write.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  encodeComment,
  encodeFrame,
  formatEventId,
  HEARTBEAT,
  MAX_THROTTLE_MS,
  PATHS,
  STREAM_EVENTS,
  STREAM_PARAMS,
  type ErrorBody,
  type Quote,
} from '@tickstream/client/contract';
import { runFeed } from './feed-clock.js';
import { parseSymbolsSetting } from './market.js';
import { QuoteGenerator } from './quote-generator.js';

const env = process.env;
const port = Number(env.PORT ?? 0);
const rate = Number(env.TICKS_PER_SECOND ?? 50);
const seed = Number(env.FEED_SEED ?? 1);
const retryMs = Number(env.RETRY_MS ?? 2_000);
const heartbeatMs = Number(env.HEARTBEAT_MS ?? 15_000);
const joinWrites = env.WRITES === 'batch';
const market = parseSymbolsSetting(env.SYMBOLS ?? 'AAPL:1');
const heartbeat = Buffer.from(encodeComment(HEARTBEAT));

/** One stream. With a throttle, at most one tick per symbol per window: the latest. */
class Subscriber {
  /** When each symbol's window closes; a symbol without one is in a quiet period. */
  private readonly windowEnds = new Map<string, number>();
  /** The latest frame of each symbol waiting for its window to close. */
  private readonly held = new Map<string, Buffer>();
  /** WRITES=batch: the frames of the current batch. */
  private out: Buffer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(
    private readonly res: ServerResponse,
    private readonly throttleMs: number,
  ) {}

  /** Takes a tick's frame; returns whether it is waiting in `out` for flush(). */
  send(symbol: string, frame: Buffer, now: number): boolean {
    if (this.throttleMs > 0) {
      const windowEnd = this.windowEnds.get(symbol) ?? 0;
      if (now < windowEnd) {
        this.held.set(symbol, frame);
        this.wakeAt(windowEnd);
        return false;
      }
      this.windowEnds.set(symbol, now + this.throttleMs);
    }
    return this.write(frame);
  }

  /** WRITES=batch: the frames of the batch in one write. */
  flush(): void {
    if (this.out.length > 0) {
      this.res.write(this.out.length === 1 ? this.out[0] : Buffer.concat(this.out));
      this.out = [];
    }
  }

  close(): void {
    clearTimeout(this.timer);
  }

  /** Writes `frame` now, or (WRITES=batch) keeps it for flush(); true when it was kept first. */
  private write(frame: Buffer): boolean {
    if (!joinWrites) {
      this.res.write(frame);
      return false;
    }
    this.out.push(frame);
    return this.out.length === 1;
  }

  private wakeAt(at: number): void {
    if (at >= this.timerAt) {
      return;
    }
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.release(), at - Date.now());
  }

  /** Sends the held frames whose windows have closed. */
  private release(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [symbol, frame] of this.held) {
      const windowEnd = this.windowEnds.get(symbol) ?? 0;
      if (now >= windowEnd) {
        this.write(frame);
        this.windowEnds.set(symbol, now + this.throttleMs);
        this.held.delete(symbol);
      } else {
        next = Math.min(next, windowEnd);
      }
    }
    this.flush();
    if (next < Infinity) {
      this.wakeAt(next);
    }
  }
}

const subscribers = new Map<string, Set<Subscriber>>(
  market.map(({ symbol }) => [symbol, new Set()]),
);
const everyone = new Set<ServerResponse>();
const latest = new Map<string, Quote>();
let lastMs = 0;
let seq = 0;
let head = formatEventId({ ms: Date.now(), seq: 0 });

function nextId(now: number): string {
  if (now > lastMs) {
    lastMs = now;
    seq = 0;
  } else {
    seq++;
  }
  return formatEventId({ ms: lastMs, seq });
}

function publish(quotes: Quote[]): void {
  const now = Date.now();
  const touched: Subscriber[] = [];
  for (const quote of quotes) {
    head = nextId(now);
    latest.set(quote.symbol, quote);
    const frame = Buffer.from(
      encodeFrame({ event: STREAM_EVENTS.tick, id: head, data: JSON.stringify(quote) }),
    );
    for (const subscriber of subscribers.get(quote.symbol) ?? []) {
      if (subscriber.send(quote.symbol, frame, now)) {
        touched.push(subscriber);
      }
    }
  }
  touched.forEach((subscriber) => subscriber.flush());
}

function badRequest(res: ServerResponse, field: string, value: string): void {
  const body: ErrorBody = {
    statusCode: 400,
    error: 'Bad Request',
    message: `${field}: not accepted`,
    field,
    value: value.slice(0, 100),
  };
  res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function stream(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' || url.pathname !== `/${PATHS.stream}`) {
    res.writeHead(404).end();
    return;
  }
  const symbols = [
    ...new Set(
      (url.searchParams.get(STREAM_PARAMS.symbols) ?? '')
        .split(',')
        .map((s) => s.trim().toUpperCase()),
    ),
  ];
  const unknown = symbols.find((symbol) => !subscribers.has(symbol));
  if (unknown !== undefined) {
    badRequest(res, STREAM_PARAMS.symbols, unknown);
    return;
  }
  const throttle = url.searchParams.get(STREAM_PARAMS.throttle) ?? '0';
  const throttleMs = Number(throttle);
  if (!/^\d{1,5}$/.test(throttle) || throttleMs > MAX_THROTTLE_MS) {
    badRequest(res, STREAM_PARAMS.throttle, throttle);
    return;
  }
  req.socket.setNoDelay(true);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
  const quotes = symbols.flatMap((symbol) => latest.get(symbol) ?? []);
  res.write(
    encodeFrame({
      event: STREAM_EVENTS.snapshot,
      id: head,
      retry: retryMs,
      data: JSON.stringify({ quotes }),
    }),
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

const generator = new QuoteGenerator(market, seed);
publish(generator.opening(Date.now()));
const stopFeed = rate > 0 ? runFeed(generator, rate, publish) : undefined;
const heartbeats = setInterval(() => everyone.forEach((res) => res.write(heartbeat)), heartbeatMs);

const server = createServer({ noDelay: true }, stream);
server.listen(port, '127.0.0.1', () => {
  console.log(
    `baseline (WRITES=${joinWrites ? 'batch' : 'tick'}): ${market.length} symbols, ` +
      `${rate} ticks/s, FEED_SEED=${seed}, port ${port}`,
  );
});

process.once('SIGTERM', () => {
  stopFeed?.();
  clearInterval(heartbeats);
  everyone.forEach((res) => res.end());
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
