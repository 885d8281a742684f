import { isEventId } from '@tickstream/client/contract';
import fc from 'fast-check';
import { mintToken } from '../src/auth/mint-token.js';
import { DEFAULT_UNIVERSE } from '../src/market-data/symbol-universe.js';
import { rawGet, type RawAnswer } from './support/raw-request.js';
import { eventually } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';
import { JWT_SERVER, token } from './support/tokens.js';

// Property-based tests against the real server: whatever a client sends, the answer is a 4xx
// or a stream, never a 5xx or a crash, and no stream opens for a request that should not get one.

const SYMBOLS = DEFAULT_UNIVERSE.map((profile) => profile.symbol);
const MAX_SYMBOLS = 5;
const KNOWN_PARAMS = ['symbols', 'throttle', 'snapshot', 'lastEventId', 'access_token'];

type Channel = 'header' | 'query' | 'cookie';

interface ValidRequest {
  symbols: string[];
  lowerCase: boolean;
  throttle?: number;
  snapshot?: 'true' | 'false';
  lastEventIdQuery?: string;
  lastEventIdHeader?: string;
  channel: Channel;
  /** Symbols beyond the asked ones that the token also covers; undefined for "*". */
  alsoEntitled?: string[];
}

/** Printable ASCII, the characters a header value can carry without breaking the framing. */
const printable = (options: { minLength?: number; maxLength?: number } = {}) =>
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    ...options,
  });

/**
 * An event id, `<ms>-<seq>`: the only resume point a client may send. Each part up to 16 digits,
 * as the docs allow: above 2^53 too.
 */
const eventId = fc
  .tuple(fc.stringMatching(/^\d{1,16}$/), fc.stringMatching(/^\d{1,16}$/))
  .map(([ms, seq]) => `${ms}-${seq}`);

/** What a forged frame says: no stream may ever carry it. */
const FORGED = 'forged-by-the-client';
/** Ways out of a field's line: line ends of every kind, and NUL, which ends an id. */
const lineBreak = fc.constantFrom('\n', '\r', '\r\n', '\0', '\n\n', '\r\r', '\r\n\r\n');

/** A value that smuggles a tick frame of the client's own after a line break or NUL. */
function injection(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.oneof(eventId, printable({ maxLength: 20 })), lineBreak)
    .map(
      ([start, brk]) =>
        `${start}${brk}event: tick${brk}id: 9999999999999-0${brk}` +
        `data: {"symbol":"AAPL","price":0.01,"note":"${FORGED}"}${brk}${brk}`,
    );
}

const validRequest: fc.Arbitrary<ValidRequest> = fc.record(
  {
    symbols: fc.uniqueArray(fc.constantFrom(...SYMBOLS), { minLength: 1, maxLength: MAX_SYMBOLS }),
    lowerCase: fc.boolean(),
    throttle: fc.integer({ min: 0, max: 60_000 }),
    snapshot: fc.constantFrom('true' as const, 'false' as const),
    lastEventIdQuery: eventId,
    lastEventIdHeader: eventId,
    channel: fc.constantFrom<Channel>('header', 'query', 'cookie'),
    alsoEntitled: fc.uniqueArray(fc.constantFrom(...SYMBOLS), { maxLength: 3 }),
  },
  { requiredKeys: ['symbols', 'lowerCase', 'channel'] },
);

interface Built {
  target: string;
  headers: [string, string][];
}

