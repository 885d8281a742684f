import { build } from 'esbuild';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { StreamEvent } from '@tickstream/client';
import { launchBrowser, openPage } from './support/browser.js';
import { runCommand, startCommand, type Command } from './support/command.js';
import { eventually } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

const PACKAGE_DIR = 'client/sdk';
/**
 * npm needs only its own configuration (HOME) and PATH: what `npm test` sets for its scripts
 * (npm_config_local_prefix and the like) would point an install at this repository.
 */
const NPM_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() };
/**
 * Packing builds the package, and installing fetches rxjs, TypeScript and @types/node from the
 * registry (or npm's cache): seconds on this machine, a minute or more on a cold cache and a
 * slow link. The bound only keeps an unreachable registry from holding CI until its own limit.
 */
const INSTALL_TIMEOUT_MS = 240_000;
/** tsc checks @types/node and RxJS's declarations too: a few seconds a run. */
const TSC_TIMEOUT_MS = 60_000;

/**
 * The first block of `language` in the README's consumer section, which this test runs as it is;
 * the package's own README shows the same.
 */
async function readmeExample(language: string): Promise<string> {
  const firstBlock = async (file: string, after: string) => {
    const text = await readFile(file, 'utf8');
    const block = new RegExp('```' + language + '\n([^]*?)```').exec(
      text.slice(text.indexOf(after)),
    );
    if (!block) {
      throw new Error(`${file} has no ${language} block after "${after}"`);
    }
    return block[1];
  };
  const example = await firstBlock('README.md', '## Programmatic consumers');
  expect(await firstBlock(`${PACKAGE_DIR}/README.md`, '## Subscribe')).toBe(example);
  return example;
}

/** A consumer's code that must not compile: a misspelt field of a quote. */
const MISSPELT = `import { subscribe } from '@tickstream/client';
for await (const event of subscribe({ url: 'http://localhost:3000', symbols: ['AAPL'] })) {
  if (event.type === 'tick') console.log(event.quote.prise);
}
`;

/** The contract subpath, as a service that answers in tickstream's error shape would use it. */
const CONTRACT = `import { compareEventIds, isEventId, type ErrorBody } from '@tickstream/client/contract';
export const body: ErrorBody = { statusCode: 400, error: 'Bad Request', message: 'symbols: x', field: 'symbols' };
export const newer: boolean = isEventId('2-0') && compareEventIds('2-0', '1-5') > 0;
`;

/** A page of another origin that streams from `?server=` with the bundled package. */
const PAGE_SCRIPT = `import { StreamHttpError, subscribe, toObservable } from '@tickstream/client';

const url = new URLSearchParams(location.search).get('server');
async function ticksOf(symbols, count) {
  const quotes = [];
  for await (const event of subscribe({ url, symbols })) {
    if (event.type === 'tick' && quotes.push(event.quote) === count) break;
  }
  return quotes;
}
function observed(symbols, count) {
  return new Promise((resolve, reject) => {
    const quotes = [];
    const subscription = toObservable({ url, symbols }).subscribe({
      next: (event) => {
        if (event.type === 'tick' && quotes.push(event.quote) === count) {
          subscription.unsubscribe();
          resolve(quotes);
        }
      },
      error: reject,
    });
  });
}
async function refusal(symbols) {
  try {
    for await (const event of subscribe({ url, symbols })) return event;
  } catch (error) {
    return { httpError: error instanceof StreamHttpError, status: error.status, message: error.message };
  }
}
window.result = (async () => ({
  iterated: await ticksOf(['AAPL', 'MSFT'], 5),
  observed: await observed(['NVDA'], 3),
  refused: await refusal(['NOPE']),
}))();
`;

