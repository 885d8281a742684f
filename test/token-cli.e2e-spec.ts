import { spawn } from 'node:child_process';
import { ask } from './support/http.js';
import { startServer } from './support/test-server.js';
import { bearer, JWT_SERVER, SECRET } from './support/tokens.js';

/** `npm run token -- <args>` as built by `npm run build` (npm test builds first). */
function runTokenCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['dist/token-cli.js', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run token', () => {
  it('mints a token the server accepts, for the given subject, symbols and lifetime', async () => {
    const minted = await runTokenCli(['--sub', 'alice', '--symbols', 'aapl,MSFT', '--ttl', '1h'], {
      JWT_SECRET: SECRET,
    });
    expect(minted).toMatchObject({ code: 0, stderr: '' });
    const token = minted.stdout.trim();
    const [, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({ sub: 'alice', symbols: ['AAPL', 'MSFT'] });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);

    const server = await startServer(JWT_SERVER);
    try {
      expect((await ask(`${server.url}/api/stream?symbols=AAPL,MSFT`, bearer(token))).status).toBe(
        200,
      );
      expect((await ask(`${server.url}/api/stream?symbols=TSLA`, bearer(token))).status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it('says clearly what is missing or wrong, with exit code 1', async () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['--sub', 'alice', '--symbols', '*'], {}, 'JWT_SECRET is not set'],
      [['--sub', 'alice', '--symbols', '*'], { JWT_SECRET: 'short' }, 'at least 32 characters'],
      [['--symbols', '*'], { JWT_SECRET: SECRET }, '--sub is required'],
      [['--sub', 'alice'], { JWT_SECRET: SECRET }, '--symbols must be'],
      [['--sub', 'alice', '--symbols', 'AAPL,*'], { JWT_SECRET: SECRET }, '--symbols must be'],
      [['--sub', 'a', '--symbols', '*', '--ttl', 'soon'], { JWT_SECRET: SECRET }, '--ttl "soon"'],
      [
        ['--sub', 'a', '--symbols', '*', '--bogus'],
        { JWT_SECRET: SECRET },
        "Unknown option '--bogus'",
      ],
    ];
    for (const [args, env, message] of cases) {
      const { code, stdout, stderr } = await runTokenCli(args, env);
      expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
      expect(stderr).toContain(message);
      expect(stderr).toContain('usage: npm run -s token');
    }
  });
});
