import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { Ajv, type ValidateFunction } from 'ajv';
import { getMetadataStorage } from 'class-validator';
import { CandlesQueryDto } from '../src/market-data/candles-query.dto.js';
import { IngestTickDto } from '../src/market-data/ingest/ingest-tick.dto.js';
import { StreamQueryDto } from '../src/stream/stream-query.dto.js';
import { openRawStream, type RawStream } from './support/raw-stream.js';
import { sleep } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';
import { bearer, JWT_SERVER, token } from './support/tokens.js';

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

interface DocumentedResponse {
  content?: Record<string, { schema: SchemaObject }>;
  headers?: Record<string, object>;
}

/** What the document says about an operation, with the parts these tests read. */
interface Operation {
  parameters: { name: string; in: string; required?: boolean }[];
  responses: Record<string, DocumentedResponse>;
  security?: Record<string, string[]>[];
}

const INGEST_TOKEN = 'the-ingest-token-of-the-api-document-test';
const SESSION = JSON.stringify({ previousClose: 61.2 });
const BARS = JSON.stringify([
  { time: 1795608120, open: 61.5, high: 62, low: 61, close: 61.8, volume: 1200 },
]);
const INGEST_MAX_BYTES = 1024;

/**
 * A schema of the document as JSON Schema, made strict for these tests: an object may have no
 * property the document does not name, so that a field the server adds must be documented too.
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    return schema.map(strict);
  }
  if (typeof schema !== 'object' || schema === null) {
    return schema;
  }
  const { nullable, ...rest } = schema as Record<string, unknown>;
  const converted = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [
      key,
      key === '$ref'
        ? String(value).replace('#/components/schemas/', 'api#/$defs/')
        : strict(value),
    ]),
  );
  if (converted.type === 'object' && converted.properties && !('additionalProperties' in rest)) {
    converted.additionalProperties = false;
  }
  // OpenAPI 3.0's `nullable`, in JSON Schema's words.
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

describe('the API document', () => {
  let server: TestServer;
  let document: OpenAPIObject;
  let ajv: Ajv;

  beforeAll(async () => {
    server = await startServer({ INGEST_TOKEN, INGEST_MAX_BYTES: String(INGEST_MAX_BYTES) });
    const response = await fetch(`${server.url}/docs-json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenAPIObject;
    ajv = new Ajv({ allErrors: true });
    ajv.addVocabulary(['example']);
    ajv.addSchema({ $id: 'api', $defs: strict(document.components?.schemas) });
  });

  afterAll(async () => {
    await server.close();
  });

  const operation = (path: string, method = 'get'): Operation =>
    (document.paths[path] as Record<string, Operation>)[method];
  const schema = (name: string) => (document.components?.schemas?.[name] ?? {}) as SchemaObject;
  const properties = (name: string) => Object.keys(schema(name).properties ?? {}).sort();
  const validatedFields = (dto: new () => object) =>
    [
      ...new Set(
        getMetadataStorage()
          .getTargetValidationMetadatas(dto, '', false, false)
          .map((metadata) => metadata.propertyName),
      ),
    ].sort();
  /** A validator of `documented`, a schema of the document or a reference to one. */
  const validator = (documented: SchemaObject | ReferenceObject): ValidateFunction =>
    ajv.compile(strict(documented) as object);
  const expectValid = (validate: ValidateFunction, value: unknown, what: string) => {
    const valid = validate(value);
    expect({ what, value, errors: valid ? [] : validate.errors }).toEqual({
      what,
      value,
      errors: [],
    });
  };

  it('is browsable at /docs', async () => {
    const page = await fetch(`${server.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('swagger-ui');
  });

  it('documents every route the server serves, and no other', () => {
    const stack = (
      server.app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } }
    ).router.stack;
    // A route with its own middleware has a layer for each.
    const served = [
      ...new Set(
        stack.flatMap(({ route }) =>
          route && !route.path.startsWith('/docs')
            ? Object.keys(route.methods).map(
                (method) => `${method} ${route.path.replace(/:(\w+)/g, '{$1}')}`,
              )
            : [],
        ),
      ),
    ].sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`))
      .sort();
    expect(documented).toEqual(served);
    expect(served).toContain('get /api/stream');
  });

  it('documents exactly the query parameters each endpoint validates, the resume header, and the ticks a batch holds', () => {
    const query = (path: string) =>
      operation(path)
        .parameters.filter((parameter) => parameter.in === 'query')
        .map((parameter) => parameter.name)
        .sort();
    expect(query('/api/stream')).toEqual(validatedFields(StreamQueryDto));
    expect(query('/api/symbols/{symbol}/candles')).toEqual(validatedFields(CandlesQueryDto));
    const stream = operation('/api/stream').parameters;
    expect(stream.find((parameter) => parameter.name === 'symbols')?.required).toBe(true);
    expect(stream.filter((parameter) => parameter.in === 'header')).toMatchObject([
      { name: 'Last-Event-ID', required: false },
    ]);
    expect(properties('IngestTick')).toEqual(validatedFields(IngestTickDto));
  });

  it('documents how a token is sent: a bearer header, the access_token parameter or the cookie, or none without STREAM_AUTH=jwt', () => {
    const schemes = document.components?.securitySchemes ?? {};
    expect(schemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      access_token: { type: 'apiKey', in: 'query', name: 'access_token' },
      cookie: { type: 'apiKey', in: 'cookie', name: 'tickstream_token' },
      ingest: { type: 'http', scheme: 'bearer' },
    });
    expect(schemes.ingest).not.toHaveProperty('bearerFormat');
    const anyToken = [{ bearer: [] }, { access_token: [] }, { cookie: [] }, {}];
    for (const path of ['/api/stream', '/api/symbols', '/api/symbols/{symbol}']) {
      expect(operation(path).security).toEqual(anyToken);
    }
    expect(operation('/api/symbols/{symbol}/candles').security).toEqual(anyToken);
    expect(operation('/api/ticks', 'post').security).toEqual([{ ingest: [] }]);
  });

  describe('answers as documented', () => {
    /** STREAM_AUTH=jwt, ingestion off, one stream per token subject. */
    let guarded: TestServer;
    /** One REST request per address and minute, used up before the tests. */
    let limited: TestServer;
    /** One ingestion and one status request per token and minute, used up before the tests. */
    let ingestLimited: TestServer;
    const held: RawStream[] = [];

    beforeAll(async () => {
      guarded = await startServer({ ...JWT_SERVER, MAX_CONNECTIONS_PER_CLIENT: '1' });
      limited = await startServer({ REST_RATE_LIMIT: '1' });
      expect((await fetch(`${limited.url}/api/symbols`)).status).toBe(200);
      ingestLimited = await startServer({
        INGEST_TOKEN,
        INGEST_RATE_LIMIT: '1',
        STATUS_RATE_LIMIT: '1',
      });
      expect(
        (await ingest('application/json', `[${tick}]`, '/api/ticks', ingestLimited)).status,
      ).toBe(202);
      expect(
        (
          await ingest(
            'application/json',
            '{"symbol":"KO","state":"open"}',
            '/api/status',
            ingestLimited,
          )
        ).status,
      ).toBe(202);
      expect(
        (await ingest('application/json', SESSION, '/api/symbols/KO/session', ingestLimited))
          .status,
      ).toBe(202);
      expect(
        (await ingest('application/json', BARS, '/api/symbols/KO/candles', ingestLimited)).status,
      ).toBe(202);
    });

    afterEach(() => held.splice(0).forEach((stream) => stream.close()));

    afterAll(async () => {
      await guarded.close();
      await limited.close();
      await ingestLimited.close();
    });

    const get = async (base: TestServer, path: string, headers: Record<string, string> = {}) =>
      fetch(`${base.url}${path}`, { headers });
    const withToken = async (sub: string, symbols: string[]) =>
      bearer(await token({ sub, symbols }));
    const post = (
      body: string,
      headers: Record<string, string>,
      path = '/api/ticks',
      to: TestServer = server,
    ) => fetch(`${to.url}${path}`, { method: 'POST', body, headers });
    const ingest = (type: string, body: string, path?: string, to?: TestServer) =>
      post(body, { 'Content-Type': type, Authorization: `Bearer ${INGEST_TOKEN}` }, path, to);
    const status = (body: string, type = 'application/json') => ingest(type, body, '/api/status');
    const tick = JSON.stringify({ symbol: 'AAPL', price: 228.5 });
    const session = (body: string, type = 'application/json', symbol = 'KO') =>
      ingest(type, body, `/api/symbols/${symbol}/session`);
    const candles = (body: string, type = 'application/json', symbol = 'KO') =>
      ingest(type, body, `/api/symbols/${symbol}/candles?interval=1m`);

    /** A real request for every answer the document gives, but the stream itself (see below). */
    const cases: [string, number, () => Promise<Response>][] = [
      ['get /api/stream', 400, () => get(server, '/api/stream?symbols=AAPL,NOPE')],
      ['get /api/stream', 401, () => get(guarded, '/api/stream?symbols=AAPL')],
      [
        'get /api/stream',
        403,
        async () => get(guarded, '/api/stream?symbols=AAPL,TSLA', await withToken('a', ['AAPL'])),
      ],
      [
        'get /api/stream',
        429,
        async () => {
          const headers = await withToken('b', ['AAPL']);
          const first = await openRawStream(`${guarded.url}/api/stream?symbols=AAPL`, headers);
          held.push(first);
          expect(first.status).toBe(200);
          return get(guarded, '/api/stream?symbols=AAPL', headers);
        },
      ],
      [
        'post /api/session',
        200,
        async () =>
          fetch(`${guarded.url}/api/session`, {
            method: 'POST',
            headers: await withToken('e', ['AAPL']),
          }),
      ],
      [
        'post /api/session',
        401,
        () =>
          fetch(`${guarded.url}/api/session`, { method: 'POST', headers: bearer('not.a.token') }),
      ],
      ['delete /api/session', 200, () => fetch(`${server.url}/api/session`, { method: 'DELETE' })],
      ['get /api/symbols', 200, () => get(server, '/api/symbols')],
      ['get /api/symbols', 401, () => get(guarded, '/api/symbols', bearer('not.a.token'))],
      ['get /api/symbols', 429, () => get(limited, '/api/symbols')],
      ['get /api/symbols/{symbol}', 200, () => get(server, '/api/symbols/AAPL')],
      ['get /api/symbols/{symbol}', 401, () => get(guarded, '/api/symbols/AAPL')],
      [
        'get /api/symbols/{symbol}',
        403,
        async () => get(guarded, '/api/symbols/TSLA', await withToken('c', ['AAPL'])),
      ],
      ['get /api/symbols/{symbol}', 404, () => get(server, '/api/symbols/NOPE')],
      ['get /api/symbols/{symbol}', 429, () => get(limited, '/api/symbols/AAPL')],
      [
        'get /api/symbols/{symbol}/candles',
        200,
        () => get(server, '/api/symbols/AAPL/candles?interval=1s'),
      ],
      [
        'get /api/symbols/{symbol}/candles',
        400,
        () => get(server, '/api/symbols/AAPL/candles?interval=2h'),
      ],
      [
        'get /api/symbols/{symbol}/candles',
        200,
        () => get(server, '/api/symbols/AAPL/candles?interval=1m&from=0&limit=2'),
      ],
      [
        'get /api/symbols/{symbol}/candles',
        400,
        () => get(server, '/api/symbols/AAPL/candles?from=2026-12-08&to=2026-12-07'),
      ],
      [
        'get /api/symbols/{symbol}/candles',
        401,
        () => get(guarded, '/api/symbols/AAPL/candles', { Cookie: 'tickstream_token=expired' }),
      ],
      [
        'get /api/symbols/{symbol}/candles',
        403,
        async () => get(guarded, '/api/symbols/TSLA/candles', await withToken('d', ['AAPL'])),
      ],
      ['get /api/symbols/{symbol}/candles', 404, () => get(server, '/api/symbols/NOPE/candles')],
      ['get /api/symbols/{symbol}/candles', 429, () => get(limited, '/api/symbols/AAPL/candles')],
      ['post /api/ticks', 202, () => ingest('application/x-ndjson', `${tick}\n${tick}\n`)],
      [
        'post /api/ticks',
        400,
        // A value that is not a string: the bid, a number.
        () => ingest('application/json', '[{"symbol":"AAPL","price":1,"bid":2,"ask":1.5}]'),
      ],
      ['post /api/ticks', 401, () => post(`[${tick}]`, { 'Content-Type': 'application/json' })],
      [
        'post /api/ticks',
        413,
        () => ingest('application/json', `[${Array(100).fill(tick).join(',')}]`),
      ],
      [
        'post /api/ticks',
        409,
        async () => {
          await server.bus.publishStatus({ symbol: 'NFLX', state: 'halted', reason: null, ts: 1 });
          return ingest('application/json', '[{"symbol":"NFLX","price":700}]');
        },
      ],
      ['post /api/ticks', 415, () => ingest('text/plain', 'AAPL 228.5')],
      [
        'post /api/ticks',
        429,
        () => ingest('application/json', `[${tick}]`, '/api/ticks', ingestLimited),
      ],
      [
        'post /api/ticks',
        503,
        () =>
          fetch(`${guarded.url}/api/ticks`, {
            method: 'POST',
            body: `[${tick}]`,
            headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
          }),
      ],
      ['post /api/status', 202, () => status('{"symbol":"ko","state":"open","reason":"a test"}')],
      ['post /api/status', 400, () => status('{"symbol":"KO","state":"asleep"}')],
      [
        'post /api/status',
        401,
        () =>
          post(
            '{"symbol":"KO","state":"open"}',
            { 'Content-Type': 'application/json' },
            '/api/status',
          ),
      ],
      [
        'post /api/status',
        413,
        () => status(JSON.stringify({ symbol: 'KO', state: 'open', reason: 'x'.repeat(5_000) })),
      ],
      ['post /api/status', 415, () => status('KO open', 'text/plain')],
      [
        'post /api/status',
        429,
        () =>
          ingest(
            'application/json',
            '{"symbol":"KO","state":"open"}',
            '/api/status',
            ingestLimited,
          ),
      ],
      [
        'post /api/status',
        503,
        () =>
          fetch(`${guarded.url}/api/status`, {
            method: 'POST',
            body: '{"symbol":"KO","state":"open"}',
            headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
          }),
      ],
      [
        'post /api/symbols/{symbol}/session',
        202,
        () => session('{"previousClose":61.2,"open":61.5,"high":62,"low":61,"volume":1200}'),
      ],
      ['post /api/symbols/{symbol}/session', 400, () => session('{"previousClose":"61.2"}')],
      [
        'post /api/symbols/{symbol}/session',
        401,
        () => post(SESSION, { 'Content-Type': 'application/json' }, '/api/symbols/KO/session'),
      ],
      ['post /api/symbols/{symbol}/session', 404, () => session(SESSION, undefined, 'NOPE')],
      [
        'post /api/symbols/{symbol}/session',
        413,
        () => session(JSON.stringify({ previousClose: 1, note: 'x'.repeat(5_000) })),
      ],
      ['post /api/symbols/{symbol}/session', 415, () => session('61.2', 'text/plain')],
      [
        'post /api/symbols/{symbol}/session',
        429,
        () => ingest('application/json', SESSION, '/api/symbols/KO/session', ingestLimited),
      ],
      [
        'post /api/symbols/{symbol}/session',
        503,
        () =>
          fetch(`${guarded.url}/api/symbols/KO/session`, {
            method: 'POST',
            body: SESSION,
            headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
          }),
      ],
      ['post /api/symbols/{symbol}/candles', 202, () => candles(BARS)],
      ['post /api/symbols/{symbol}/candles', 400, () => candles('[{"time":1}]')],
      [
        'post /api/symbols/{symbol}/candles',
        401,
        () => post(BARS, { 'Content-Type': 'application/json' }, '/api/symbols/KO/candles'),
      ],
      ['post /api/symbols/{symbol}/candles', 404, () => candles(BARS, 'application/json', 'NOPE')],
      [
        'post /api/symbols/{symbol}/candles',
        413,
        () =>
          candles(JSON.stringify(Array.from({ length: 30 }, () => JSON.parse(BARS) as unknown))),
      ],
      ['post /api/symbols/{symbol}/candles', 415, () => candles(BARS, 'text/plain')],
      [
        'post /api/symbols/{symbol}/candles',
        429,
        () => ingest('application/json', BARS, '/api/symbols/KO/candles', ingestLimited),
      ],
      [
        'post /api/symbols/{symbol}/candles',
        503,
        () =>
          fetch(`${guarded.url}/api/symbols/KO/candles`, {
            method: 'POST',
            body: BARS,
            headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
          }),
      ],
    ];

    it('for every status of every API operation, and the stream, which the frames test reads', () => {
      const documented = Object.entries(document.paths)
        .filter(([path]) => path.startsWith('/api/'))
        .flatMap(([path, item]) =>
          Object.entries(item as Record<string, Operation>).flatMap(([method, { responses }]) =>
            Object.keys(responses).map((status) => `${method} ${path} ${status}`),
          ),
        )
        .sort();
      // An answer of two shapes (candles: the newest, or a page) is asked for once each.
      const requested = new Set(cases.map(([operation, status]) => `${operation} ${status}`));
      expect(documented).toEqual([...requested, 'get /api/stream 200'].sort());
    });

    it.each(cases)('%s %d', async (name, status, request) => {
      const [method, path] = name.split(' ');
      const documented = operation(path, method).responses[String(status)];
      const response = await request();
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const content = documented.content?.['application/json'];
      expect(content).toBeDefined();
      expectValid(validator(content?.schema ?? {}), (await response.json()) as unknown, name);
      for (const header of Object.keys(documented.headers ?? {})) {
        expect([header, response.headers.has(header)]).toEqual([header, true]);
      }
    });
  });

  it('documents every frame of the stream as the server sends it', async () => {
    const frames = [
      'SnapshotFrame',
      'TickFrame',
      'BarFrame',
      'StatusFrame',
      'ResetFrame',
      'OpeningFrame',
      'ErrorFrame',
    ];
    const stream = operation('/api/stream').responses['200'].content?.['text/event-stream'];
    expect(stream?.schema.oneOf).toEqual(
      frames.map((name) => ({ $ref: `#/components/schemas/${name}` })),
    );
    const frameFor = (fields: Map<string, string>) =>
      frames.find((name) => {
        const event = schema(name).properties?.event as SchemaObject | undefined;
        return event ? event.enum?.includes(fields.get('event')) : !fields.has('event');
      }) ?? 'no documented frame';

    // An unknown resume point gets reset, snapshot, ticks and bars; a known one an id-only
    // opening; a halt a status frame; an expiring token a last `error` frame.
    const reset = await receive(
      server,
      { 'Last-Event-ID': '1-0' },
      /event: bar\n(.+\n)+\n(.|\n)*event: tick\n(.+\n)+\n/,
      undefined,
      'symbols=AAPL&bars=1s',
    );
    const halted = receive(
      server,
      {},
      /event: status\n(.+\n)+\n/,
      5_000,
      'symbols=AAPL&snapshot=false',
    );
    await sleep(300);
    for (const state of ['halted', 'open'] as const) {
      await server.bus.publishStatus({ symbol: 'AAPL', state, reason: 'a test', ts: Date.now() });
    }
    const head = reset.find((fields) => fields.get('event') === 'snapshot')?.get('id') ?? '';
    const resumed = await receive(server, { 'Last-Event-ID': head }, /retry: \d+\n\n/);
    const guarded = await startServer(JWT_SERVER);
    let expired: Map<string, string>[];
    try {
      // A whole second at least, so that the stream opens before the token expires.
      const expiring = await token({ expires: Math.floor(Date.now() / 1000) + 2 });
      expired = await receive(guarded, bearer(expiring), /event: error\n(.+\n)+\n/, 5_000);
    } finally {
      await guarded.close();
    }
    const received = [...reset, ...(await halted), ...resumed, ...expired];
    expect(new Set(received.map(frameFor))).toEqual(new Set(frames));
    for (const fields of received) {
      const name = frameFor(fields);
      const data = fields.get('data');
      const retry = fields.get('retry');
      const frame = {
        ...Object.fromEntries(fields),
        ...(retry === undefined ? {} : { retry: Number(retry) }),
        ...(data === undefined ? {} : { data: JSON.parse(data) as unknown }),
      };
      expectValid(validator({ $ref: `#/components/schemas/${name}` }), frame, name);
    }
  });

  /** The frames (not comments) of a stream (of AAPL), up to `until`, as field maps. */
  async function receive(
    from: TestServer,
    headers: Record<string, string>,
    until: RegExp,
    timeoutMs?: number,
    query = 'symbols=AAPL',
  ) {
    const raw = await openRawStream(`${from.url}/api/stream?${query}`, headers);
    try {
      await raw.waitForText(until, timeoutMs);
    } finally {
      raw.close();
    }
    return raw
      .text()
      .split('\n\n')
      .slice(0, -1) // what follows the last blank line is not a whole frame
      .filter((block) => !block.startsWith(':'))
      .map(
        (block) =>
          new Map(
            block.split('\n').flatMap((line) => {
              const colon = line.indexOf(': ');
              return colon < 0 ? [] : [[line.slice(0, colon), line.slice(colon + 2)] as const];
            }),
          ),
      );
  }
});