describe('the @tickstream/client package, installed from its tarball in a project outside this repository', () => {
  let workDir: string;
  /** The consumer's project: an empty package but for what this test installs. */
  let project: string;
  let packed: { filename: string; files: { path: string }[] };
  let server: TestServer;
  let pageServer: Server;
  let browser: Browser | undefined;
  const commands: Command[] = [];

  const npm = (args: string[], cwd: string) =>
    runCommand('npm', args, { cwd, env: NPM_ENV, timeoutMs: INSTALL_TIMEOUT_MS });
  /** The project's own commands, with the server's URL where the README says to put it. */
  const inProject = (file: string, args: string[], env: Record<string, string> = {}) => {
    const command = startCommand(file, args, {
      cwd: project,
      // npx would fetch whatever the registry calls `tickstream` if the package's bin were
      // missing: this makes it fail instead.
      env: { ...NPM_ENV, npm_config_yes: 'false', TICKSTREAM_URL: server.url, ...env },
    });
    commands.push(command);
    return command;
  };

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'tickstream-consumer-'));
    project = join(workDir, 'project');
    await mkdir(join(project, 'public'), { recursive: true });
    const { stdout } = await npm(['pack', '--json', '--pack-destination', workDir], PACKAGE_DIR);
    [packed] = JSON.parse(stdout) as (typeof packed)[];
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    await npm(
      [
        'install',
        '--no-audit',
        '--no-fund',
        join(workDir, packed.filename),
        'typescript@6.0',
        '@types/node@20',
      ],
      project,
    );
    pageServer = await servePage(join(project, 'public'));
    const pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
    server = await startServer({ CORS_ORIGINS: pageOrigin });
  }, INSTALL_TIMEOUT_MS * 2);

  afterEach(async () => {
    await Promise.all(commands.splice(0).map((command) => command.kill()));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise((resolve) => pageServer?.close(resolve));
    await rm(workDir, { recursive: true, force: true });
  });

  it('holds the built client and its declarations only, and brings in RxJS and nothing else', async () => {
    const paths = packed.files.map((file) => file.path).sort();
    expect(
      paths.filter((path) => !/^(bin|dist)\/|^(package\.json|README\.md)$/.test(path)),
    ).toEqual([]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'README.md',
        'bin/tickstream.js',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/contract/index.js',
        'dist/contract/index.d.ts',
      ]),
    );
    // The package's TypeScript (src/, which this repository reads through its own export
    // condition) stays out: consumers get dist/, whatever their tools.
    expect(paths.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([]);

    const { stdout } = await npm(['ls', '--all', '--json'], project);
    interface Tree {
      dependencies?: Record<string, Tree>;
    }
    const names = (tree: Tree): string[] =>
      Object.entries(tree.dependencies ?? {}).flatMap(([name, sub]) => [name, ...names(sub)]);
    const installed = (JSON.parse(stdout) as Tree).dependencies?.['@tickstream/client'] ?? {};
    expect(names(installed).sort()).toEqual(['rxjs', 'tslib']);

    const resolved = await runCommand(
      process.execPath,
      [
        '--input-type=module',
        '--eval',
        "for (const name of ['@tickstream/client', '@tickstream/client/contract']) console.log(import.meta.resolve(name));",
      ],
      { cwd: project, env: NPM_ENV, timeoutMs: TSC_TIMEOUT_MS },
    );
    const entry = `file://${project}/node_modules/@tickstream/client/dist`;
    expect(resolved.lines()).toEqual([`${entry}/index.js`, `${entry}/contract/index.js`]);
  });

  it("streams ticks in Node 20 with the README's example", async () => {
    await writeFile(join(project, 'ticks.mjs'), await readmeExample('js'));
    const ticks = inProject(process.execPath, ['ticks.mjs']);
    await eventually(() => ticks.lines().length >= 10, 10_000, 'ten ticks');
    for (const line of ticks.lines()) {
      expect(line).toMatch(/^(AAPL|MSFT) \d+(\.\d+)?$/);
    }
    expect(ticks.stderr).toBe('');
  });

  // The first run checks the package's declarations themselves; the others, which would check
  // them again, see how each resolution finds them.
  it.each([
    ['nodenext', 'nodenext', []],
    ['node16', 'node16', ['--skipLibCheck']],
    ['esnext', 'bundler', ['--skipLibCheck']],
  ])(
    "type-checks the README's example with tsc --strict (module %s, moduleResolution %s), and refuses a misspelt field",
    async (module, moduleResolution, options) => {
      await writeFile(join(project, 'ticks.ts'), await readmeExample('js'));
      await writeFile(join(project, 'contract.ts'), CONTRACT);
      await writeFile(join(project, 'misspelt.ts'), MISSPELT);
      const checked = startCommand(
        join(project, 'node_modules/.bin/tsc'),
        [
          ...['--strict', '--noEmit', '--listFiles', '--target', 'es2022', '--types', 'node'],
          ...['--module', module, '--moduleResolution', moduleResolution, ...options],
          ...['ticks.ts', 'contract.ts', 'misspelt.ts'],
        ],
        { cwd: project, env: NPM_ENV },
      );
      commands.push(checked);
      expect(await checked.exited).toBe(2);
      // The README's example and the contract's use compile; the misspelt field does not.
      expect(checked.lines().filter((line) => line.includes(': error TS'))).toEqual([
        expect.stringMatching(
          /^misspelt\.ts\(3,\d+\): error TS2551: Property 'prise' does not exist on type 'Quote'\. Did you mean 'price'\?$/,
        ),
      ]);
      const declarations = checked.lines().filter((file) => file.includes('@tickstream/client'));
      const dist = `${project}/node_modules/@tickstream/client/dist`;
      expect(declarations).toEqual(
        expect.arrayContaining([`${dist}/index.d.ts`, `${dist}/contract/index.d.ts`]),
      );
      expect(declarations.filter((file) => !file.startsWith(`${dist}/`))).toEqual([]);
    },
    TSC_TIMEOUT_MS,
  );

  it('runs the tickstream command with npx: ticks as JSON, and a refused symbol fails with the server message', async () => {
    const tail = inProject('npx', ['tickstream', 'tail', 'AAPL', '--json']);
    await eventually(
      () => tail.lines().filter((line) => line.includes('"tick"')).length >= 3,
      15_000,
      'three ticks',
    );
    tail.interrupt();
    await tail.exited;
    const [open, snapshot, ...ticks] = tail.lines().map((line) => JSON.parse(line) as StreamEvent);
    expect(open).toEqual({ type: 'open', resumed: false });
    expect(snapshot).toMatchObject({ type: 'snapshot', quotes: [{ symbol: 'AAPL' }] });
    expect(ticks.every((event) => event.type === 'tick' && event.quote.symbol === 'AAPL')).toBe(
      true,
    );
    expect(tail.stderr).toBe('');

    const refused = inProject('npx', ['tickstream', 'tail', 'AAPL,NOPE']);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr).toBe('tickstream: symbols: unknown symbol "NOPE"\n');
    expect(refused.stdout).toBe('');

    // The flag wins over TICKSTREAM_URL.
    const elsewhere = inProject('npx', [
      'tickstream',
      'tail',
      'AAPL',
      '--url',
      'http://127.0.0.1:1',
    ]);
    expect(await elsewhere.exited).toBe(1);
    expect(elsewhere.stderr).toMatch(/^tickstream: cannot stream from http:\/\/127\.0\.0\.1:1: /);
  }, 30_000);

  it('streams ticks in a browser, bundled by esbuild from the project, from a server of another origin', async () => {
    await writeFile(join(project, 'page.js'), PAGE_SCRIPT);
    await writeFile(
      join(project, 'public/index.html'),
      '<!doctype html><title>consumer</title><link rel="icon" href="data:,"><script type="module" src="page.js"></script>',
    );
    // esbuild resolves imports from the entry's folder up: the project's node_modules only.
    const { metafile } = await build({
      absWorkingDir: project,
      entryPoints: ['page.js'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: 'public/page.js',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(metafile.inputs);
    expect(
      inputs.filter((input) => input !== 'page.js' && !input.startsWith('node_modules/')),
    ).toEqual([]);
    expect(inputs).toContain('node_modules/@tickstream/client/dist/subscribe.js');

    browser = await launchBrowser();
    const pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
    const { page, errors } = await openPage(browser, `${pageOrigin}/?server=${server.url}`);
    const result = await page.evaluate(
      () => (window as unknown as { result: Promise<Record<string, { symbol: string }[]>> }).result,
    );
    expect(result.iterated).toHaveLength(5);
    expect(result.iterated.every(({ symbol }) => ['AAPL', 'MSFT'].includes(symbol))).toBe(true);
    expect(result.observed.map(({ symbol }) => symbol)).toEqual(['NVDA', 'NVDA', 'NVDA']);
    expect(result.refused).toEqual({
      httpError: true,
      status: 400,
      message: 'symbols: unknown symbol "NOPE"',
    });
    // The 400 itself is the only error the browser reports.
    expect(errors).toEqual([
      expect.stringMatching(/^Failed to load resource: the server responded with a status of 400/),
    ]);
    await eventually(() => server.bus.subscriberCount === 0, 5_000, 'the streams to close');
  }, 30_000);
});

/** A plain static server for the consumer's page, on a free loopback port. */
async function servePage(root: string): Promise<Server> {
  const types: Record<string, string> = { html: 'text/html', js: 'text/javascript' };
  const server = createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://page').pathname.slice(1) || 'index.html';
    const type = types[name.split('.').pop() ?? ''];
    if (!/^[\w.-]+$/.test(name) || !type) {
      response.writeHead(404).end();
      return;
    }
    const file = createReadStream(join(root, name));
    file.once('error', () => response.writeHead(404).end());
    file.once('open', () => {
      response.writeHead(200, { 'Content-Type': type });
      file.pipe(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
