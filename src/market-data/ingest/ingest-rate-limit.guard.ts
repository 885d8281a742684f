import {
  HttpStatus,
  Inject,
  Injectable,
  mixin,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import { createHash } from 'node:crypto';
import { AppConfig } from '../../config/app-config.js';
import { bearerToken } from './ingest-token.guard.js';
import { FieldErrorException } from '../../validation/field-error.exception.js';

/** The routes a feed posts to, each with a limit of its own. */
export type IngestRoute = 'ticks' | 'status' | 'session' | 'candles';

/**
 * The token a request was let in with, as a digest: a feed is its token wherever it posts from,
 * and the limiter's store need not hold the secret itself.
 */
function tokenKey(request: Request): string {
  return createHash('sha256')
    .update(bearerToken(request) ?? '')
    .digest('base64url');
}

/**
 * INGEST_RATE_LIMIT (ticks, candles) or STATUS_RATE_LIMIT (status, session) requests per INGEST_RATE_WINDOW_MS per
 * ingest token, then 429 with Retry-After, before the body is read. Put it after
 * IngestTokenGuard: only a request with the token counts, so nobody else can use up a feed's
 * allowance.
 */
export function IngestRateLimitGuard(route: IngestRoute): Type<CanActivate> {
  @Injectable()
  class IngestRateLimit implements CanActivate {
    private readonly limiter: RateLimitRequestHandler;

    constructor(@Inject(AppConfig) config: AppConfig) {
      const limit =
        route === 'ticks' || route === 'candles'
          ? config.INGEST_RATE_LIMIT
          : config.STATUS_RATE_LIMIT;
      const windowMs = config.INGEST_RATE_WINDOW_MS;
      this.limiter = rateLimit({
        windowMs,
        limit,
        standardHeaders: 'draft-7',
        legacyHeaders: false,
        keyGenerator: tokenKey,
        // Its checks are of client addresses, which this key is not.
        validate: false,
        handler: (_request, _response, next) =>
          next(
            new FieldErrorException(
              HttpStatus.TOO_MANY_REQUESTS,
              'requests',
              `at most ${limit} per ${windowMs} ms for this token`,
              { value: limit },
            ),
          ),
      });
    }

    canActivate(context: ExecutionContext): Promise<boolean> {
      const http = context.switchToHttp();
      return new Promise((resolve, reject) => {
        void this.limiter(http.getRequest<Request>(), http.getResponse<Response>(), (error) =>
          error === undefined ? resolve(true) : reject(error as Error),
        );
      });
    }
  }
  return mixin(IngestRateLimit);
}
