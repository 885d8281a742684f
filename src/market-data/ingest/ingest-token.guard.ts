import {
  Injectable,
  ServiceUnavailableException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidTokenException } from '../../auth/invalid-token.exception.js';
import { AppConfig } from '../../config/app-config.js';

/** Fixed-length digests, so the comparison takes the same time whatever the token's length. */
const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

/** The token of an `Authorization: Bearer <token>` header, as sent. */
export function bearerToken(request: IncomingMessage): string | undefined {
  return /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

/**
 * Lets a request in only with `Authorization: Bearer <INGEST_TOKEN>`. Without a configured
 * token ingestion is off (503), so it is never open by accident.
 */
@Injectable()
export class IngestTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(config: AppConfig) {
    this.expected = config.INGEST_TOKEN === undefined ? undefined : digest(config.INGEST_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) {
      throw new ServiceUnavailableException('ingestion is off: no INGEST_TOKEN is configured');
    }
    const http = context.switchToHttp();
    const request = http.getRequest<IncomingMessage>();
    const { authorization } = request.headers;
    const token = bearerToken(request);
    if (token === undefined || !timingSafeEqual(digest(token), this.expected)) {
      const refusal = new InvalidTokenException(
        'authorization',
        authorization === undefined ? 'token_missing' : 'token_invalid',
        'a valid "Authorization: Bearer <INGEST_TOKEN>" header is required',
      );
      http.getResponse<ServerResponse>().setHeader('WWW-Authenticate', refusal.challenge);
      throw refusal;
    }
    return true;
  }
}
