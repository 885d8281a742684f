import fc from 'fast-check';
import type { StatusData } from '@tickstream/client/contract';
import { eventually, sleep } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

// A status reason is client-given text that every stream of its symbol is sent: no character in
// it may break a line of a frame, or of a log or a terminal that shows it, nor reorder the text
// around it (Trojan Source, CVE-2021-42574).

const INGEST_TOKEN = 'the-ingest-token-of-the-reason-tests';

/** Line and paragraph breaks beyond CR and LF, and the bidi embeddings, overrides and isolates. */
const LINE_AND_BIDI = [
  '\u0085',
  '\u2028',
  '\u2029',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];
/** C0, DEL and C1. */
const CONTROLS = [
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)),
  ...Array.from({ length: 0x21 }, (_, code) => String.fromCharCode(0x7f + code)),
];

describe('POST /api/status reasons', () => {
  let server: TestServer;
  const post = (reason: string) =>
    fetch(`${server.url}/api/status`, {
      method: 'POST',
      body: JSON.stringify({ symbol: 'AAPL', state: 'open', reason }),
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${INGEST_TOKEN}` },
    });

  beforeAll(async () => {
    server = await startServer({ INGEST_TOKEN, FEED: 'none', STATUS_RATE_LIMIT: '100000' });
  });

  afterAll(() => server.close());

  it('refuses line breaks, bidi controls and C0/C1 controls with 400 naming the reason, and streams none', async () => {
    const client = server.connect('symbols=AAPL&snapshot=false');
    await eventually(() => server.bus.subscriberCount > 0, 2_000, 'the stream to open');
    for (const control of [...LINE_AND_BIDI, ...CONTROLS]) {
      const reason = `news ${control}pending`;
      const response = await post(reason);
      const label = `U+${control.charCodeAt(0).toString(16).padStart(4, '0')}`;
      expect([label, response.status]).toEqual([label, 400]);
      expect(await response.json()).toMatchObject({
        statusCode: 400,
        field: 'reason',
        value: reason,
      });
    }
    await sleep(200);
    expect(client.of('status')).toEqual([]);
  });

  it('takes any other text, in any script, and relays it as sent', async () => {
    const unsafe = new Set([...LINE_AND_BIDI, ...CONTROLS, '\u061c', '\u200e', '\u200f']);
    const text = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
      .filter((value) => value.length <= 200 && ![...value].some((char) => unsafe.has(char)));
    const client = server.connect('symbols=AAPL&snapshot=false');
    await eventually(() => server.bus.subscriberCount > 0, 2_000, 'the stream to open');
    const sent: string[] = [
      'Kurs ausgesetzt: Nachrichten €',
      '取引停止 — ニュース待ち',
      'שער מושהה',
    ];
    for (const reason of sent) {
      expect((await post(reason)).status).toBe(202);
    }
    await fc.assert(
      fc.asyncProperty(text, async (reason) => {
        const response = await post(reason);
        expect(response.status).toBe(202);
        sent.push(reason);
      }),
      { numRuns: 50 },
    );
    await client.waitFor((c) => c.of('status').length === sent.length);
    const relayed = client.of('status').map(({ data }) => (JSON.parse(data) as StatusData).reason);
    expect(relayed).toEqual(sent);
  });
});
