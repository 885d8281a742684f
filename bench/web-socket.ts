/**
 * What the bench uses of the WebSocket client that Node 20 has behind --experimental-websocket
 * (global in Node 22; @types/node 20 does not declare it).
 */
export interface WebSocketClient {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export const OPEN = 1;

/** A new client of `url`; throws when Node runs without --experimental-websocket. */
export function openWebSocket(url: string): WebSocketClient {
  const WebSocketClass = (
    globalThis as unknown as { WebSocket?: new (url: string) => WebSocketClient }
  ).WebSocket;
  if (WebSocketClass === undefined) {
    throw new Error('this needs a WebSocket client: run node with --experimental-websocket');
  }
  return new WebSocketClass(url);
}

/** Resolves once `socket` is open, or with false if it fails first. */
export function opened(socket: WebSocketClient): Promise<boolean> {
  return new Promise((resolve) => {
    socket.addEventListener('open', () => resolve(true));
    socket.addEventListener('error', () => resolve(false));
  });
}
