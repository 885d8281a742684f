import type { Request } from 'express';
import type { IncomingMessage } from 'node:http';

/**
 * The address of the client that made `request`: the peer's, or, from a proxy that TRUST_PROXY
 * trusts, the address it forwarded in X-Forwarded-For. What limits count and logs name.
 *
 * Every request the application handles has passed through Express, which gives it `ip` (set
 * from the `trust proxy` setting); the peer's address stands in only for a request that has not.
 */
export function clientAddress(request: IncomingMessage): string {
  const { ip } = request as Partial<Request>;
  return ip ?? request.socket.remoteAddress ?? 'unknown';
}
