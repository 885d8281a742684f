import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { AppConfig } from '../config/app-config.js';

/**
 * REST_RATE_LIMIT requests per REST_RATE_WINDOW_MS per IP address, then 429 with Retry-After.
 * Counted before authentication, so that guessing tokens is limited too.
 */
export function restRateLimit({ REST_RATE_LIMIT, REST_RATE_WINDOW_MS }: AppConfig): RequestHandler {
  return rateLimit({
    windowMs: REST_RATE_WINDOW_MS,
    limit: REST_RATE_LIMIT,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_request, response) => {
      response.status(429).json({
        statusCode: 429,
        error: 'Too Many Requests',
        message: `requests: at most ${REST_RATE_LIMIT} per ${REST_RATE_WINDOW_MS} ms`,
        field: 'requests',
        value: REST_RATE_LIMIT,
      });
    },
  });
}
