import type { CandleInterval } from '@tickstream/client/contract';
import type { Observable } from 'rxjs';
import type { StreamRequest } from '../stream-request.js';
import type { StreamItem } from '../wire/stream-item.js';

/** A live source a stream reads: a symbol's events (ticks and status changes) or bars, or every symbol's. */
export type Channel =
  | { kind: 'events'; symbol: string }
  | { kind: 'every-symbol-events' }
  | { kind: 'bars'; symbol: string; interval: CandleInterval }
  | { kind: 'every-symbol-bars'; interval: CandleInterval };

/** Where the live items of each channel come from. */
export interface ChannelSources {
  sourceOf(channel: Channel): Observable<StreamItem>;
}

/** A channel as a Map key: made here only, and never read back. */
export function channelKey(channel: Channel): string {
  switch (channel.kind) {
    case 'events':
      return `e ${channel.symbol}`;
    case 'every-symbol-events':
      return '*';
    case 'bars':
      return `b ${channel.interval} ${channel.symbol}`;
    case 'every-symbol-bars':
      return `b ${channel.interval} *`;
  }
}

/** The channels of a stream's events, then of its bars. */
export function channelsOf({ symbols, bars }: Pick<StreamRequest, 'symbols' | 'bars'>): Channel[] {
  return [...eventChannelsOf(symbols), ...barChannelsOf(symbols, bars)];
}

function eventChannelsOf(symbols: StreamRequest['symbols']): Channel[] {
  return symbols === 'all'
    ? [{ kind: 'every-symbol-events' }]
    : symbols.map((symbol) => ({ kind: 'events', symbol }));
}

/** The channels of a stream's bars. */
export function barChannelsOf(
  symbols: StreamRequest['symbols'],
  intervals: readonly CandleInterval[],
): Channel[] {
  return intervals.flatMap((interval): Channel[] =>
    symbols === 'all'
      ? [{ kind: 'every-symbol-bars', interval }]
      : symbols.map((symbol) => ({ kind: 'bars', symbol, interval })),
  );
}
