import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/free-port.js';
import { openRawStream, type RawStream } from './support/raw-stream.js';
import { sleep } from './support/sse-client.js';
import { startServer, type TestServer } from './support/test-server.js';

const DEPLOY = 'deploy/prometheus';
/** The scrape interval of the deployment, and the one this test runs it with. */
const INTERVAL = { deployed: 'scrape_interval: 15s', test: 'scrape_interval: 1s' };

/** Runs `command` with `input` on stdin; resolves with its exit code and output. */
function run(
  command: string,
  args: string[],
  input = '',
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(input);
  });
}

interface QueryResult {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe('Prometheus with deploy/prometheus', () => {
  let server: TestServer;
  let stream: RawStream;
  let folder: string;
  let prometheus: ChildProcess | undefined;

  beforeAll(async () => {
    server = await startServer({ TICKS_PER_SECOND: '200' });
    stream = await openRawStream(`${server.url}/api/stream?symbols=AAPL`);
    await stream.waitForText(/event: tick/);
    folder = await mkdtemp(join(tmpdir(), 'tickstream-prometheus-'));
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    stream?.close();
    await server?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('finds nothing to object to in /metrics (promtool check metrics)', async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('tickstream_streams_open 1');
    expect(await run('promtool', ['check', 'metrics'], metrics)).toEqual({ code: 0, output: '' });
  });

  it("scrapes a live instance, and answers queries with tickstream's metrics", async () => {
    await cp(DEPLOY, folder, { recursive: true });
    const config = join(folder, 'prometheus.yml');
    const yaml = await readFile(config, 'utf8');
    expect(yaml).toContain(INTERVAL.deployed);
    await writeFile(config, yaml.replace(INTERVAL.deployed, INTERVAL.test));
    const target = new URL(server.url).host;
    await writeFile(
      join(folder, 'tickstream-instances.json'),
      JSON.stringify([{ targets: [target], labels: { deployment: 'test' } }]),
    );
    const checked = await run('promtool', ['check', 'config', config]);
    expect(checked).toMatchObject({ code: 0 });

    const port = await freePort();
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(folder, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    const query = async (expression: string): Promise<QueryResult['data']['result']> => {
      const url = `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expression)}`;
      const answer = await fetch(url).catch(() => undefined);
      if (!answer?.ok) {
        return [];
      }
      return ((await answer.json()) as QueryResult).data.result;
    };
    // Until Prometheus is up and has scraped the instance a few times.
    const deadline = Date.now() + 25_000;
    let open = await query('tickstream_streams_open');
    let sent = await query('rate(tickstream_events_sent_total[5s])');
    while ((open.length === 0 || sent.length === 0) && Date.now() < deadline) {
      await sleep(250);
      open = await query('tickstream_streams_open');
      sent = await query('rate(tickstream_events_sent_total[5s])');
    }
    expect(open[0].metric).toMatchObject({
      job: 'tickstream',
      instance: target,
      deployment: 'test',
    });
    expect(open[0].value[1]).toBe('1');
    expect(Number(sent[0].value[1])).toBeGreaterThan(0);
    // TickstreamFeedStalled's join, without its bound, on the live instance's own labels: the
    // rule's unit test feeds it series of these names and labels, which this shows are real.
    const stalledJoin = await query(
      'tickstream_newest_tick_age_seconds and ignoring (partition, state) tickstream_symbols{state="open"} > 0',
    );
    expect(stalledJoin).toHaveLength(1);
    expect(stalledJoin[0].metric).toMatchObject({ instance: target, partition: '0' });
  }, 40_000);

  it('fires TickstreamFeedStalled for a feed that stops, not for a quiet market (promtool test rules)', async () => {
    const tested = await run('promtool', [
      'test',
      'rules',
      join(DEPLOY, 'tickstream-alerts.test.yml'),
    ]);
    expect(tested.output).toContain('SUCCESS');
    expect(tested.code).toBe(0);
  });
});
