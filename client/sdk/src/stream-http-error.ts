/**
 * The server's answer cannot become a stream, and trying again at once would not help: a 4xx (a
 * bad request, a missing token, too many streams), or a 2xx that is not an event stream (the URL
 * is not a tickstream server's).
 */
export class StreamHttpError extends Error {
  constructor(
    readonly status: number,
    /**
     * The response body: parsed JSON (for tickstream, `{ statusCode, error, message, field,
     * value }`) or text; null for a 2xx that was not an event stream, whose body is not read.
     */
    readonly body: unknown,
    /** How long the answer's `Retry-After` asks to wait (a 429 has one), in ms; else undefined. */
    readonly retryAfterMs?: number,
    message = describe(status, body),
  ) {
    super(message);
    this.name = 'StreamHttpError';
  }
}

function describe(status: number, body: unknown): string {
  const message =
    typeof body === 'object' && body !== null && 'message' in body ? body.message : undefined;
  return typeof message === 'string' ? message : `the server answered HTTP ${status}`;
}
