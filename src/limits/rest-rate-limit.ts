import type { NestExpressApplication } from '@nestjs/platform-express';
import { rateLimit } from 'express-rate-limit';
import type { AppConfig } from '../config/app-config.js';
import { errorBody } from '../validation/field-error.exception.js';
import { clientKey } from './client-key.js';

/** The REST routes that are rate-limited: streams are covered by the connection limits. */
const LIMITED_PATH = '/api/symbols';

/**
 * REST_RATE_LIMIT requests per REST_RATE_WINDOW_MS per client (clientKey) on the market-data REST
 * routes, then 429 with Retry-After. Counted before authentication, so that guessing tokens is
 * limited too.
 *
 * The key is our own client address, which believes X-Forwarded-For only from a proxy that
 * TRUST_PROXY names; the library's checks of that header (which log a stack trace for every
 * client that sends one to a service that does not trust it) have nothing left to check.
 */
export function applyRestRateLimit(
  app: NestExpressApplication,
  { REST_RATE_LIMIT, REST_RATE_WINDOW_MS }: AppConfig,
): void {
  app.use(
    LIMITED_PATH,
    rateLimit({
      windowMs: REST_RATE_WINDOW_MS,
      limit: REST_RATE_LIMIT,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      keyGenerator: clientKey,
      handler: (_request, response) => {
        response.status(429).json(
          errorBody(429, 'requests', `at most ${REST_RATE_LIMIT} per ${REST_RATE_WINDOW_MS} ms`, {
            value: REST_RATE_LIMIT,
          }),
        );
      },
    }),
  );
}
