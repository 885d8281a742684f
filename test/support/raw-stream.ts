import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Everything received so far, as sent. */
  text(): string;
  waitForText(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  close(): void;
}

/**
 * Opens a stream over plain HTTP, to see the bytes on the wire: comments, retry, ids. From
 * `localAddress` (such as 127.0.0.2) when given, to be another client.
 */
export function openRawStream(
  url: string,
  headers: Record<string, string> = {},
  localAddress?: string,
): Promise<RawStream> {
  return new Promise((resolve, reject) => {
    const options = { headers: { Accept: 'text/event-stream', ...headers }, localAddress };
    const req = request(url, options, (res) => {
      let body = '';
      const listeners = new Set<() => void>();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        listeners.forEach((listener) => listener());
      });
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        text: () => body,
        ended,
        waitForText: (pattern, timeoutMs = 5_000) =>
          new Promise((found, fail) => {
            const check = () => {
              const match = pattern.exec(body);
              if (match) {
                clearTimeout(timer);
                listeners.delete(check);
                found(match[0]);
              }
            };
            const timer = setTimeout(() => {
              listeners.delete(check);
              fail(
                new Error(
                  `no ${String(pattern)} within ${timeoutMs} ms; got: ${body.slice(0, 500)}`,
                ),
              );
            }, timeoutMs);
            listeners.add(check);
            check();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
