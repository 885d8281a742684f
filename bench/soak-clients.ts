// The soak's clients, in a process of their own so that their memory is not the server's.
// Run by bench/soak.ts, which sends the plan and gets the report back over IPC.
import { Agent, request } from 'node:http';
import { PATHS, STREAM_PARAMS, TOKEN_COOKIE } from '@tickstream/client/contract';
import { mintToken } from './soak-token.js';
import { streamPath } from './stream-path.js';
import type { Outcome, SoakPlan, SoakReport } from './soak-protocol.js';

const agent = new Agent({ keepAlive: false, maxSockets: Infinity });

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

interface Attempt {
  path: string;
  headers: Record<string, string>;
  /** How long to keep a stream open, unless the server ends it first. */
  holdMs: number;
  slow: boolean;
  abortEarly: boolean;
  /** The token expires while the stream is open: the server should end it. */
  expiring: boolean;
}

/** Puts the token on one of the three channels a client may use. */
function withToken(path: string, token: string): Pick<Attempt, 'path' | 'headers'> {
  switch (pick(['header', 'query', 'cookie'] as const)) {
    case 'header':
      return { path, headers: { Authorization: `Bearer ${token}` } };
    case 'query':
      return { path: `${path}&${STREAM_PARAMS.accessToken}=${token}`, headers: {} };
    case 'cookie':
      return { path, headers: { Cookie: `${TOKEN_COOKIE}=${token}` } };
  }
}

async function plan(
  { secret, symbols, subjects }: SoakPlan,
  worker: number,
  tokens: Map<string, string>,
): Promise<Attempt> {
  const subject = worker < 15 ? 'hog' : `user-${worker % subjects}`;
  const asked = Array.from({ length: between(1, 6) }, () => pick(symbols));
  const throttle = pick([0, 0, 50, 250, 1000]);
  let path = streamPath([...new Set(asked)], throttle);
  let token = tokens.get(subject) ?? '';
  const roll = Math.random();
  if (roll < 0.05) {
    path = `/${PATHS.stream}?${STREAM_PARAMS.symbols}=${asked[0]}&${STREAM_PARAMS.throttle}=soon`;
  } else if (roll < 0.1) {
    token = `${token.slice(0, -4)}AAAA`;
  } else if (roll < 0.15) {
    token = tokens.get('narrow') ?? '';
    path = `/${PATHS.stream}?${STREAM_PARAMS.symbols}=TSLA`;
  } else if (roll < 0.2) {
    const exp = Math.floor(Date.now() / 1000) + between(1, 3);
    token = await mintToken({ sub: subject, symbols: '*', expires: exp }, secret);
    return {
      ...withToken(path, token),
      holdMs: 5_000,
      slow: false,
      abortEarly: false,
      expiring: true,
    };
  }
  return {
    ...withToken(path, token),
    holdMs: between(100, 1_500),
    slow: roll > 0.2 && roll < 0.3,
    abortEarly: roll >= 0.3 && roll < 0.4,
    expiring: false,
  };
}

function connectOnce(url: string, attempt: Attempt, report: SoakReport): Promise<Outcome> {
  return new Promise((resolve) => {
    let outcome: Outcome = 'network error';
    let body = '';
    const req = request(`${url}${attempt.path}`, { agent, headers: attempt.headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        outcome =
          (['400', '401', '403', '429'] as const).find((s) => s === String(status)) ??
          'other status';
        res.resume();
        return;
      }
      outcome = attempt.slow ? 'slow reader' : 'stream';
      if (attempt.slow) {
        res.pause();
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        report.bytes += chunk.length;
        if (attempt.expiring) {
          body = (body + chunk).slice(-2_000);
          if (body.includes('event: error')) {
            outcome = 'expired mid-stream';
          }
        }
      });
      setTimeout(() => req.destroy(), attempt.holdMs);
    });
    req.on('error', () => undefined);
    req.on('close', () => resolve(outcome));
    req.end();
    if (attempt.abortEarly) {
      outcome = 'aborted early';
      setImmediate(() => req.destroy());
    }
  });
}

async function run(soak: SoakPlan): Promise<SoakReport> {
  const report: SoakReport = { connects: 0, outcomes: {}, bytes: 0 };
  const tokens = new Map<string, string>();
  const names = ['hog', 'narrow', ...Array.from({ length: soak.subjects }, (_, i) => `user-${i}`)];
  for (const sub of names) {
    const symbols = sub === 'narrow' ? ['AAPL'] : '*';
    tokens.set(sub, await mintToken({ sub, symbols, expires: '1h' }, soak.secret));
  }
  const deadline = Date.now() + soak.durationMs;
  const worker = async (index: number): Promise<void> => {
    while (Date.now() < deadline) {
      const attempt = await plan(soak, index, tokens);
      report.connects++;
      const outcome = await connectOnce(soak.url, attempt, report);
      report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: soak.concurrency }, (_, i) => worker(i)));
  return report;
}

process.once('message', (soak: SoakPlan) => {
  run(soak).then(
    (report) => process.send?.(report, () => process.disconnect()),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
