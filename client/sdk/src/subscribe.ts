import {
  LAST_EVENT_ID_HEADER,
  PATHS,
  SseParser,
  STREAM_EVENTS,
  STREAM_PARAMS,
  type CandleInterval,
} from './contract/index.js';
import { eventFromBlock } from './event-from-block.js';
import { reconnectDelay } from './reconnect-delay.js';
import { retryAfterMs } from './retry-after.js';
import type { StreamEvent } from './stream-event.js';
import { StreamHttpError } from './stream-http-error.js';

export interface SubscribeOptions {
  /** The server's base URL, e.g. `http://localhost:3000` (in a page: `location.origin`). */
  url: string;
  symbols: string[];
  /** Milliseconds between two events of one symbol; 0 (the default) sends every tick. */
  throttle?: number;
  /** `false` skips the snapshot of latest quotes that opens a fresh stream. */
  snapshot?: boolean;
  /** Bar intervals to stream as `bar` events (`['1s', '1m']`); none by default. */
  bars?: readonly CandleInterval[];
  /** Where the first connection resumes from: an id received from an earlier stream. */
  lastEventId?: string;
  /**
   * A time to replay from (a Date, ms since the epoch, or ISO 8601): every event from then on,
   * or a `reset` and a snapshot when the server's history does not reach back to it. Used until
   * the subscription has an event id; `lastEventId` wins over it.
   */
  since?: Date | number | string;
  /** Aborting ends the iteration and closes the connection. */
  signal?: AbortSignal;
  /**
   * For a server run with STREAM_AUTH=jwt: the token, or a function that returns a current one.
   * A function is called for every connection, so that a stream the server ends when its token
   * expires resumes with a fresh token, losing nothing; a fixed token that expired fails with a
   * StreamHttpError (401) instead.
   */
  token?: string | (() => string | Promise<string>);
  /**
   * How the token travels: `header` (Authorization: Bearer, the default: fetch sends headers in
   * browsers too, and a header stays out of URLs and access logs) or `query` (the `access_token`
   * parameter, for where a header cannot pass, such as a proxy that drops it).
   */
  tokenIn?: 'header' | 'query';
}

/** A subscription's events, and a way to change its symbols without losing its place. */
export interface Subscription extends AsyncIterable<StreamEvent> {
  /**
   * Streams `symbols` from now on: the connection is replaced at once by one that resumes from
   * the last event id received, so that the symbols kept lose and repeat nothing, and the symbols
   * added open with a snapshot of their latest quotes.
   */
  setSymbols(symbols: readonly string[]): void;
}

/** The reconnect delay until the server sends its own `retry`. */
const DEFAULT_RETRY_MS = 1_000;

/** Where a subscription stands across its connections. */
interface Cursor {
  /** The id of the last block received: the server makes every id safe to resume from. */
  lastEventId?: string;
  /**
   * The symbols `lastEventId` was received for, sent as `resumeSymbols` so that the server
   * opens those added since with a snapshot; unknown for a `lastEventId` given by the caller.
   */
  symbols?: readonly string[];
  retryMs: number;
  /** Connections failed in a row, without a block received. */
  failures: number;
}

/** Live events; reconnects with backoff, honours the server's retry, resumes from the last id. */
export function subscribe(options: SubscribeOptions): Subscription {
  let symbols = [...options.symbols];
  const changes = new EventTarget();
  return {
    [Symbol.asyncIterator]: () => subscription(options, () => symbols, changes),
    setSymbols: (next) => {
      symbols = [...next];
      changes.dispatchEvent(new Event(SYMBOLS_CHANGED));
    },
  };
}

const SYMBOLS_CHANGED = 'symbols-changed';

async function* subscription(
  options: SubscribeOptions,
  symbols: () => string[],
  changes: EventTarget,
): AsyncGenerator<StreamEvent, void> {
  const { signal } = options;
  const cursor: Cursor = {
    lastEventId: options.lastEventId,
    retryMs: DEFAULT_RETRY_MS,
    failures: 0,
  };
  while (!signal?.aborted) {
    // Ended by `signal`, or by a change of symbols, which replaces the connection at once.
    const current = new AbortController();
    let changed = false;
    const change = (): void => {
      changed = true;
      current.abort();
    };
    const stop = (): void => current.abort();
    changes.addEventListener(SYMBOLS_CHANGED, change);
    signal?.addEventListener('abort', stop);
    let reason = 'the server ended the stream';
    try {
      yield* connection({ ...options, symbols: symbols(), signal: current.signal }, cursor);
    } catch (error) {
      if (error instanceof StreamHttpError) {
        throw error;
      }
      reason = errorMessage(error);
    } finally {
      changes.removeEventListener(SYMBOLS_CHANGED, change);
      signal?.removeEventListener('abort', stop);
      current.abort();
    }
    if (signal?.aborted) {
      return;
    }
    if (changed) {
      continue;
    }
    cursor.failures++;
    const delayMs = reconnectDelay(cursor.failures, cursor.retryMs);
    yield { type: 'reconnecting', attempt: cursor.failures, delayMs, reason };
    await sleep(delayMs, signal, changes);
  }
}

