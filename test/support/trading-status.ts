import { PATHS, type TradingState } from '@tickstream/client/contract';

/** The INGEST_TOKEN of servers whose tests relay trading states with `setStatus`. */
export const STATUS_TOKEN = 'the-ingest-token-of-the-status-tests';

/** POSTs a trading state to `/api/status` of a server run with INGEST_TOKEN=STATUS_TOKEN. */
export async function setStatus(
  url: string,
  symbol: string,
  state: TradingState,
  reason?: string,
): Promise<void> {
  const response = await fetch(`${url}/${PATHS.status}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${STATUS_TOKEN}` },
    body: JSON.stringify({ symbol, state, reason }),
  });
  if (response.status !== 202) {
    throw new Error(`POST /api/status answered ${response.status}: ${await response.text()}`);
  }
}
