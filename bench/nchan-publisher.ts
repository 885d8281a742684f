// The feed of the nchan baseline, forked by bench/servers.ts (with --experimental-websocket):
// runs the bench's market (SYMBOLS=NAME:ACTIVITY, TICKS_PER_SECOND, FEED_SEED; 10 ms batches)
// and publishes each tick as one message on its symbol's channel, over one nchan websocket
// publisher per symbol, so that each channel's messages keep their order. Says `ready` over IPC
// once every publisher is connected.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Quote } from '@tickstream/client/contract';
import { runFeed } from './feed-clock.js';
import { parseSymbolsSetting } from './market.js';
import { CHANNEL_PARAM, PUBLISH_PATH } from './nchan-config.js';
import { QuoteGenerator } from './quote-generator.js';
import { OPEN, opened, openWebSocket, type WebSocketClient } from './web-socket.js';

/** A channel whose unsent messages pass this drops ticks rather than queue them. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const CONNECT_TIMEOUT_MS = 30_000;

const env = process.env;
const port = Number(env.PORT);
const rate = Number(env.TICKS_PER_SECOND ?? 50);
const market = parseSymbolsSetting(env.SYMBOLS ?? 'AAPL:1');

/** Resolves once connected; retries while nginx starts. */
async function connect(symbol: string): Promise<WebSocketClient> {
  const url = `ws://127.0.0.1:${port}${PUBLISH_PATH}?${CHANNEL_PARAM}=${encodeURIComponent(symbol)}`;
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  for (;;) {
    const socket = openWebSocket(url);
    if (await opened(socket)) {
      socket.addEventListener('close', () => {
        console.error(`nchan-publisher: the channel ${symbol} closed`);
        process.exit(1);
      });
      return socket;
    }
    if (Date.now() > deadline) {
      throw new Error(`nchan-publisher: no publisher connection for ${symbol}`);
    }
    await sleep(100);
  }
}

const channels = new Map<string, WebSocketClient>();
for (const { symbol } of market) {
  channels.set(symbol, await connect(symbol));
}
let dropped = 0;

function publish(quotes: Quote[]): void {
  for (const quote of quotes) {
    const channel = channels.get(quote.symbol);
    if (channel?.readyState !== OPEN || channel.bufferedAmount > MAX_BUFFERED_BYTES) {
      dropped++;
      continue;
    }
    channel.send(JSON.stringify(quote));
  }
}

const generator = new QuoteGenerator(market, Number(env.FEED_SEED ?? 1));
publish(generator.opening(Date.now()));
const stopFeed = rate > 0 ? runFeed(generator, rate, publish) : undefined;
console.log(`nchan-publisher: ${market.length} channels, ${rate} ticks/s on port ${port}`);
process.send?.('ready');

function stop(): void {
  stopFeed?.();
  channels.forEach((channel) => channel.close());
  console.log(`nchan-publisher: stopped; ${dropped} ticks dropped while nginx was backed up`);
  process.exit(0);
}
process.once('disconnect', stop);
process.once('SIGTERM', stop);
