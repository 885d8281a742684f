/** The REST API refused a request: its status and its JSON body (the contract's ErrorBody). */
export class ApiError extends Error {
  constructor(
    path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`GET ${path}: HTTP ${status}${messageOf(body) ? `: ${messageOf(body)}` : ''}`);
    this.name = 'ApiError';
  }
}

/** The `message` of an error body, if it has one. */
export function messageOf(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null && 'message' in body
    ? String(body.message)
    : undefined;
}
