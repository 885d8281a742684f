import type { TestServer } from './test-server.js';

/** The value of an unlabelled metric, as GET /metrics reports it now. */
export async function metric(server: TestServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? NaN);
}
