/** The routes of the API, relative to the server's base URL. */
export const PATHS = {
  stream: 'api/stream',
  symbols: 'api/symbols',
  ticks: 'api/ticks',
  status: 'api/status',
  /** POST signs a browser in (the token becomes the HttpOnly cookie), DELETE signs it out. */
  session: 'api/session',
} as const;

/** The query parameters of `GET /api/stream`. */
export const STREAM_PARAMS = {
  symbols: 'symbols',
  throttle: 'throttle',
  snapshot: 'snapshot',
  /** `false`: the stream ends once it has caught up (its snapshot, or its replay). */
  live: 'live',
  lastEventId: 'lastEventId',
  /**
   * With a resume point: the symbols it was received for, comma-separated (or `*`). The symbols
   * asked for and not among them are added: they open with a snapshot rather than their history.
   */
  resumeSymbols: 'resumeSymbols',
  /** A time to replay from, ms since the epoch or ISO 8601; a resume point wins over it. */
  since: 'since',
  /** Bar intervals to stream as `event: bar`, comma-separated (`1s,1m`); none by default. */
  bars: 'bars',
  /** The token, for clients that cannot send an Authorization header (a browser EventSource). */
  accessToken: 'access_token',
} as const;

/** `symbols=*`: every symbol, including those admitted after the stream opened. */
export const ALL_SYMBOLS = '*';

/** The resume point header; it wins over the `lastEventId` query parameter. */
export const LAST_EVENT_ID_HEADER = 'Last-Event-ID';

/**
 * The HttpOnly cookie that may carry the token, so that page scripts never hold it: set by
 * `POST /api/session` from a token it has checked, or by whatever signs users in on the site.
 */
export const TOKEN_COOKIE = 'tickstream_token';

/** The answer of `POST /api/session`: who is signed in, until when (ISO 8601); null without auth. */
export interface SessionInfo {
  subject: string | null;
  expiresAt: string | null;
}

/** How far ahead of the server's clock `since` may be: a client's clock may run ahead. */
export const MAX_SINCE_SKEW_MS = 5_000;

/** `throttle` is whole milliseconds from 0 (every tick) to this. */
export const MAX_THROTTLE_MS = 60_000;

/** Why a token was refused (401). */
export type TokenRefusal = 'token_missing' | 'token_malformed' | 'token_invalid' | 'token_expired';

/**
 * Which connection limit refused a stream (429): the process's, the client's, or the
 * connection's (a request pipelined behind a stream on the same connection could not start
 * before that stream ends).
 */
export type ConnectionLimit = 'process' | 'client' | 'connection';

/**
 * The JSON body of every 4xx: it names the field at fault and the value sent, so that a client
 * can say exactly what was wrong.
 */
export interface ErrorBody {
  statusCode: number;
  error: string;
  /** `"<field>: <reason>"`, for people. */
  message: string;
  field: string;
  /** What was sent (absent for a token, which is never echoed). */
  value?: unknown;
  /** On a 401: why the token was refused. */
  reason?: TokenRefusal;
  /** On a 429 for streams: which limit. */
  limit?: ConnectionLimit;
}
