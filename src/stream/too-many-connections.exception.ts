import { HttpException, HttpStatus } from '@nestjs/common';
import type { ConnectionLimit } from '@tickstream/client/contract';
import type { AppConfig } from '../config/app-config.js';

/** A 429 saying which limit a new stream ran into. */
export class TooManyConnectionsException extends HttpException {
  /** Seconds to wait, for the Retry-After header: the reconnect delay streams are told. */
  readonly retryAfterSeconds: number;

  constructor(limit: ConnectionLimit, config: AppConfig) {
    const max = limit === 'client' ? config.MAX_CONNECTIONS_PER_CLIENT : config.MAX_CONNECTIONS;
    const who = limit === 'client' ? 'this client has' : 'the server has';
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `connections: ${who} ${max} open streams, the most allowed`,
        field: 'connections',
        value: max,
        limit,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
    this.retryAfterSeconds = Math.max(1, Math.ceil(config.RETRY_MS / 1000));
  }
}
