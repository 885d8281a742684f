import type { AppConfig } from './config/app-config.js';
import { ONLY_PARTITION } from './bus/log-partition.js';

/** What a process listening on every interface answers on, for a URL a person can open. */
const EVERY_INTERFACE = new Set(['::', '0.0.0.0']);

/** `host:port` as in a URL: an IPv6 address in brackets. */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The page's URL on the address a process listens on. */
export function pageUrl(address: string, port: number): string {
  return `http://${hostPort(EVERY_INTERFACE.has(address) ? 'localhost' : address, port)}/`;
}

/**
 * What an instance is, in one line: its role and bus, what it writes to the log and where that
 * is, whether it serves streams and, if so, where its page is. An operator reading a fleet's logs
 * sees which instance is which, and a feed pointed at the wrong Redis says so at once.
 */
export function roleSummary(
  { ROLE, BUS, FEED, INGEST_TOKEN }: AppConfig,
  logLocation: string,
  page: string,
): string {
  const writes = [
    ...(FEED === 'simulated' && ROLE !== 'edge' ? ['the simulated market'] : []),
    ...(INGEST_TOKEN === undefined ? [] : ['POST /api/ticks and /api/status']),
  ];
  const writing = `${writes.length > 0 ? `writes ${writes.join(' and ')}` : 'writes nothing'} to partition ${ONLY_PARTITION} (${logLocation})`;
  const serving =
    ROLE === 'feed'
      ? '; serves no streams: they are on the ROLE=edge and ROLE=all instances'
      : `, reads it and serves its streams; the page is at ${page}`;
  return `ROLE=${ROLE} BUS=${BUS}: ${writing}${serving}`;
}
