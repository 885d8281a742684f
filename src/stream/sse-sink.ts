import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable, type Readable } from 'node:stream';

const sinks = new WeakMap<ServerResponse, Writable>();

/**
 * Catches the stream Nest writes a route's SSE frames into. Nest pipes it into the response
 * before it subscribes to the route's Observable, but after guards and interceptors have run,
 * so the listener must be in place before any of them: a middleware.
 */
@Injectable()
export class SseSinkMiddleware implements NestMiddleware {
  use(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
    response.once('pipe', (source: Readable) => {
      if (source instanceof Writable) {
        sinks.set(response, source);
      }
    });
    next();
  }
}

/**
 * Where to write `response`'s frames once its stream has started. Frames written there go out in
 * order with the headers and with anything Nest writes itself, such as the `error` event of a
 * stream that fails.
 */
export function sseSinkOf(response: ServerResponse): Writable {
  const sink = sinks.get(response);
  if (!sink) {
    throw new Error('no SSE stream is piped into the response; is SseSinkMiddleware applied?');
  }
  return sink;
}
