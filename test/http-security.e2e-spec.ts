import { openRawStream } from './support/raw-stream.js';
import { startServer, type TestServer } from './support/test-server.js';

describe('security headers', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('are on REST answers and on streams, which stay uncompressed and unbuffered', async () => {
    server = await startServer();
    const rest = await fetch(`${server.url}/api/symbols`);
    const csp = rest.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(rest.headers.get('x-content-type-options')).toBe('nosniff');
    expect(rest.headers.get('x-powered-by')).toBeNull();

    const raw = await openRawStream(`${server.url}/api/stream?symbols=AAPL`, {
      'Accept-Encoding': 'gzip, deflate, br',
    });
    try {
      expect(raw.status).toBe(200);
      expect(raw.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(raw.headers['content-encoding']).toBeUndefined();
      expect(raw.headers['x-accel-buffering']).toBe('no');
      expect(raw.headers['content-security-policy']).toBe(csp);
      await raw.waitForText(/event: tick\nid: \S+\ndata: \{/);
    } finally {
      raw.close();
    }

    // A stream's head is written by its writer; a refusal on its route gets them all the same.
    const refused = await fetch(`${server.url}/api/stream?symbols=NOPE`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-security-policy')).toBe(csp);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('CORS', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  const from = (origin: string, path = '/api/symbols', method = 'GET') =>
    fetch(`${server.url}${path}`, {
      method,
      headers: {
        Origin: origin,
        ...(method === 'OPTIONS'
          ? {
              'Access-Control-Request-Method': 'GET',
              'Access-Control-Request-Headers': 'authorization,last-event-id',
            }
          : {}),
      },
    });

  it('lets no other origin read anything by default', async () => {
    server = await startServer();
    const answer = await from('https://evil.example');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await from('https://evil.example', '/api/stream', 'OPTIONS');
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets the listed origins read, with credentials and the stream headers, and no others', async () => {
    server = await startServer({ CORS_ORIGINS: 'https://app.example,http://localhost:5173' });
    const preflight = await from('https://app.example', '/api/stream', 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'Authorization,Last-Event-ID',
    );
    const raw = await openRawStream(`${server.url}/api/stream?symbols=AAPL`, {
      Origin: 'http://localhost:5173',
    });
    raw.close();
    expect(raw.status).toBe(200);
    expect(raw.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(raw.headers['access-control-expose-headers']).toBe('Retry-After,WWW-Authenticate');
    const other = await from('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows any origin, without credentials, only when CORS_ORIGINS is *', async () => {
    server = await startServer({ CORS_ORIGINS: '*' });
    const answer = await from('https://anyone.example');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
