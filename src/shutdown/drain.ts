import type { Server } from 'node:http';

const IDLE_SWEEP_MS = 50;

/**
 * Stops accepting connections, ends the open streams (`endStreams`), and waits up to `graceMs`
 * for every connection to close. Resolves true when all closed in time.
 *
 * A stream that ends leaves its keep-alive connection open and idle; those are closed as they
 * go idle, so that a client's reconnect opens a new connection, which a load balancer sends to
 * another instance, rather than coming back on the old one.
 */
export function drain(server: Server, endStreams: () => void, graceMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (drained: boolean): void => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve(drained);
    };
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => finish(false), graceMs);
    server.close(() => finish(true));
    endStreams();
  });
}