/** The request as it goes on the wire, with `credential` sent on the request's channel. */
function build(
  request: ValidRequest,
  credential: string | undefined,
  edit: (query: URLSearchParams) => void = () => undefined,
): Built {
  const query = new URLSearchParams();
  const symbols = request.symbols.join(',');
  query.set('symbols', request.lowerCase ? symbols.toLowerCase() : symbols);
  if (request.throttle !== undefined) {
    query.set('throttle', String(request.throttle));
  }
  if (request.snapshot !== undefined) {
    query.set('snapshot', request.snapshot);
  }
  if (request.lastEventIdQuery !== undefined) {
    query.set('lastEventId', request.lastEventIdQuery);
  }
  const headers: [string, string][] = [];
  if (request.lastEventIdHeader) {
    headers.push(['Last-Event-ID', request.lastEventIdHeader]);
  }
  if (credential !== undefined) {
    if (request.channel === 'query') {
      query.set('access_token', credential);
    } else if (request.channel === 'cookie') {
      headers.push(['Cookie', `theme=dark; tickstream_token=${credential}`]);
    } else {
      headers.push(['Authorization', `Bearer ${credential}`]);
    }
  }
  edit(query);
  return { target: `/api/stream?${query.toString()}`, headers };
}

function entitledToken(request: ValidRequest, sub = 'fuzz'): Promise<string> {
  const symbols =
    request.alsoEntitled === undefined ? '*' : [...request.symbols, ...request.alsoEntitled];
  return token({ sub, symbols });
}

