import { Logger } from '@nestjs/common';
import type { RequestHandler } from 'express';
import { clientAddress } from './client-address.js';

/**
 * For a service that trusts no proxy: says once, in one line, that a request carried
 * X-Forwarded-For. Behind a proxy that means every client is counted as the proxy; from a client
 * it is a header to ignore, which is what happens. The header's value is not logged: anyone may
 * have written it.
 */
export function untrustedForwardingNotice(): RequestHandler {
  const logger = new Logger('TrustProxy');
  let told = false;
  return (request, _response, next) => {
    if (!told && request.headers['x-forwarded-for'] !== undefined) {
      told = true;
      logger.warn(
        `a request from ${clientAddress(request)} carried X-Forwarded-For, which is ignored as ` +
          'TRUST_PROXY is not set: behind a proxy, set TRUST_PROXY to its address, or every ' +
          'client counts as the proxy (docs/deploy.md)',
      );
    }
    next();
  };
}
