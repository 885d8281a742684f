import { request } from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
  /** From sending the request to the whole answer, in ms. */
  ms: number;
}

export interface HttpOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Any of 127.0.0.0/8: the server sees another client than 127.0.0.1. */
  localAddress?: string;
  timeoutMs?: number;
}

/** One request on a connection of its own to 127.0.0.1:`port`; rejects on error or timeout. */
export function httpRequest(
  port: number,
  path: string,
  options: HttpOptions = {},
): Promise<HttpAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.localAddress,
        agent: false,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(options.body);
  });
}
