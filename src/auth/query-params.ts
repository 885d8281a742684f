import type { IncomingMessage } from 'node:http';

/** The request's query, read from its URL, whatever the framework's query parser makes of it. */
export function queryParams({ url = '' }: IncomingMessage): URLSearchParams {
  const start = url.indexOf('?');
  return new URLSearchParams(start === -1 ? '' : url.slice(start + 1));
}
