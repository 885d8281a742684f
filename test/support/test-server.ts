import type { LogLevel } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { TickBus } from '../../src/bus/tick-bus.js';
import { loadConfig } from '../../src/config/app-config.js';
import { createApp } from '../../src/create-app.js';
import { SseClient, type SseClientOptions } from './sse-client.js';

export interface TestServer {
  app: NestExpressApplication;
  bus: TickBus;
  /** http://127.0.0.1:<port> */
  url: string;
  /** A real EventSource on `/api/stream?<query>`, closed with the server. */
  connect(query: string, options?: SseClientOptions): SseClient;
  close(): Promise<void>;
}

/** A seeded, fast market: enough ticks for statistics in a second, the same every run. */
export const FAST_FEED = { TICKS_PER_SECOND: '2000', FEED_SEED: '20261125' };

/** The real application on a free loopback port, configured as from the environment `env`. */
export async function startServer(
  env: Record<string, string> = {},
  logLevels: LogLevel[] = ['warn', 'error', 'fatal'],
): Promise<TestServer> {
  const app = await createApp(loadConfig({ ...FAST_FEED, ...env }), logLevels);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') {
    throw new Error('server is not listening on a TCP port');
  }
  const url = `http://127.0.0.1:${address.port}`;
  const clients: SseClient[] = [];
  return {
    app,
    bus: app.get(TickBus),
    url,
    connect: (query, options) => {
      const client = new SseClient(`${url}/api/stream?${query}`, options);
      clients.push(client);
      return client;
    },
    close: () => {
      clients.splice(0).forEach((client) => client.close());
      return app.close();
    },
  };
}
