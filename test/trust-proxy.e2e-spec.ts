import { request } from 'node:http';
import { OpenStreams } from '../src/stream/open-streams.js';
import { captureOutput } from './support/captured-output.js';
import { Http2Client } from './support/http2-client.js';
import { startNginx, type LocalNginx } from './support/nginx.js';
import { openRawStream, type RawStream } from './support/raw-stream.js';
import { startServer, type TestServer } from './support/test-server.js';

/** Two clients on this machine, told apart by the loopback address each connects from. */
const ALICE = '127.0.0.2';
const BOB = '127.0.0.3';
/** nginx connects to the instances from here. */
const NGINX = '127.0.0.1';

/** The status of a GET from `localAddress`, over plain HTTP. */
function statusOf(url: string, localAddress: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; hsts: string | undefined }>((resolve, reject) => {
    const req = request(url, { localAddress, headers }, (res) => {
      res.resume();
      const hsts = res.headers['strict-transport-security'];
      resolve({ status: res.statusCode ?? 0, hsts });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('behind nginx, with TRUST_PROXY naming it', () => {
  let server: TestServer;
  let nginx: LocalNginx;
  const clients: Http2Client[] = [];
  const streams: AbortController[] = [];
  const client = (address: string) => {
    const made = new Http2Client(nginx.url, nginx.ca, address);
    clients.push(made);
    return made;
  };
  /** Opens a stream through nginx; resolves with its status, and keeps it open while it is 200. */
  const stream = async (from: Http2Client, headers: Record<string, string> = {}) => {
    const controller = new AbortController();
    streams.push(controller);
    const { status, body } = await from.get('/api/stream?symbols=AAPL', {
      headers,
      signal: controller.signal,
    });
    if (status !== 200) {
      await body.cancel();
    }
    return status;
  };
  const rest = async (from: Http2Client, headers: Record<string, string> = {}) => {
    const { status, headers: answer, body } = await from.get('/api/symbols/AAPL', { headers });
    await body.cancel();
    return { status, hsts: answer['strict-transport-security'] };
  };

  beforeAll(async () => {
    server = await startServer({
      TRUST_PROXY: NGINX,
      MAX_CONNECTIONS_PER_CLIENT: '2',
      REST_RATE_LIMIT: '3',
    });
    nginx = await startNginx([server.url]);
  });

  afterAll(async () => {
    streams.forEach((controller) => controller.abort());
    clients.forEach((made) => made.close());
    await nginx?.close();
    await server?.close();
  });

  it('limits the streams of two clients separately, whatever address they claim', async () => {
    const [alice, bob] = [client(ALICE), client(BOB)];
    expect([await stream(alice), await stream(alice)]).toEqual([200, 200]);
    expect(await stream(alice)).toBe(429);
    // A forged X-Forwarded-For goes to the left of the address nginx adds: it changes nothing.
    expect(await stream(alice, { 'X-Forwarded-For': '203.0.113.9' })).toBe(429);
    expect([await stream(bob), await stream(bob)]).toEqual([200, 200]);
    const registry = server.app.get(OpenStreams);
    expect([registry.openFor(`ip:${ALICE}`), registry.openFor(`ip:${BOB}`)]).toEqual([2, 2]);
    expect(registry.openFor(`ip:${NGINX}`)).toBe(0);
  });

  it('limits their REST requests separately, and tells them to keep to HTTPS', async () => {
    const [alice, bob] = [client(ALICE), client(BOB)];
    const answers = [];
    for (let i = 0; i < 4; i++) {
      answers.push(await rest(alice, { 'X-Forwarded-For': `203.0.113.${i}` }));
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    const fromBob = await rest(bob);
    expect(fromBob.status).toBe(200);
    // nginx says the request came over HTTPS, and the instance believes it.
    expect(fromBob.hsts).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('an instance that trusts no proxy', () => {
  let server: TestServer;
  const streams: RawStream[] = [];

  afterEach(async () => {
    streams.splice(0).forEach((stream) => stream.close());
    await server.close();
  });

  it('counts a client that sends X-Forwarded-For by its socket address, and logs one line', async () => {
    const captured = captureOutput();
    try {
      server = await startServer({ MAX_CONNECTIONS_PER_CLIENT: '1', REST_RATE_LIMIT: '2' }, [
        'log',
        'warn',
        'error',
        'fatal',
      ]);
      const open = async (forged: string) => {
        const opened = await openRawStream(
          `${server.url}/api/stream?symbols=AAPL`,
          { 'X-Forwarded-For': forged },
          ALICE,
        );
        streams.push(opened);
        return opened.status;
      };
      expect([await open('203.0.113.1'), await open('203.0.113.2')]).toEqual([200, 429]);
      expect(server.app.get(OpenStreams).openFor(`ip:${ALICE}`)).toBe(1);
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const forged = { 'X-Forwarded-For': `203.0.113.${i}`, 'X-Forwarded-Proto': 'https' };
        const answer = await statusOf(`${server.url}/api/symbols`, ALICE, forged);
        statuses.push(answer.status);
        // Plain HTTP, whatever the header says: no Strict-Transport-Security.
        expect(answer.hsts).toBeUndefined();
      }
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      captured.restore();
    }
    const output = captured.text();
    const notices = output.split('\n').filter((line) => line.includes('X-Forwarded-For'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`a request from ${ALICE} carried X-Forwarded-For`);
    expect(output).not.toContain('203.0.113');
    expect(output).not.toMatch(/ERR_ERL|\n\s+at /);
  });
});

describe('an instance that trusts a proxy, reached directly by someone else', () => {
  let server: TestServer;

  afterEach(() => server.close());

  it('believes neither their X-Forwarded-For nor their X-Forwarded-Proto', async () => {
    server = await startServer({ TRUST_PROXY: NGINX, MAX_CONNECTIONS_PER_CLIENT: '1' });
    const headers = { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https' };
    const first = await openRawStream(`${server.url}/api/stream?symbols=AAPL`, headers, BOB);
    try {
      expect(first.status).toBe(200);
      const registry = server.app.get(OpenStreams);
      expect(registry.openFor(`ip:${BOB}`)).toBe(1);
      expect(registry.openFor('ip:203.0.113.7')).toBe(0);
      const rest = await statusOf(`${server.url}/api/symbols`, BOB, headers);
      expect(rest).toEqual({ status: 200, hsts: undefined });
    } finally {
      first.close();
    }
  });

  it('sends no Strict-Transport-Security with HSTS_MAX_AGE=0, even over HTTPS', async () => {
    server = await startServer({ TRUST_PROXY: 'loopback', HSTS_MAX_AGE: '0' });
    const answer = await statusOf(`${server.url}/api/symbols`, NGINX, {
      'X-Forwarded-Proto': 'https',
    });
    expect(answer).toEqual({ status: 200, hsts: undefined });
  });
});
