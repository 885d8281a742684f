import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { mintToken } from '../src/auth/mint-token.js';
import { ask } from './support/http.js';
import { eventually } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';
import { bearer, JWT_SERVER, SECRET, token } from './support/tokens.js';

interface RefusalBody {
  statusCode: number;
  message: string;
  field: string;
  reason?: string;
  value?: unknown;
}

const refusal = (body: unknown) => body as RefusalBody;

describe('stream authentication with STREAM_AUTH=jwt', () => {
  let server: TestServer;
  const stream = (query: string) => `${server.url}/api/stream?${query}`;

  beforeAll(async () => {
    server = await startServer(JWT_SERVER);
  });

  afterAll(async () => {
    await server.close();
  });

  async function expect401(
    url: string,
    headers: Record<string, string>,
    field: string,
    reason: string,
  ): Promise<RefusalBody> {
    const answer = await ask(url, headers);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="tickstream"/);
    const body = refusal(answer.body);
    expect(body).toMatchObject({ statusCode: 401, field, reason });
    expect(body.message).toMatch(new RegExp(`^${field}: `));
    expect(server.bus.subscriberCount).toBe(0);
    return body;
  }

  it('refuses a stream without a token, before it opens', async () => {
    const body = await expect401(stream('symbols=AAPL'), {}, 'authorization', 'token_missing');
    expect(body.message).toContain('access_token');
  });

  it('refuses malformed, forged, unsigned and expired tokens, never echoing them', async () => {
    const forged = await mintToken(
      { sub: 'mallory', symbols: '*', expires: '1h' },
      { secret: 'another-secret-that-is-also-long-enough' },
    );
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'mallory', symbols: '*', exp: 4102444800 }),
    ).toString('base64url')}.`;
    const expired = await token({ expires: Math.floor(Date.now() / 1000) - 10 });
    const noSymbols = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    const noExpiry = await new SignJWT({ symbols: '*' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .sign(new TextEncoder().encode(SECRET));
    const cases: [Record<string, string>, string, string][] = [
      [{ Authorization: 'Basic YWxpY2U6c2VjcmV0' }, 'authorization', 'token_malformed'],
      [{ Authorization: 'Bearer' }, 'authorization', 'token_malformed'],
      [bearer('not.a.jwt'), 'authorization', 'token_malformed'],
      [bearer(forged), 'authorization', 'token_invalid'],
      [bearer(unsigned), 'authorization', 'token_invalid'],
      [bearer(noSymbols), 'authorization', 'token_invalid'],
      [bearer(noExpiry), 'authorization', 'token_invalid'],
      [bearer(expired), 'authorization', 'token_expired'],
      [{ Cookie: `tickstream_token=${forged}` }, 'tickstream_token', 'token_invalid'],
    ];
    for (const [headers, field, reason] of cases) {
      const body = await expect401(stream('symbols=AAPL'), headers, field, reason);
      expect(JSON.stringify(body)).not.toContain(forged);
      expect(JSON.stringify(body)).not.toContain(expired);
    }
    const byQuery = await expect401(
      stream(`symbols=AAPL&access_token=${expired}`),
      {},
      'access_token',
      'token_expired',
    );
    expect(byQuery.message).toMatch(/expired at \d{4}-/);
    await expect401(
      stream(`symbols=AAPL&access_token=${forged}&access_token=${forged}`),
      {},
      'access_token',
      'token_malformed',
    );
  });

  it('refuses a token whose signature is not exactly as signed: padded, or re-spelt to decode the same', async () => {
    const valid = await token();
    const dot = valid.lastIndexOf('.');
    const signature = valid.slice(dot + 1);
    // An HS256 signature is 32 bytes, 43 characters: the last one's two low bits are padding.
    const last = signature.at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelt = alphabet[alphabet.indexOf(last) ^ 1];
    const variants = [`${valid}=`, `${valid}==`, `${valid.slice(0, -1)}${respelt}`];
    for (const variant of variants) {
      // Each decodes to the very signature that verifies.
      expect(Buffer.from(variant.slice(dot + 1), 'base64url')).toEqual(
        Buffer.from(signature, 'base64url'),
      );
      const answer = await ask(stream('symbols=AAPL'), bearer(variant));
      expect(answer.status).toBe(401);
      // jose refuses some spellings as not a JWT at all; what it lets through, we refuse.
      expect(refusal(answer.body).reason).toMatch(/^token_(invalid|malformed)$/);
      expect((await ask(`${server.url}/api/symbols/AAPL`, bearer(variant))).status).toBe(401);
    }
    expect((await ask(stream('symbols=AAPL'), bearer(valid))).status).toBe(200);
  });

  it('refuses claims of the wrong kind or beyond any date with 401, never 500', async () => {
    const now = Math.floor(Date.now() / 1000);
    const signed = (claims: Record<string, unknown>) =>
      new SignJWT({ sub: 'alice', symbols: '*', exp: now + 600, ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(SECRET));
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ exp: -1e17 }, 'token_expired', /the token expired$/],
      [{ exp: -1 }, 'token_expired', /expired at 1969-12-31T23:59:59.000Z/],
      [{ exp: 1e300 }, 'token_invalid', /"exp"/],
      [{ exp: 8.64e12 + 1 }, 'token_invalid', /"exp"/],
      [{ iat: 1e300 }, 'token_invalid', /"iat"/],
      [{ nbf: -1e300 }, 'token_invalid', /"nbf"/],
      [{ sub: 123 }, 'token_invalid', /"sub"/],
      [{ sub: { id: 'alice' } }, 'token_invalid', /"sub"/],
      [{ sub: true }, 'token_invalid', /"sub"/],
      [{ sub: '' }, 'token_invalid', /"sub"/],
      [{ symbols: ['AAPL', '*'] }, 'token_invalid', /symbols/],
      [{ symbols: 'AAPL' }, 'token_invalid', /symbols/],
    ];
    for (const [claims, reason, message] of cases) {
      const body = await expect401(
        stream('symbols=AAPL'),
        bearer(await signed(claims)),
        'authorization',
        reason,
      );
      expect(body.message).toMatch(message);
      const rest = await ask(`${server.url}/api/symbols/AAPL`, bearer(await signed(claims)));
      expect(rest.status).toBe(401);
    }
  });

  it('reads a symbols claim of ["*"] as every symbol, as "*"', async () => {
    const all = await token({ symbols: ['*'] });
    expect((await ask(stream('symbols=AAPL,TSLA'), bearer(all))).status).toBe(200);
    const list = await ask(`${server.url}/api/symbols`, bearer(all));
    expect((list.body as unknown[]).length).toBeGreaterThan(2);
  });

  it('streams to a service with a Bearer header, and to browsers with the query param or cookie', async () => {
    const valid = await token({ symbols: ['AAPL', 'MSFT'] });
    const clients = [
      server.connect('symbols=AAPL,MSFT', { headers: bearer(valid) }),
      server.connect(`symbols=AAPL,msft&access_token=${valid}`),
      server.connect('symbols=AAPL', {
        headers: { Cookie: `theme=dark; tickstream_token=${valid}` },
      }),
    ];
    for (const client of clients) {
      await client.waitFor((c) => c.of('snapshot').length === 1 && c.ticks().length >= 2);
      expect(client.errors).toEqual([]);
      client.close();
    }
  });

  it('answers 403 naming the symbols outside the entitlement, before the stream opens', async () => {
    const valid = await token({ symbols: ['aapl', 'MSFT'] });
    const answer = await ask(stream('symbols=AAPL,TSLA,msft,NVDA'), bearer(valid));
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({
      statusCode: 403,
      field: 'symbols',
      value: ['TSLA', 'NVDA'],
    });
    expect(refusal(answer.body).message).toBe('symbols: the token does not cover TSLA, NVDA');
    expect(server.bus.subscriberCount).toBe(0);
    // A bad query is still a 400, whatever the token covers.
    expect((await ask(stream('symbols=AAPL&throttle=x'), bearer(valid))).status).toBe(400);
  });

  it('guards the market-data REST endpoints with the same tokens and entitlements', async () => {
    const valid = await token({ symbols: ['AAPL', 'MSFT'] });
    const rest = (path: string) => `${server.url}/api/symbols${path}`;
    expect((await ask(rest(''))).status).toBe(401);
    const list = await ask(rest(''), bearer(valid));
    expect((list.body as { symbol: string }[]).map((info) => info.symbol)).toEqual([
      'AAPL',
      'MSFT',
    ]);
    expect((await ask(rest(`/aapl?access_token=${valid}`))).status).toBe(200);
    expect((await ask(rest(`/AAPL/candles?interval=1s&access_token=${valid}`))).status).toBe(200);
    const denied = await ask(rest('/TSLA/candles'), bearer(valid));
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ field: 'symbol', value: ['TSLA'] });
    expect((await ask(rest('/TSLA'), bearer(valid))).status).toBe(403);
    expect((await ask(rest('/NOPE'), bearer(valid))).status).toBe(404);
  });

  it('ends a stream with an error event when its token expires, and the client does not loop', async () => {
    // exp is in whole seconds: this one lands 1 to 2 seconds from now.
    const exp = Math.floor(Date.now() / 1000) + 2;
    const expiring = await token({ symbols: ['AAPL', 'MSFT'], expires: exp });
    const client = server.connect(`symbols=AAPL,MSFT&access_token=${expiring}`);
    const sent = (c: typeof client) => c.events.filter((event) => event.data !== undefined);
    await client.waitFor(
      (c) => sent(c).some((event) => event.type === 'error'),
      5_000,
      'the expiry event',
    );
    const frames = sent(client);
    const expiry = frames.at(-1);
    expect(expiry?.type).toBe('error');
    expect(JSON.parse(expiry?.data ?? '{}')).toMatchObject({ reason: 'token_expired' });
    // It repeats the last id sent, so a client resuming with a new token loses nothing.
    expect(expiry?.id).toBe(frames.at(-2)?.id);
    expect(frames.filter((event) => event.type === 'tick').length).toBeGreaterThan(0);
    expect(expiry?.receivedAt).toBeGreaterThanOrEqual(exp * 1000 - 5);
    // EventSource reconnects once with the old token, gets 401, and gives up.
    await eventually(() => client.closed, 5_000, 'the EventSource to give up');
    expect(client.errors.map((error) => (error as Event & { code?: number }).code)).toContain(401);
    await eventually(() => server.bus.subscriberCount === 0, 2_000, 'the stream to be released');
    client.close();
  });
});

describe('tokens signed with a public-key algorithm', () => {
  function keyPair(type: 'rsa' | 'ec'): { privateKey: KeyObject; pem: string } {
    const { privateKey, publicKey } =
      type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return { privateKey, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  }

  it.each([
    ['RS256', 'rsa'],
    ['ES256', 'ec'],
  ] as const)(
    'verifies %s with JWT_PUBLIC_KEY and refuses other keys and algorithms',
    async (algorithm, type) => {
      const { privateKey, pem } = keyPair(type);
      const server = await startServer({ STREAM_AUTH: 'jwt', JWT_PUBLIC_KEY: pem });
      try {
        const spec = { sub: 'svc', symbols: ['AAPL'], expires: '5m' };
        const url = `${server.url}/api/stream?symbols=AAPL`;
        const valid = await mintToken(spec, { privateKey, algorithm });
        expect((await ask(url, bearer(valid))).status).toBe(200);
        const otherKey = await mintToken(spec, { privateKey: keyPair(type).privateKey, algorithm });
        expect((await ask(url, bearer(otherKey))).status).toBe(401);
        // The public key used as an HMAC secret: the classic algorithm confusion.
        const confused = await mintToken(spec, { secret: pem });
        expect((await ask(url, bearer(confused))).status).toBe(401);
      } finally {
        await server.close();
      }
    },
  );
});

describe('STREAM_AUTH=none', () => {
  it('needs no token, and ignores one that is sent', async () => {
    const server = await startServer();
    try {
      const url = `${server.url}/api/stream?symbols=AAPL`;
      expect((await ask(url)).status).toBe(200);
      expect((await ask(`${url}&access_token=anything`, bearer('anything'))).status).toBe(200);
      expect((await ask(`${server.url}/api/symbols/AAPL/candles?access_token=x`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
