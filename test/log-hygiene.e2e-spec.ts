import { captureOutput } from './support/captured-output.js';
import { ask } from './support/http.js';
import { startServer } from './support/test-server.js';
import { bearer, JWT_SERVER, token } from './support/tokens.js';

describe('logs', () => {
  it('never show a token, whether it is accepted, refused, or in a URL', async () => {
    const captured = captureOutput();
    const valid = await token({ sub: 'alice', symbols: ['AAPL'] });
    const other = await token({ sub: 'bob', symbols: ['AAPL'] });
    const expired = await token({ expires: Math.floor(Date.now() / 1000) - 5 });
    const server = await startServer({ ...JWT_SERVER, MAX_CONNECTIONS_PER_CLIENT: '1' }, [
      'log',
      'warn',
      'error',
      'fatal',
      'debug',
      'verbose',
    ]);
    try {
      const stream = (query: string) => `${server.url}/api/stream?${query}`;
      const client = server.connect(`symbols=AAPL&access_token=${valid}`);
      await client.waitFor((c) => c.ticks().length > 0);
      const outcomes = [
        await ask(stream(`symbols=AAPL&access_token=${valid}`)),
        await ask(stream(`symbols=TSLA&access_token=${other}`)),
        await ask(stream(`symbols=AAPL&access_token=${expired}`)),
        await ask(stream('symbols=AAPL&throttle=x'), bearer(other)),
        await ask(stream('symbols=AAPL'), { Cookie: `tickstream_token=${expired}x` }),
      ];
      expect(outcomes.map((answer) => answer.status)).toEqual([429, 403, 401, 400, 401]);
    } finally {
      await server.close();
      captured.restore();
    }
    const output = captured.text();
    // The capture saw the server's own logs...
    expect(output).toContain('Mapped {/api/stream, GET} route');
    // ...and none of the tokens, nor any part of their signatures.
    for (const secret of [valid, other, expired]) {
      expect(output).not.toContain(secret.split('.')[2]);
    }
  });
});
