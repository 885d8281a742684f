import { HttpException, HttpStatus } from '@nestjs/common';
import type { ConnectionLimit } from './connection-registry.service.js';

/** A 429 saying which limit a new stream ran into. */
export class TooManyConnectionsException extends HttpException {
  constructor(limit: ConnectionLimit, max: number) {
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
  }
}
