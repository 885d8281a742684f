import type { PageParams } from './page-params.js';
import { StreamHttpError, subscribe, type StreamEvent } from '@tickstream/client';
import { wait } from './wait.js';

export interface StreamListener {
  event(event: StreamEvent): void;
  /** The server refused the subscription for good: a 4xx other than 429. */
  failed(message: string): void;
}

/** The first wait after a 429, doubled while the refusals go on, up to the most. */
const REFUSED_FIRST_MS = 2_000;
const REFUSED_MOST_MS = 30_000;

/**
 * The page's one stream, for all its symbols; abort the returned controller to end it. A 429
 * (too many streams) is tried again, from the last event received, after a wait: 2 s, doubling.
 * (The typed client's StreamHttpError does not carry the answer's Retry-After; 2 s is what the
 * server's default RETRY_MS makes it.)
 */
export function watchQuotes(
  { symbols, throttle }: PageParams,
  listener: StreamListener,
): AbortController {
  const controller = new AbortController();
  const { signal } = controller;
  const run = async () => {
    let lastEventId: string | undefined;
    let refusals = 0;
    for (;;) {
      try {
        const options = { url: location.origin, symbols, throttle, lastEventId, signal };
        for await (const event of subscribe(options)) {
          if (event.type === 'snapshot' || event.type === 'tick') {
            lastEventId = event.id;
          }
          if (event.type === 'open') {
            refusals = 0;
          }
          listener.event(event);
        }
        return;
      } catch (error) {
        if (!(error instanceof StreamHttpError && error.status === 429)) {
          throw error;
        }
        refusals++;
        const delayMs = Math.min(REFUSED_FIRST_MS * 2 ** (refusals - 1), REFUSED_MOST_MS);
        listener.event({
          type: 'reconnecting',
          attempt: refusals,
          delayMs,
          reason: describe(error),
        });
        await wait(delayMs, signal);
      }
    }
  };
  run().catch((error: unknown) => {
    if (!signal.aborted) {
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
