import { ipKeyGenerator } from 'express-rate-limit';
import type { IncomingMessage } from 'node:http';
import { clientAddress } from './client-address.js';

/**
 * Which client `request` counts as for every per-client limit (streams and REST alike): its
 * address, or for IPv6 its /56, as `2001:db8::/56`. One IPv6 host holds a /64 at least, and a
 * site commonly a /56: counted by full address, each would have as many slots as addresses.
 */
export function clientKey(request: IncomingMessage): string {
  return ipKeyGenerator(clientAddress(request));
}
