export interface Answer {
  status: number;
  headers: Headers;
  /** The parsed body of a JSON answer; undefined for a stream. */
  body: unknown;
  isStream: boolean;
}

/** One GET; a stream that opens is closed at once, unread. */
export async function ask(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { Accept: 'text/event-stream, application/json', ...headers },
    signal: controller.signal,
  });
  const isStream = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  let body: unknown;
  if (isStream) {
    controller.abort();
  } else {
    const text = await response.text();
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  }
  return { status: response.status, headers: response.headers, body, isStream };
}
