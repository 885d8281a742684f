import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import type { AppConfig } from '../config/app-config.js';

/** How often Node looks for requests past their time: the timeouts hold to within this. */
const CHECK_EVERY_MS = 1_000;

/**
 * Bounds the time a client may take to send a request: its head within HEADERS_TIMEOUT_MS, the
 * whole of it within REQUEST_TIMEOUT_MS, or Node answers 408 and closes the connection. A slow
 * client otherwise held its connection for minutes (Node's defaults are 60 s and 300 s, checked
 * every 30 s). An open stream is not affected: a GET has no body, so its request is complete
 * once its head has arrived, and the stream that answers it may last as long as it likes.
 */
export function applyRequestTimeouts(
  app: NestExpressApplication,
  { HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS }: AppConfig,
): void {
  const server = app.getHttpServer() as Server & { connectionsCheckingInterval: number };
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  // An option of createServer, which Nest calls without options; Node reads it when the server
  // starts listening.
  server.connectionsCheckingInterval = CHECK_EVERY_MS;
}