/**
 * The events of one connection; returns when the server ends it or `options.signal` aborts,
 * throws when it fails.
 */
async function* connection(options: SubscribeOptions, cursor: Cursor): AsyncGenerator<StreamEvent> {
  const sentId = cursor.lastEventId;
  const had = sentId === undefined ? undefined : cursor.symbols;
  // Until the added symbols' snapshot has come, an id covers only the symbols had before.
  const adding = had !== undefined && options.symbols.some((symbol) => !had.includes(symbol));
  const token = typeof options.token === 'function' ? await options.token() : options.token;
  const inHeader = token !== undefined && options.tokenIn !== 'query';
  const url = streamUrl(options, { accessToken: inHeader ? undefined : token, sentId, had });
  const response = await fetch(url, {
    headers: {
      Accept: 'text/event-stream',
      ...(sentId ? { [LAST_EVENT_ID_HEADER]: sentId } : {}),
      ...(inHeader ? { Authorization: `Bearer ${token}` } : {}),
    },
    signal: options.signal,
  });
  if (response.status >= 400 && response.status < 500) {
    const retryAfter = retryAfterMs(response.headers.get('Retry-After'));
    throw new StreamHttpError(response.status, await readBody(response), retryAfter);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`the server answered HTTP ${response.status}`);
  }
  const type = response.headers.get('Content-Type') ?? '';
  if (!isEventStream(type)) {
    // Not a tickstream server (a web page, a JSON API): its body would never end in an event.
    await response.body.cancel();
    // The path without the query, which may hold a token.
    const { origin, pathname } = new URL(response.url || url);
    const said = type === '' ? 'no Content-Type' : `Content-Type "${type.slice(0, 100)}"`;
    throw new StreamHttpError(
      response.status,
      null,
      undefined,
      `${origin}${pathname} answered HTTP ${response.status} with ${said}, not an event stream: is it a tickstream server?`,
    );
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let opened = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }
      for (const block of parser.feed(decoder.decode(value, { stream: true }))) {
        if (options.signal?.aborted) {
          return;
        }
        if (!opened) {
          opened = true;
          cursor.failures = 0;
          yield {
            type: 'open',
            resumed: sentId !== undefined && block.event !== STREAM_EVENTS.reset,
          };
        }
        // Blocks with only `id:` and `retry:` count too: the server opens a resumed stream so.
        if (block.id !== undefined) {
          cursor.lastEventId = block.id || undefined;
          if (!adding || block.event === STREAM_EVENTS.snapshot) {
            cursor.symbols = options.symbols;
          }
        }
        if (block.retry !== undefined) {
          cursor.retryMs = block.retry;
        }
        const event = eventFromBlock(block, cursor.lastEventId ?? '');
        if (event) {
          yield event;
        }
      }
    }
  } finally {
    // Ends the request when the consumer stops early; nothing to do once the body has ended.
    reader.cancel().catch(() => undefined);
  }
}

/** Whether a Content-Type is `text/event-stream`, whatever its parameters. */
function isEventStream(contentType: string): boolean {
  return contentType.split(';')[0].trim().toLowerCase() === 'text/event-stream';
}

/** What a connection's URL says besides the options: the token, and where it resumes. */
interface UrlState {
  accessToken?: string;
  /** The id sent as Last-Event-ID: `since` is then left out. */
  sentId?: string;
  /** The symbols the id was received for. */
  had?: readonly string[];
}

function streamUrl(
  { url, symbols, throttle, snapshot, bars, since }: SubscribeOptions,
  { accessToken, sentId, had }: UrlState,
): string {
  // Relative to the base, so that a server behind a path prefix works too.
  const endpoint = new URL(PATHS.stream, url.endsWith('/') ? url : `${url}/`);
  endpoint.searchParams.set(STREAM_PARAMS.symbols, symbols.join(','));
  if (throttle !== undefined) {
    endpoint.searchParams.set(STREAM_PARAMS.throttle, String(throttle));
  }
  if (snapshot === false) {
    endpoint.searchParams.set(STREAM_PARAMS.snapshot, 'false');
  }
  if (bars !== undefined && bars.length > 0) {
    endpoint.searchParams.set(STREAM_PARAMS.bars, bars.join(','));
  }
  if (sentId === undefined && since !== undefined) {
    const at = since instanceof Date ? since.toISOString() : String(since);
    endpoint.searchParams.set(STREAM_PARAMS.since, at);
  }
  if (had !== undefined) {
    endpoint.searchParams.set(STREAM_PARAMS.resumeSymbols, had.join(','));
  }
  if (accessToken !== undefined) {
    endpoint.searchParams.set(STREAM_PARAMS.accessToken, accessToken);
  }
  return endpoint.href;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  // fetch says only "fetch failed"; the cause says why (e.g. connect ECONNREFUSED).
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

/** Resolves after `ms`, or at once when `signal` aborts or the symbols change. */
function sleep(ms: number, signal: AbortSignal | undefined, changes: EventTarget): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      changes.removeEventListener(SYMBOLS_CHANGED, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    changes.addEventListener(SYMBOLS_CHANGED, done, { once: true });
  });
}
