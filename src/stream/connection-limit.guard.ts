import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { principalOf } from '../auth/request-principal.js';
import { AppConfig } from '../config/app-config.js';
import { clientKey } from '../limits/client-key.js';
import { OpenStreams } from './open-streams.js';
import { TooManyConnectionsException } from './too-many-connections.exception.js';

/**
 * On the stream route: answers 429 with Retry-After when the client has no place left, before
 * the query is validated. Put it after TokenGuard, so that a client is its token's subject.
 */
@Injectable()
export class ConnectionLimitGuard implements CanActivate {
  constructor(
    private readonly streams: OpenStreams,
    private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const response = context.switchToHttp().getResponse<ServerResponse>();
    const limit = this.streams.refusal(clientOf(response.req));
    if (limit !== undefined) {
      throw refuse(new TooManyConnectionsException(limit, this.config), response);
    }
    return true;
  }
}

/** `refusal`, with the Retry-After header it comes with. */
export function refuse(
  refusal: TooManyConnectionsException,
  response: ServerResponse,
): TooManyConnectionsException {
  response.setHeader('Retry-After', String(refusal.retryAfterSeconds));
  return refusal;
}

/** Whose a stream is, for the limits: a token's subject, else the client as limits count it. */
export function clientOf(request: IncomingMessage): string {
  const subject = principalOf(request)?.subject;
  return subject !== undefined ? `sub:${subject}` : `ip:${clientKey(request)}`;
}
