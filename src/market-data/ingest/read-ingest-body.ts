import { HttpStatus } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import getRawBody, { type RawBodyError } from 'raw-body';
import { FieldErrorException } from '../../validation/field-error.exception.js';

export interface IngestBody {
  /** The media type, lower case, without parameters: one of the types asked for. */
  type: string;
  text: string;
}

/**
 * The body of an ingestion request (POST /api/ticks, /api/status), read only once the request
 * has been let in, so that a client without the token costs no read at all. Whatever can be
 * refused from the head (the type, an encoding, a declared length over `limit`) is refused before
 * a byte of the body is read; past `limit` the reading stops at once. A refusal leaves the rest
 * unread, and the connection is closed after it (see RefusalFilter).
 */
export async function readIngestBody(
  request: IncomingMessage,
  types: readonly string[],
  limit: number,
): Promise<IngestBody> {
  const { 'content-type': contentType = '', 'content-encoding': encoding = 'identity' } =
    request.headers;
  const [type, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  const charset = parameters
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"(.*)"$/, '$1');
  if (!types.includes(type) || !['utf-8', 'utf8', undefined].includes(charset)) {
    throw new FieldErrorException(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'content-type',
      `must be ${types.join(' or ')}, in UTF-8`,
      { value: contentType },
    );
  }
  if (encoding.toLowerCase() !== 'identity') {
    throw new FieldErrorException(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'content-encoding',
      'the body must not be compressed',
      { value: encoding },
    );
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
function refusal(error: RawBodyError, limit: number): FieldErrorException | RawBodyError {
  if (error.type === 'entity.too.large') {
    return new FieldErrorException(
      HttpStatus.PAYLOAD_TOO_LARGE,
      'body',
      `may have at most ${limit} bytes`,
    );
  }
  return error.status >= 400 && error.status < 500
    ? new FieldErrorException(error.status, 'body', error.message)
    : error;
}
