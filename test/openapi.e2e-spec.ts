import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { CandlesQueryDto } from '../src/market-data/candles-query.dto.js';
import { StreamQueryDto } from '../src/stream/stream-query.dto.js';
import { openRawStream } from './support/raw-stream.js';
import { startServer, type TestServer } from './support/test-server.js';

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** What the document says about an operation, with the parts these tests read. */
interface Operation {
  parameters: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema: SchemaObject }> }>;
}

describe('the API document', () => {
  let server: TestServer;
  let document: OpenAPIObject;

  beforeAll(async () => {
    server = await startServer();
    const response = await fetch(`${server.url}/docs-json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenAPIObject;
  });

  afterAll(async () => {
    await server.close();
  });

  const operation = (path: string): Operation => document.paths[path].get as Operation;
  const schema = (name: string) => (document.components?.schemas?.[name] ?? {}) as SchemaObject;
  const properties = (name: string) => Object.keys(schema(name).properties ?? {}).sort();
  const keys = (value: object) => Object.keys(value).sort();
  const validatedFields = (dto: new () => object) =>
    [
      ...new Set(
        getMetadataStorage()
          .getTargetValidationMetadatas(dto, '', false, false)
          .map((metadata) => metadata.propertyName),
      ),
    ].sort();

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

  it('documents exactly the query parameters each endpoint validates, and the resume header', () => {
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
  });

  it('documents the error bodies as the server sends them', async () => {
    const errorSchema = (path: string, status: string) =>
      operation(path).responses[status].content?.['application/json'].schema;
    const fieldError = { $ref: '#/components/schemas/FieldErrorDto' };
    expect(errorSchema('/api/stream', '400')).toEqual(fieldError);
    expect(errorSchema('/api/symbols/{symbol}/candles', '400')).toEqual(fieldError);
    expect(errorSchema('/api/symbols/{symbol}/candles', '404')).toEqual(fieldError);
    expect(errorSchema('/api/symbols/{symbol}', '404')).toEqual(fieldError);

    const badRequest = (await (
      await fetch(`${server.url}/api/stream?symbols=NOPE`)
    ).json()) as object;
    const notFound = (await (await fetch(`${server.url}/api/symbols/NOPE`)).json()) as object;
    expect(keys(badRequest)).toEqual(properties('FieldErrorDto'));
    expect(keys(notFound)).toEqual(properties('FieldErrorDto'));
    expect(schema('FieldErrorDto').required?.sort()).toEqual(properties('FieldErrorDto'));
  });

  it('documents the JSON bodies as the server sends them', async () => {
    const info = (await (await fetch(`${server.url}/api/symbols/AAPL`)).json()) as {
      quote: object;
    };
    expect(keys(info)).toEqual(properties('SymbolInfo'));
    expect(keys(info.quote)).toEqual(properties('QuoteDto'));
    const [candle] = (await (
      await fetch(`${server.url}/api/symbols/AAPL/candles?interval=1s`)
    ).json()) as object[];
    expect(keys(candle)).toEqual(properties('CandleDto'));
  });

  it('documents every frame of the stream as the server sends it', async () => {
    const frames = ['SnapshotFrame', 'TickFrame', 'ResetFrame', 'OpeningFrame'];
    const stream = operation('/api/stream').responses['200'].content?.['text/event-stream'];
    expect(stream?.schema.oneOf).toEqual(
      frames.map((name) => ({ $ref: `#/components/schemas/${name}` })),
    );
    const frameFor = (fields: Map<string, string>) =>
      frames.find((name) => {
        const event = schema(name).properties?.event as SchemaObject | undefined;
        return event ? event.enum?.includes(fields.get('event')) : !fields.has('event');
      }) ?? 'no documented frame';

    // An unknown resume point gets reset, snapshot, ticks; a known one an id-only opening.
    const reset = await receive({ 'Last-Event-ID': '1-0' }, /event: tick\n(.+\n)+\n/);
    const head = reset.find((fields) => fields.get('event') === 'snapshot')?.get('id') ?? '';
    const resumed = await receive({ 'Last-Event-ID': head }, /retry: \d+\n\n/);
    const received = [...reset, ...resumed];
    expect(new Set(received.map(frameFor))).toEqual(new Set(frames));
    for (const fields of received) {
      const documented = schema(frameFor(fields));
      const sent = [...fields.keys()];
      expect(sent).toEqual(expect.arrayContaining(documented.required ?? []));
      expect(Object.keys(documented.properties ?? {})).toEqual(expect.arrayContaining(sent));
    }
    const data = (event: string) =>
      JSON.parse(
        reset.find((fields) => fields.get('event') === event)?.get('data') ?? '{}',
      ) as object;
    expect(keys(data('reset'))).toEqual(properties('ResetData'));
    expect(keys(data('snapshot'))).toEqual(properties('SnapshotData'));
    expect(keys(data('tick'))).toEqual(properties('QuoteDto'));
  });

  /** The frames (not comments) of a stream of AAPL, up to `until`, as field maps. */
  async function receive(headers: Record<string, string>, until: RegExp) {
    const raw = await openRawStream(`${server.url}/api/stream?symbols=AAPL`, headers);
    try {
      await raw.waitForText(until);
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