describe('hostile input to GET /api/stream', () => {
  let server: TestServer;
  let port: number;
  const send = ({ target, headers }: Built): Promise<RawAnswer> => rawGet(port, target, headers);

  beforeAll(async () => {
    server = await startServer({
      ...JWT_SERVER,
      MAX_SYMBOLS_PER_STREAM: String(MAX_SYMBOLS),
      MAX_CONNECTIONS_PER_CLIENT: '0',
    });
    port = Number(new URL(server.url).port);
  });

  afterAll(async () => {
    await server.close();
  });

  function expectNoStream(answer: RawAnswer, status: number): void {
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toMatchObject({ statusCode: status });
    expect(server.bus.subscriberCount).toBe(0);
  }

  async function expectStream(answer: RawAnswer): Promise<void> {
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/event-stream/);
    // The stream was subscribed; once closed, nothing of it may stay behind.
    await eventually(() => server.bus.subscriberCount === 0, 2_000, 'the stream to be released');
  }

  it('opens a stream for every valid request, whatever the letter case, order, resume id or token channel', async () => {
    await fc.assert(
      fc.asyncProperty(validRequest, async (request) => {
        await expectStream(await send(build(request, await entitledToken(request))));
      }),
      { numRuns: 60 },
    );
  });

  const badValue = (valid: (value: string) => boolean) =>
    fc.string().filter((value) => !valid(value));
  const queryMutations: fc.Arbitrary<[string, (query: URLSearchParams) => void]>[] = [
    fc.constant(['no symbols', (query) => query.delete('symbols')]),
    fc
      .string({ minLength: 1, maxLength: 6 })
      .map((name) => name.toUpperCase().replace(/,/g, ''))
      .filter((name) => name.trim() !== '' && !SYMBOLS.includes(name.trim()))
      .map((name) => [
        `unknown symbol ${name}`,
        (query) => query.set('symbols', `${query.get('symbols') ?? ''},${name}`),
      ]),
    fc
      .uniqueArray(fc.constantFrom(...SYMBOLS), {
        minLength: MAX_SYMBOLS + 1,
        maxLength: SYMBOLS.length,
      })
      .map((many) => ['too many symbols', (query) => query.set('symbols', many.join(','))]),
    fc.constant([
      'an empty symbol',
      (query) => query.set('symbols', `${query.get('symbols') ?? ''},,AAPL`),
    ]),
    badValue((value) => /^\d{1,15}$/.test(value) && Number(value) <= 60_000).map((value) => [
      `throttle ${JSON.stringify(value)}`,
      (query) => query.set('throttle', value),
    ]),
    badValue((value) => value === 'true' || value === 'false').map((value) => [
      `snapshot ${JSON.stringify(value)}`,
      (query) => query.set('snapshot', value),
    ]),
    fc
      .oneof(fc.string(), printable({ minLength: 34, maxLength: 200 }), injection())
      .filter((id) => !isEventId(id))
      .map((id) => [
        'a lastEventId that is not an event id',
        (query) => query.set('lastEventId', id),
      ]),
    fc
      .oneof(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'Symbols'),
        fc.string({ minLength: 1 }),
      )
      .filter((name) => !KNOWN_PARAMS.includes(name))
      .map((name) => [`unknown param ${JSON.stringify(name)}`, (query) => query.append(name, '1')]),
    fc.constantFrom('symbols', 'throttle', 'snapshot', 'lastEventId').map((name) => [
      `${name} twice`,
      (query) => {
        const value = query.get(name) ?? '0';
        query.set(name, value);
        query.append(name, value);
      },
    ]),
  ];

  it('answers a bad query with 400 and no stream, even with a valid token', async () => {
    await fc.assert(
      fc.asyncProperty(validRequest, fc.oneof(...queryMutations), async (request, [, mutate]) => {
        expectNoStream(await send(build(request, await entitledToken(request), mutate)), 400);
      }),
      { numRuns: 120 },
    );
  });

  it('answers a missing, malformed, forged or expired token with 401 and no stream', async () => {
    const forged = await mintToken(
      { sub: 'fuzz', symbols: '*', expires: '1h' },
      { secret: 'a-different-secret-also-32-characters-long' },
    );
    const expired = await token({ expires: Math.floor(Date.now() / 1000) - 1 });
    const credential = fc.oneof(
      fc.constant(undefined),
      fc.constant(forged),
      fc.constant(expired),
      printable({ maxLength: 100 }),
      fc.string({ unit: fc.constantFrom('a', 'b', '.', '-', '_', '=') }),
    );
    await fc.assert(
      fc.asyncProperty(validRequest, credential, async (request, bad) => {
        expectNoStream(await send(build(request, bad)), 401);
      }),
      { numRuns: 120 },
    );
  });

  it('answers 403 for symbols outside the token, naming them', async () => {
    await fc.assert(
      fc.asyncProperty(
        validRequest.filter((request) => request.symbols.length > 1),
        fc.nat(),
        async (request, pick) => {
          const outside = request.symbols[pick % request.symbols.length];
          const symbols = request.symbols.filter((symbol) => symbol !== outside);
          const credential = await token({ sub: 'fuzz', symbols });
          const answer = await send(build(request, credential));
          expectNoStream(answer, 403);
          expect(JSON.parse(answer.body)).toMatchObject({ field: 'symbols', value: [outside] });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('never answers 5xx or opens a stream it should not, for any bytes in the query or headers', async () => {
    const valid = await token({ sub: 'fuzz' });
    const latin1 = fc.integer({ min: 0x21, max: 0xff }).map((c) => String.fromCharCode(c));
    const headerValue = fc.oneof(
      printable({ maxLength: 200 }),
      fc.string({ unit: fc.oneof(latin1, fc.constant(' '), fc.constant('\t')), maxLength: 200 }),
    );
    const header = (name: string, value: fc.Arbitrary<string>) =>
      fc.option(
        value.map((v): [string, string] => [name, v]),
        { nil: undefined },
      );
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: latin1, maxLength: 300 }),
        header('Last-Event-ID', headerValue),
        header(
          'Authorization',
          fc.oneof(
            headerValue,
            fc.constant(`Bearer ${valid}`),
            headerValue.map((v) => `Bearer ${v}`),
          ),
        ),
        header(
          'Cookie',
          fc.oneof(
            headerValue,
            headerValue.map((v) => `tickstream_token=${v}`),
          ),
        ),
        async (query, ...headers) => {
          const answer = await send({
            target: `/api/stream?${query}`,
            headers: headers.filter((entry): entry is [string, string] => entry !== undefined),
          });
          expect(answer.status).toBeLessThan(500);
          if (answer.status === 200) {
            await expectStream(answer);
          } else {
            expect(answer.status).toBeGreaterThanOrEqual(400);
            expect(server.bus.subscriberCount).toBe(0);
          }
        },
      ),
      { numRuns: 200 },
    );
    const after = await send(
      build({ symbols: ['AAPL'], lowerCase: false, channel: 'header' }, valid),
    );
    await expectStream(after);
  });

  it('refuses a Last-Event-ID header that is not an event id with 400 naming it, however long', async () => {
    const valid = await token({ sub: 'fuzz' });
    const refuse = async (request: ValidRequest, id: string) => {
      const built = build({ ...request, lastEventIdHeader: undefined }, valid);
      const answer = await send({ ...built, headers: [...built.headers, ['Last-Event-ID', id]] });
      expectNoStream(answer, 400);
      const body = JSON.parse(answer.body) as { field: string; value: string };
      expect(body.field).toBe('Last-Event-ID');
      expect(body.value.length).toBeLessThan(1_000);
    };
    const notAnId = printable({ minLength: 1, maxLength: 300 }).filter(
      (id) => id.trim() !== '' && !isEventId(id.trim()),
    );
    await fc.assert(fc.asyncProperty(validRequest, notAnId, refuse), { numRuns: 60 });
    await refuse({ symbols: ['AAPL'], lowerCase: false, channel: 'header' }, '1'.repeat(10_000));
  });

  it('never writes a line a client sent into a stream, whatever the resume id or query field carries', async () => {
    const valid = await token({ sub: 'fuzz' });
    const smuggled = fc.oneof(injection(), injection().map(encodeURIComponent));
    const field = fc.constantFrom(
      'symbols',
      'throttle',
      'snapshot',
      'lastEventId',
      'Last-Event-ID',
    );
    await fc.assert(
      fc.asyncProperty(validRequest, field, smuggled, async (request, name, value) => {
        const built = build(
          { ...request, lastEventIdHeader: undefined },
          valid,
          (query) => name !== 'Last-Event-ID' && query.set(name, value),
        );
        // A raw CR or LF ends a header line early, and the rest becomes lines of their own.
        const headers: [string, string][] =
          name === 'Last-Event-ID' ? [...built.headers, [name, value]] : built.headers;
        const answer = await rawGet(port, built.target, headers, { readStreamMs: 150 });
        if (answer.status === 200) {
          expect(answer.body).not.toContain(FORGED);
          await expectStream(answer);
        } else {
          // A 4xx names the value in JSON, where a line break is only ever an escape.
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
          expect(server.bus.subscriberCount).toBe(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('answers a forged tick in the resume id with 400, and the stream of a clean id has none', async () => {
    const valid = await token({ sub: 'fuzz' });
    const forged = 'event: tick\ndata: {"symbol":"AAPL","price":0.01}';
    for (const brk of ['\n', '\r', '\r\n', '\0']) {
      const query = new URLSearchParams({ symbols: 'AAPL', lastEventId: `1-0${brk}${forged}` });
      const answer = await send({
        target: `/api/stream?${query.toString()}`,
        headers: [['Authorization', `Bearer ${valid}`]],
      });
      expectNoStream(answer, 400);
      expect(JSON.parse(answer.body)).toMatchObject({ field: 'lastEventId' });
    }
    const clean = await rawGet(
      port,
      '/api/stream?symbols=AAPL&lastEventId=1-0',
      [['Authorization', `Bearer ${valid}`]],
      { readStreamMs: 300 },
    );
    expect(clean.status).toBe(200);
    expect(clean.body).toContain('event: reset\nid: 1-0\n');
    expect(clean.body).not.toContain('"price":0.01');
    await expectStream(clean);
  });

  it('takes every id of 16 digits a part as a resume point, above 2^53 too, and resets it', async () => {
    const valid = await token({ sub: 'fuzz' });
    for (const id of ['9999999999999999-9999999999999999', '1-9007199254740993']) {
      const answer = await rawGet(
        port,
        `/api/stream?symbols=AAPL&lastEventId=${id}`,
        [['Authorization', `Bearer ${valid}`]],
        { readStreamMs: 300 },
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toContain(`event: reset\nid: ${id}\n`);
      await expectStream(answer);
    }
  });
});
