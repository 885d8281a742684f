import type { IncomingMessage } from 'node:http';
import type { TestServer } from './test-server.js';

/** The stream requests that reach `server`, to count them, read their headers and cut them. */
export function streamRequests(server: TestServer): IncomingMessage[] {
  const requests: IncomingMessage[] = [];
  server.app.getHttpServer().on('request', (request: IncomingMessage) => {
    if (request.url?.startsWith('/api/stream')) {
      requests.push(request);
    }
  });
  return requests;
}
