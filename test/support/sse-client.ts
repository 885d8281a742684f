import { EventSource } from 'eventsource';
import type { Quote } from '@tickstream/client/contract';

export interface ReceivedEvent {
  type: string;
  id: string;
  data: string;
  receivedAt: number;
}

export type ReceivedTick = Quote & { id: string; receivedAt: number };

export interface SseClientOptions {
  /** Sent as Last-Event-ID on the first request only. */
  lastEventId?: string;
  /** Sent on every request, reconnects included, as a service would send its token. */
  headers?: Record<string, string>;
  /** How requests are made: the global fetch (HTTP/1.1) unless given, e.g. over HTTP/2. */
  fetch?: typeof fetch;
}

const EVENT_TYPES = ['snapshot', 'tick', 'bar', 'status', 'reset', 'error'];

/** A real EventSource that records every event it is sent. */
export class SseClient {
  readonly events: ReceivedEvent[] = [];
  readonly errors: Event[] = [];
  private readonly source: EventSource;
  private readonly waiters = new Set<() => void>();

  constructor(url: string, options: SseClientOptions = {}) {
    const send = options.fetch ?? fetch;
    this.source = new EventSource(url, {
      fetch: (input, init) => {
        // The caller's id goes with every request until an event with an id has come, as the
        // typed client keeps its resume point; from then on EventSource sends its own.
        const resumeFrom = this.events.some((event) => event.id) ? undefined : options.lastEventId;
        const headers = {
          ...init.headers,
          ...options.headers,
          ...(resumeFrom ? { 'Last-Event-ID': resumeFrom } : {}),
        };
        return send(input, { ...init, headers });
      },
    });
    for (const type of EVENT_TYPES) {
      this.source.addEventListener(type, (event: MessageEvent<string>) => {
        this.events.push({ type, id: event.lastEventId, data: event.data, receivedAt: Date.now() });
        this.waiters.forEach((wake) => wake());
      });
    }
    this.source.onerror = (event) => {
      this.errors.push(event);
    };
  }

  /** Whether the EventSource gave up for good, as it does on a non-200 answer. */
  get closed(): boolean {
    return this.source.readyState === EventSource.CLOSED;
  }

  get lastEventId(): string {
    return this.events.at(-1)?.id ?? '';
  }

  ticks(): ReceivedTick[] {
    return this.events
      .filter((event) => event.type === 'tick')
      .map((event) => ({
        ...(JSON.parse(event.data) as Quote),
        id: event.id,
        receivedAt: event.receivedAt,
      }));
  }

  /** The newest price received for `symbol`, from ticks or snapshots. */
  lastPrice(symbol: string): number | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const { type, data } = this.events[i];
      const quotes: Quote[] =
        type === 'tick'
          ? [JSON.parse(data) as Quote]
          : type === 'snapshot'
            ? (JSON.parse(data) as { quotes: Quote[] }).quotes
            : [];
      const quote = quotes.find((candidate) => candidate.symbol === symbol);
      if (quote) {
        return quote.price;
      }
    }
    return undefined;
  }

  of(type: string): ReceivedEvent[] {
    return this.events.filter((event) => event.type === type);
  }

  /** Resolves once `predicate` holds for the events received so far. */
  waitFor(
    predicate: (client: SseClient) => boolean,
    timeoutMs = 10_000,
    what = 'events',
  ): Promise<void> {
    if (predicate(this)) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what} (${this.events.length} events)`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (predicate(this)) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
    });
  }

  close(): void {
    this.source.close();
    this.waiters.clear();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds: for server-side state that no event announces. */
export async function eventually(
  condition: () => boolean,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
