import { sleep } from './sse-client.js';

/**
 * Polls `<url>/health/ready` until it answers `status`; an instance that does not answer yet
 * (starting up) counts as not there.
 */
export async function readiness(url: string, status: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answered = await fetch(`${url}/health/ready`).then(
      async (response) => {
        await response.body?.cancel();
        return response.status;
      },
      () => 0,
    );
    if (answered === status) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not turn ${status} within ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}
