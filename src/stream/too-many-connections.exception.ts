import { HttpStatus } from '@nestjs/common';
import type { ConnectionLimit } from '@tickstream/client/contract';
import type { AppConfig } from '../config/app-config.js';
import { FieldErrorException } from '../validation/field-error.exception.js';

/** How many streams `limit` allows, and why one more is refused. */
function limitOf(limit: ConnectionLimit, config: AppConfig): { max: number; why: string } {
  const full = (who: string, max: number) => ({
    max,
    why: `${who} ${max} open streams, the most allowed`,
  });
  switch (limit) {
    case 'process':
      return full('the server has', config.MAX_CONNECTIONS);
    case 'client':
      return full('this client has', config.MAX_CONNECTIONS_PER_CLIENT);
    case 'connection':
      return {
        max: 1,
        why:
          'this connection carries a stream already, and a request pipelined behind it could ' +
          'not start before that stream ends; open each stream on a connection of its own',
      };
  }
}

/** A 429 saying which limit a new stream ran into. */
export class TooManyConnectionsException extends FieldErrorException {
  /** Seconds to wait, for the Retry-After header: the reconnect delay streams are told. */
  readonly retryAfterSeconds: number;

  constructor(limit: ConnectionLimit, config: AppConfig) {
    const { max, why } = limitOf(limit, config);
    super(HttpStatus.TOO_MANY_REQUESTS, 'connections', why, { value: max, limit });
    this.retryAfterSeconds = Math.max(1, Math.ceil(config.RETRY_MS / 1000));
  }
}
