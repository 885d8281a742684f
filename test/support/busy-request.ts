import type { Socket } from 'node:net';

/** The INGEST_TOKEN of a server that `busy` is to keep busy. */
export const BUSY_TOKEN = 'ingest-token-that-keeps-a-connection-busy';

/**
 * Keeps `socket`'s connection busy: it sends a POST /api/ticks whose body never comes, which the
 * server waits for, and resolves once the server has taken the request (its 100 Continue). A
 * request refused unread would not do: its connection is closed with the refusal.
 */
export function busy(socket: Socket): Promise<void> {
  const taken = new Promise<void>((resolve) => socket.once('data', () => resolve()));
  socket.write(
    'POST /api/ticks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      `Authorization: Bearer ${BUSY_TOKEN}\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n`,
  );
  return taken;
}
