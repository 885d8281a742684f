import { HttpStatus } from '@nestjs/common';
import type { ConnectionLimit } from '@tickstream/client/contract';
import type { AppConfig } from '../config/app-config.js';
import { FieldErrorException } from '../validation/field-error.exception.js';

/** A 429 saying which limit a new stream ran into. */
export class TooManyConnectionsException extends FieldErrorException {
  /** Seconds to wait, for the Retry-After header: the reconnect delay streams are told. */
  readonly retryAfterSeconds: number;

  constructor(limit: ConnectionLimit, config: AppConfig) {
    const max = limit === 'client' ? config.MAX_CONNECTIONS_PER_CLIENT : config.MAX_CONNECTIONS;
    const who = limit === 'client' ? 'this client has' : 'the server has';
    super(
      HttpStatus.TOO_MANY_REQUESTS,
      'connections',
      `${who} ${max} open streams, the most allowed`,
      { value: max, limit },
    );
    this.retryAfterSeconds = Math.max(1, Math.ceil(config.RETRY_MS / 1000));
  }
}
