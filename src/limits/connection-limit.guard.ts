import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Observable,
  type MonoTypeOperatorFunction,
  type Subscriber,
  type Subscription,
  type Unsubscribable,
} from 'rxjs';
import { principalOf } from '../auth/request-principal.js';
import { AppConfig } from '../config/app-config.js';
import { clientAddress } from './client-address.js';
import {
  ConnectionRegistry,
  type ConnectionLimit,
  type PlaceHolder,
} from './connection-registry.service.js';
import { TooManyConnectionsException } from './too-many-connections.exception.js';

/**
 * On an SSE route: answers 429 with Retry-After, before the query is validated, when the client
 * has no place left; then `hold()` keeps a place in the connection counts for as long as the
 * stream is subscribed, and ends the stream when the process drains. Put it after TokenGuard, so
 * that a client is its token's subject.
 *
 * A guard and an operator rather than an interceptor: Nest wraps a route with interceptors in a
 * dozen more Observables, closures and an execution context that every open stream keeps.
 */
@Injectable()
export class ConnectionLimitGuard implements CanActivate {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const response = context.switchToHttp().getResponse<ServerResponse>();
    const limit = this.registry.refusal(clientOf(response.req));
    if (limit !== undefined) {
      throw this.refuse(limit, response);
    }
    return true;
  }

  /**
   * Holds a place for the client of `response` while the stream is subscribed: taken on
   * subscription (a client that leaves before never takes one), given back with it.
   */
  hold<T>(response: ServerResponse): MonoTypeOperatorFunction<T> {
    const client = clientOf(response.req);
    return (source) =>
      new Observable<T>((subscriber) => {
        const place = new HeldPlace(this.registry, client, subscriber);
        // Refused only if others took the last place since canActivate.
        const limit = this.registry.acquire(client, place);
        if (limit !== undefined) {
          throw this.refuse(limit, response);
        }
        place.follow(source);
        return place;
      });
  }

  private refuse(limit: ConnectionLimit, response: ServerResponse): TooManyConnectionsException {
    const retryAfterSeconds = Math.max(1, Math.ceil(this.config.RETRY_MS / 1000));
    response.setHeader('Retry-After', String(retryAfterSeconds));
    const max =
      limit === 'client' ? this.config.MAX_CONNECTIONS_PER_CLIENT : this.config.MAX_CONNECTIONS;
    return new TooManyConnectionsException(limit, max);
  }
}

/** A token's subject, else the client's address. */
function clientOf(request: IncomingMessage): string {
  const subject = principalOf(request)?.subject;
  return subject !== undefined ? `sub:${subject}` : `ip:${clientAddress(request)}`;
}

/**
 * A subscribed stream's place in the counts: ends the stream when the process drains, and is the
 * teardown that gives the place back. One object rather than closures, as every open stream
 * keeps it.
 */
class HeldPlace<T> implements PlaceHolder, Unsubscribable {
  private subscription: Subscription | undefined;

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly client: string,
    private readonly subscriber: Subscriber<T>,
  ) {}

  /** Passes `source` on to the stream's subscriber, unless the stream has ended already. */
  follow(source: Observable<T>): void {
    if (!this.subscriber.closed) {
      this.subscription = source.subscribe(this.subscriber);
    }
  }

  end(): void {
    this.subscriber.complete();
  }

  unsubscribe(): void {
    this.subscription?.unsubscribe();
    this.registry.release(this.client, this);
  }
}
