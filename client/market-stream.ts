import type { PageParams } from './page-params.js';
import {
  StreamHttpError,
  subscribe,
  type StreamEvent,
  type Subscription,
} from '@tickstream/client';
import { refusalWaitMs } from './refusal-wait.js';
import { wait } from './wait.js';

export interface StreamListener {
  event(event: StreamEvent): void;
  /** The server refused the subscription for good: a 4xx other than 429. */
  failed(message: string, error: unknown): void;
}

export interface MarketStream {
  /** The id of the last event received, to resume a new stream from. */
  readonly lastEventId: string | undefined;
  /**
   * Streams `symbols` from now on, resuming from the last event: the others lose nothing. The
   * added symbols open with a snapshot of their quotes and states.
   */
  setSymbols(symbols: readonly string[]): void;
  close(): void;
}

/** Without a Retry-After, the first wait after a 429, doubled while the refusals go on. */
const REFUSED_FIRST_MS = 2_000;

/**
 * The page's one stream, for all its symbols: their quotes, trading states and bars at the
 * chart's interval. It starts fresh, with a snapshot, or resumes from `resumeFrom`. A 429 (too
 * many streams) is tried again, from the last event received, after the answer's Retry-After.
 */
export function watchMarket(
  { symbols, throttle, interval }: PageParams,
  listener: StreamListener,
  resumeFrom?: string,
): MarketStream {
  const controller = new AbortController();
  const { signal } = controller;
  let current: Subscription | undefined;
  let wanted = symbols;
  const stream = {
    lastEventId: resumeFrom,
    setSymbols: (next: readonly string[]) => {
      wanted = [...next];
      current?.setSymbols(wanted);
    },
    close: () => controller.abort(),
  };
  const run = async () => {
    let refusals = 0;
    for (;;) {
      try {
        current = subscribe({
          url: location.origin,
          symbols: wanted,
          throttle,
          bars: [interval],
          lastEventId: stream.lastEventId,
          signal,
        });
        for await (const event of current) {
          if ('id' in event) {
            stream.lastEventId = event.id;
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
        const doubling = REFUSED_FIRST_MS * 2 ** (refusals - 1);
        const delayMs = refusalWaitMs(error.retryAfterMs, doubling);
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
      listener.failed(describe(error), error);
    }
  });
  return stream;
}

function describe(error: unknown): string {
  if (error instanceof StreamHttpError && error.status >= 400) {
    const { body } = error;
    const reason =
      typeof body === 'object' && body !== null && 'message' in body
        ? String(body.message)
        : error.message;
    return `The server refused the stream (HTTP ${error.status}): ${reason}`;
  }
  return error instanceof Error ? error.message : String(error);
}
