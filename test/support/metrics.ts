import { sleep } from './sse-client.js';
import type { TestServer } from './test-server.js';

/** The value of an unlabelled metric, as GET /metrics reports it now. */
export async function metric(server: TestServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? NaN);
}

/**
 * Polls a metric until it satisfies `check`, or `timeoutMs` passes: streams are counted as they
 * open and close. Its last value, for the caller to assert on.
 */
export async function metricReaches(
  server: TestServer,
  name: string,
  check: (value: number) => boolean,
  timeoutMs = 5_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let value = await metric(server, name);
  while (!check(value) && Date.now() < deadline) {
    await sleep(50);
    value = await metric(server, name);
  }
  return value;
}
