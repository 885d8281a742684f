import { PATHS, type Quote } from '@tickstream/client/contract';
import { httpRequest } from './http-request.js';
import { OTHER_CLIENT } from './storm-probes.js';

/** Ticks of one POST /api/ticks, well under the default INGEST_MAX_BYTES. */
export const INGEST_BATCH = 5_000;

export interface Ingested {
  ids: string[];
  symbols: string[];
  ms: number;
}

/**
 * POST /api/ticks with the ingest token: the ticks are published in order, and the answer gives
 * their event ids. The ticks carry no `ts`: the server stamps them as they arrive.
 */
export async function ingest(
  port: number,
  token: string,
  quotes: readonly Quote[],
): Promise<Ingested> {
  const ticks = quotes.map(({ symbol, price, bid, ask, size }) => ({
    symbol,
    price,
    bid,
    ask,
    size,
  }));
  const answer = await httpRequest(port, `/${PATHS.ticks}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(ticks),
    localAddress: OTHER_CLIENT,
    timeoutMs: 30_000,
  });
  if (answer.status !== 202) {
    throw new Error(`POST /${PATHS.ticks} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  }
  const { ids } = JSON.parse(answer.body) as { ids: string[] };
  return { ids, symbols: quotes.map((quote) => quote.symbol), ms: answer.ms };
}
