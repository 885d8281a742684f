import type { StatusData } from '@tickstream/client/contract';
import { sleep, type SseClient } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';
import { setStatus, STATUS_TOKEN } from './support/trading-status.js';

// A real feed's halt stands over the simulated market's clocks: a symbol it halted stays halted
// until it reopens it, though the simulated limit-up/limit-down pause ends meanwhile.

const statuses = (client: SseClient): StatusData[] =>
  client.of('status').map(({ data }) => JSON.parse(data) as StatusData);

describe("a real feed's status", () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
  });

  it('is not reopened by the simulated limit-up/limit-down clock', async () => {
    const halt = 500;
    server = await startServer({
      INGEST_TOKEN: STATUS_TOKEN,
      LULD_BAND_PCT: '0.1',
      LULD_WINDOW_MS: '60000',
      LULD_HALT_MS: String(halt),
    });
    const client = server.connect('symbols=NVDA,TSLA,AMD');
    await client.waitFor((c) => statuses(c).some(({ state }) => state === 'halted'), 15_000);
    const symbol = statuses(client).find(({ state }) => state === 'halted')?.symbol ?? '';
    await setStatus(server.url, symbol, 'halted', 'news pending');
    await sleep(3 * halt);
    const own = statuses(client).filter((status) => status.symbol === symbol);
    expect(own.at(-1)).toMatchObject({ state: 'halted', reason: 'news pending' });
    const before = client.ticks().length;
    await setStatus(server.url, symbol, 'open', 'news out');
    await client.waitFor(
      (c) =>
        c
          .ticks()
          .slice(before)
          .some((tick) => tick.symbol === symbol),
      10_000,
    );
  });
});
