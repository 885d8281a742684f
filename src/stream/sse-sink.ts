import { Injectable, type NestMiddleware } from '@nestjs/common';
import { SseStream } from '@nestjs/core/router/sse-stream.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

const sinks = new WeakMap<ServerResponse, SseStream>();

/**
 * Catches the stream Nest writes a route's SSE frames into. Nest pipes it into the response
 * before it subscribes to the route's Observable, but after guards and interceptors have run,
 * so the listener must be in place before any of them: a middleware.
 */
@Injectable()
export class SseSinkMiddleware implements NestMiddleware {
  use(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
    response.once('pipe', (source: Readable) => {
      if (source instanceof SseStream) {
        sinks.set(response, source);
      }
    });
    next();
  }
}

/** The SSE stream Nest has piped into `response`, once the route's stream has started. */
export function sseSinkOf(response: ServerResponse): SseStream {
  const sink = sinks.get(response);
  if (!sink) {
    throw new Error('no SSE stream is piped into the response; is SseSinkMiddleware applied?');
  }
  return sink;
}
