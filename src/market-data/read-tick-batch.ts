import {
  HttpException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import getRawBody, { type RawBodyError } from 'raw-body';
import { TICK_BATCH_TYPES } from './tick-batch.js';

export interface TickBatchBody {
  /** The media type, lower case, without parameters: one of TICK_BATCH_TYPES. */
  type: string;
  text: string;
}

/**
 * The body of a POST /api/ticks, read only once the request has been let in, so that a client
 * without the token costs no read at all. Whatever can be refused from the head (the type, an
 * encoding, a declared length over `limit`) is refused before a byte of the body is read; past
 * `limit` the reading stops at once. A refusal leaves the rest unread, and the connection is
 * closed after it (see RefusalFilter).
 */
export async function readTickBatch(
  request: IncomingMessage,
  limit: number,
): Promise<TickBatchBody> {
  const { 'content-type': contentType = '', 'content-encoding': encoding = 'identity' } =
    request.headers;
  const [type, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  const charset = parameters
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"(.*)"$/, '$1');
  if (!TICK_BATCH_TYPES.includes(type) || !['utf-8', 'utf8', undefined].includes(charset)) {
    throw new UnsupportedMediaTypeException(
      `Content-Type must be ${TICK_BATCH_TYPES.join(' or ')}, in UTF-8`,
    );
  }
  if (encoding.toLowerCase() !== 'identity') {
    throw new UnsupportedMediaTypeException('the body must not be compressed (Content-Encoding)');
  }
  try {
    // A declared length over the limit is refused before anything is read.
    const length = request.headers['content-length'];
    return { type, text: await getRawBody(request, { length, limit, encoding: 'utf-8' }) };
  } catch (error) {
    throw refusal(error as RawBodyError, limit);
  }
}

/** raw-body's errors are 4xx for what the client did (too long, cut short, not its length). */
function refusal(error: RawBodyError, limit: number): HttpException | RawBodyError {
  if (error.type === 'entity.too.large') {
    return new PayloadTooLargeException(`the body may have at most ${limit} bytes`);
  }
  return error.status >= 400 && error.status < 500
    ? new HttpException(error.message, error.status)
    : error;
}
