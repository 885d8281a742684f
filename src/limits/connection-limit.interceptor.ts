import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type MessageEvent,
  type NestInterceptor,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defer, finalize, takeUntil, type Observable } from 'rxjs';
import { principalOf } from '../auth/request-principal.js';
import { AppConfig } from '../config/app-config.js';
import { ConnectionRegistry } from './connection-registry.service.js';
import { TooManyConnectionsException } from './too-many-connections.exception.js';

/**
 * On an SSE route: holds a place in the connection counts for as long as the stream is open,
 * answers 429 with Retry-After before the stream opens when there is none, and ends the stream
 * when the process drains. Put it after TokenGuard, so that a client is its token's subject.
 */
@Injectable()
export class ConnectionLimitInterceptor implements NestInterceptor<MessageEvent, MessageEvent> {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler<MessageEvent>): Observable<MessageEvent> {
    const http = context.switchToHttp();
    const request = http.getRequest<IncomingMessage>();
    const client = clientOf(request);
    // Counted on subscription, released with it: a client that leaves before its stream is
    // subscribed never takes a place.
    return defer(() => {
      const release = this.registry.acquire(client);
      if (typeof release === 'string') {
        const retryAfterSeconds = Math.max(1, Math.ceil(this.config.RETRY_MS / 1000));
        http.getResponse<ServerResponse>().setHeader('Retry-After', String(retryAfterSeconds));
        const max =
          release === 'client'
            ? this.config.MAX_CONNECTIONS_PER_CLIENT
            : this.config.MAX_CONNECTIONS;
        throw new TooManyConnectionsException(release, max);
      }
      return next.handle().pipe(takeUntil(this.registry.ending), finalize(release));
    });
  }
}

/** A token's subject, else the peer's address. */
function clientOf(request: IncomingMessage): string {
  const subject = principalOf(request)?.subject;
  return subject !== undefined ? `sub:${subject}` : `ip:${request.socket.remoteAddress ?? ''}`;
}
