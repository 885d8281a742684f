import type { Candle, CandleInterval } from '@tickstream/client/contract';
import { retryAfterMs } from './retry-after.js';
import { wait } from './wait.js';

/** A symbol the server trades, as GET /api/symbols lists it. */
export interface SymbolName {
  symbol: string;
  name: string;
}

/** The parsed JSON of a GET; a 429 is tried again after its Retry-After, for as long as it takes. */
async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  for (;;) {
    const response = await fetch(path, { signal });
    if (response.status === 429) {
      await response.body?.cancel();
      await wait(retryAfterMs(response.headers.get('Retry-After')), signal);
      continue;
    }
    if (!response.ok) {
      throw new Error(`GET ${path}: HTTP ${response.status}`);
    }
    return (await response.json()) as T;
  }
}

export function fetchSymbols(signal?: AbortSignal): Promise<SymbolName[]> {
  return getJson<SymbolName[]>('/api/symbols', signal);
}

/** The newest `limit` bars of `symbol`, oldest first. */
export function fetchCandles(
  symbol: string,
  interval: CandleInterval,
  limit: number,
  signal?: AbortSignal,
): Promise<Candle[]> {
  const path = `/api/symbols/${encodeURIComponent(symbol)}/candles`;
  return getJson<Candle[]>(`${path}?interval=${interval}&limit=${limit}`, signal);
}

/** The session's opening price: the open of the oldest 1m bar the server keeps. */
export async function fetchSessionOpen(
  symbol: string,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const bars = await fetchCandles(symbol, '1m', 100_000, signal);
  return bars[0]?.open;
}
