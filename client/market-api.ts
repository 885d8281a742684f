import type { Candle, CandleInterval } from '@tickstream/client/contract';

/** A symbol the server trades, as GET /api/symbols lists it. */
export interface SymbolName {
  symbol: string;
  name: string;
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { signal });
  if (!response.ok) {
    throw new Error(`GET ${path}: HTTP ${response.status}`);
  }
  return (await response.json()) as T;
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
