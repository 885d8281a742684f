import {
  PATHS,
  retryAfterMs,
  type Candle,
  type CandleInterval,
  type SymbolInfo,
} from '@tickstream/client';
import { refusalWaitMs } from './refusal-wait.js';
import { wait } from './wait.js';

/** The parsed JSON of a GET; a 429 is tried again after its Retry-After, for as long as it takes. */
async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  for (;;) {
    const response = await fetch(path, { signal });
    if (response.status === 429) {
      await response.body?.cancel();
      await wait(refusalWaitMs(retryAfterMs(response.headers.get('Retry-After'))), signal);
      continue;
    }
    if (!response.ok) {
      throw new Error(`GET ${path}: HTTP ${response.status}`);
    }
    return (await response.json()) as T;
  }
}

/** Every symbol served, with its latest quote, trading state and session open. */
export function fetchSymbols(signal?: AbortSignal): Promise<SymbolInfo[]> {
  return getJson<SymbolInfo[]>(`/${PATHS.symbols}`, signal);
}

/** The newest `limit` bars of `symbol`, oldest first. */
export function fetchCandles(
  symbol: string,
  interval: CandleInterval,
  limit: number,
  signal?: AbortSignal,
): Promise<Candle[]> {
  const path = `/${PATHS.symbols}/${encodeURIComponent(symbol)}/candles`;
  return getJson<Candle[]>(`${path}?interval=${interval}&limit=${limit}`, signal);
}
