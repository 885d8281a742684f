/** The server refused the stream with an HTTP 4xx (a bad request): retrying would not help. */
export class StreamHttpError extends Error {
  constructor(
    readonly status: number,
    /** The response body: parsed JSON (for tickstream, `{ statusCode, error, message, field, value }`) or text. */
    readonly body: unknown,
  ) {
    super(describe(status, body));
    this.name = 'StreamHttpError';
  }
}

function describe(status: number, body: unknown): string {
  const message =
    typeof body === 'object' && body !== null && 'message' in body ? body.message : undefined;
  return typeof message === 'string' ? message : `the server answered HTTP ${status}`;
}
