import {
  PATHS,
  retryAfterMs,
  type Candle,
  type CandleInterval,
  type SymbolInfo,
} from '@tickstream/client';
import { ApiError } from './api-error.js';
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
      const text = await response.text();
      throw new ApiError(path, response.status, parsed(text));
    }
    return (await response.json()) as T;
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Every symbol served, with its latest quote, trading state (why, since when) and day. */
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

/** One symbol, with its latest quote, trading state (why, since when) and day. */
export function fetchSymbol(symbol: string, signal?: AbortSignal): Promise<SymbolInfo> {
  return getJson<SymbolInfo>(`/${PATHS.symbols}/${encodeURIComponent(symbol)}`, signal);
}
