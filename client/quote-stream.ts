import type { PageParams } from './page-params.js';
import { StreamHttpError, subscribe, type StreamEvent } from '@tickstream/client';

export interface StreamListener {
  event(event: StreamEvent): void;
  /** The server refused the subscription; the client does not retry a 4xx. */
  failed(message: string): void;
}

/** The page's one stream, for all its symbols; abort the returned controller to end it. */
export function watchQuotes(
  { symbols, throttle }: PageParams,
  listener: StreamListener,
): AbortController {
  const controller = new AbortController();
  const run = async () => {
    const options = { url: location.origin, symbols, throttle, signal: controller.signal };
    for await (const event of subscribe(options)) {
      listener.event(event);
    }
  };
  run().catch((error: unknown) => {
    if (!controller.signal.aborted) {
      listener.failed(describe(error));
    }
  });
  return controller;
}

function describe(error: unknown): string {
  if (error instanceof StreamHttpError) {
    const { body } = error;
    const reason =
      typeof body === 'object' && body !== null && 'message' in body
        ? String(body.message)
        : error.message;
    return `The server refused the stream (HTTP ${error.status}): ${reason}`;
  }
  return error instanceof Error ? error.message : String(error);
}
