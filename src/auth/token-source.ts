import { STREAM_PARAMS, TOKEN_COOKIE } from '@tickstream/client/contract';
import { parseCookie } from 'cookie';
import type { IncomingMessage } from 'node:http';
import { InvalidTokenException } from './invalid-token.exception.js';
import { queryParams } from './query-params.js';

/** The query parameter for clients that cannot set headers, such as a browser EventSource. */
const TOKEN_QUERY_PARAM = STREAM_PARAMS.accessToken;

/** Far above any real token; bounds the work a hostile client can ask for. */
const MAX_TOKEN_LENGTH = 8192;

export interface PresentedToken {
  token: string;
  /** Where it came from, as a client would name it. */
  field: string;
}

/**
 * The token a request carries: the Authorization header (services), else the access_token query
 * param, else the cookie. Throws a 401 when there is none or it cannot be a token.
 */
export function findToken(request: IncomingMessage): PresentedToken {
  const presented = fromHeader(request) ?? fromQuery(request) ?? fromCookie(request);
  if (!presented) {
    throw new InvalidTokenException(
      'authorization',
      'token_missing',
      `a token is required: an Authorization: Bearer header, the ${TOKEN_QUERY_PARAM} query parameter or the ${TOKEN_COOKIE} cookie`,
    );
  }
  if (presented.token === '' || presented.token.length > MAX_TOKEN_LENGTH) {
    throw new InvalidTokenException(presented.field, 'token_malformed', 'not a token');
  }
  return presented;
}

function fromHeader({ headers }: IncomingMessage): PresentedToken | undefined {
  const header = headers.authorization;
  if (header === undefined) {
    return undefined;
  }
  const match = /^Bearer +(\S+)$/i.exec(header);
  if (!match) {
    throw new InvalidTokenException(
      'authorization',
      'token_malformed',
      'expected "Bearer <token>"',
    );
  }
  return { token: match[1], field: 'authorization' };
}

function fromQuery(request: IncomingMessage): PresentedToken | undefined {
  const values = queryParams(request).getAll(TOKEN_QUERY_PARAM);
  if (values.length > 1) {
    throw new InvalidTokenException(TOKEN_QUERY_PARAM, 'token_malformed', 'given more than once');
  }
  return values.length === 1 ? { token: values[0], field: TOKEN_QUERY_PARAM } : undefined;
}

function fromCookie({ headers }: IncomingMessage): PresentedToken | undefined {
  const token =
    headers.cookie === undefined ? undefined : parseCookie(headers.cookie)[TOKEN_COOKIE];
  return token === undefined ? undefined : { token, field: TOKEN_COOKIE };
}
