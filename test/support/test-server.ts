import type { LogLevel } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { TickBus } from '../../src/bus/tick-bus.js';
import type { Tick } from '../../src/bus/tick.js';
import { filter, type Observable } from 'rxjs';
import { loadConfig } from '../../src/config/app-config.js';
import { createApp } from '../../src/create-app.js';
import { SseClient, type SseClientOptions } from './sse-client.js';

export interface TestServer {
  app: NestExpressApplication;
  bus: TickBus;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Every tick the bus hands out, of any symbol, as it does. */
  ticks: Observable<Tick>;
  /** A real EventSource on `/api/stream?<query>`, closed with the server. */
  connect(query: string, options?: SseClientOptions): SseClient;
  /** Publishes a quote at `price` on the bus, as a feed would (for servers run with FEED=none). */
  publish(symbol: string, price: number): Promise<Tick>;
  close(): Promise<void>;
}

/** A seeded, fast market: enough ticks for statistics in a second, the same every run. */
export const FAST_FEED = { TICKS_PER_SECOND: '2000', FEED_SEED: '20261125' };

/**
 * The real application on a loopback port, configured as from the environment `env`: a free
 * port, unless `env.PORT` names one (to restart a server where its clients expect it).
 */
export async function startServer(
  env: Record<string, string> = {},
  logLevels: LogLevel[] = ['warn', 'error', 'fatal'],
): Promise<TestServer> {
  const config = loadConfig({ PORT: '0', ...FAST_FEED, ...env });
  const app = await createApp(config, logLevels);
  await app.listen(config.PORT, config.HOST ?? '127.0.0.1');
  app.flushLogs();
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') {
    throw new Error('server is not listening on a TCP port');
  }
  const url = `http://127.0.0.1:${address.port}`;
  const bus = app.get(TickBus);
  const clients: SseClient[] = [];
  return {
    app,
    bus,
    url,
    ticks: bus.allEvents.pipe(filter((event): event is Tick => event.kind === 'tick')),
    connect: (query, options) => {
      const client = new SseClient(`${url}/api/stream?${query}`, options);
      clients.push(client);
      return client;
    },
    publish: (symbol, price) =>
      bus.publish({
        symbol,
        price,
        bid: price,
        ask: price + 0.01,
        kind: 'trade',
        size: 1,
        bidSize: 100,
        askSize: 100,
        ts: Date.now(),
      }),
    close: () => {
      clients.splice(0).forEach((client) => client.close());
      return app.close();
    },
  };
}
