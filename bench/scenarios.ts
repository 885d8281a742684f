import type { Market, SymbolActivity } from './market.js';
import { SeededRandom } from './seeded-random.js';
import type { ServerKind } from './servers.js';

/** Streams on a market, the same on tickstream and every baseline that applies. */
export interface FanOutScenario {
  kind: 'fan-out';
  id: number;
  title: string;
  connections: number;
  throttleMs: number;
  /** What each connection picks its symbols from, and how many distinct ones it picks. */
  subscribable: string[];
  symbolsPerConnection: number;
  /** Every market is measured on every server; most scenarios have one. */
  markets: Market[];
  /** HEARTBEAT_MS of tickstream and the same period on every baseline. */
  heartbeatMs: number;
  /** Probe GET /health/live from another address through the ramp and the window. */
  probeHealth?: boolean;
}

/**
 * Resumers from one address replay a full history (tickstream only: no baseline resumes), while
 * the bench measures what that costs everyone else.
 */
export interface StormScenario {
  kind: 'storm';
  id: number;
  title: string;
  /** Whether the resumers read their streams (and are checked tick by tick) or never read. */
  reading: boolean;
  /** Resuming streams, all from 127.0.0.1: tickstream's default limit per client. */
  streams: number;
  /** HISTORY_SIZE, filled through POST /api/ticks before the storm. */
  historySize: number;
  symbols: SymbolActivity[];
  /** Live ticks posted during the storm. */
  liveTicksPerSecond: number;
  /** How long non-reading resumers stay; the most reading resumers may take to catch up. */
  holdSeconds: number;
}

export type Scenario = FanOutScenario | StormScenario;

const equal = (symbols: readonly string[], activity = 1): SymbolActivity[] =>
  symbols.map((symbol) => ({ symbol, activity }));
const FIFTY = Array.from({ length: 50 }, (_, i) => `S${String(i).padStart(2, '0')}`);
const FIFTY_AT_1000: Market = {
  name: '50 symbols, equal activity',
  symbols: equal(FIFTY),
  ticksPerSecond: 1000,
};
const DEFAULT_HEARTBEAT_MS = 15_000;

export const SCENARIOS: readonly Scenario[] = [
  {
    kind: 'fan-out',
    id: 1,
    title: '1,000 connections, throttle=0',
    connections: 1_000,
    throttleMs: 0,
    subscribable: FIFTY,
    symbolsPerConnection: 3,
    markets: [FIFTY_AT_1000],
    heartbeatMs: DEFAULT_HEARTBEAT_MS,
  },
  {
    kind: 'fan-out',
    id: 2,
    title: '5,000 connections, throttle=0 (saturation)',
    connections: 5_000,
    throttleMs: 0,
    subscribable: FIFTY,
    symbolsPerConnection: 3,
    markets: [FIFTY_AT_1000],
    heartbeatMs: DEFAULT_HEARTBEAT_MS,
  },
  {
    kind: 'fan-out',
    id: 3,
    title: '10,000 connections, throttle=1000',
    connections: 10_000,
    throttleMs: 1000,
    subscribable: FIFTY,
    symbolsPerConnection: 3,
    markets: [FIFTY_AT_1000],
    heartbeatMs: DEFAULT_HEARTBEAT_MS,
  },
  {
    kind: 'fan-out',
    id: 4,
    title: '5,000 connections, throttle=250',
    connections: 5_000,
    throttleMs: 250,
    subscribable: FIFTY,
    symbolsPerConnection: 3,
    markets: [FIFTY_AT_1000],
    heartbeatMs: DEFAULT_HEARTBEAT_MS,
  },
  {
    kind: 'fan-out',
    id: 5,
    title: 'isolation: 5,000 connections on QUIET while BUSY ticks 2,000/s',
    connections: 5_000,
    throttleMs: 0,
    subscribable: ['QUIET'],
    symbolsPerConnection: 1,
    markets: [
      {
        name: 'BUSY on',
        symbols: [
          { symbol: 'BUSY', activity: 2000 },
          { symbol: 'QUIET', activity: 1 },
        ],
        ticksPerSecond: 2001,
      },
      // The control: the same quiet symbol at the same rate, with BUSY silent.
      {
        name: 'BUSY off',
        symbols: [
          { symbol: 'BUSY', activity: 0 },
          { symbol: 'QUIET', activity: 1 },
        ],
        ticksPerSecond: 1,
      },
    ],
    heartbeatMs: DEFAULT_HEARTBEAT_MS,
  },
  {
    kind: 'fan-out',
    id: 6,
    title: '10,000 idle streams (silent symbols), heartbeats every 1,000 ms',
    connections: 10_000,
    throttleMs: 0,
    subscribable: FIFTY,
    symbolsPerConnection: 3,
    markets: [{ name: '50 silent symbols', symbols: equal(FIFTY, 0), ticksPerSecond: 0 }],
    heartbeatMs: 1_000,
  },
  {
    kind: 'fan-out',
    id: 9,
    // A process may hold at most 20,000 open files on these machines (a hard limit): the
    // streams, the monitor's, the health probe's and the process's own.
    title: 'as many idle streams as one process holds here: 19,900, heartbeats every 1,000 ms',
    connections: 19_900,
    throttleMs: 0,
    subscribable: FIFTY,
    symbolsPerConnection: 3,
    markets: [{ name: '50 silent symbols', symbols: equal(FIFTY, 0), ticksPerSecond: 0 }],
    heartbeatMs: 1_000,
    probeHealth: true,
  },
  {
    kind: 'storm',
    id: 7,
    title: 'resume storm: 100 streams from one address resume a full history and never read',
    reading: false,
    streams: 100,
    historySize: 100_000,
    symbols: equal(FIFTY),
    liveTicksPerSecond: 200,
    holdSeconds: 20,
  },
  {
    kind: 'storm',
    id: 8,
    title: 'resume storm, read: 100 resumers read everything, checked tick by tick',
    reading: true,
    streams: 100,
    historySize: 100_000,
    symbols: equal(FIFTY),
    liveTicksPerSecond: 200,
    holdSeconds: 90,
  },
];

/** Whether `kind` can run `scenario`: nchan cannot throttle, and only tickstream resumes. */
export function runsOn(scenario: Scenario, kind: ServerKind): boolean {
  if (scenario.kind === 'storm') {
    return kind === 'tickstream';
  }
  return kind !== 'nchan' || scenario.throttleMs === 0;
}

/**
 * The symbols of each of `count` connections: distinct picks from the scenario's list, the same
 * for every run and every server.
 */
export function connectionSymbols(
  scenario: FanOutScenario,
  count: number,
  seed: number,
): string[][] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const pool = [...scenario.subscribable];
    return Array.from({ length: scenario.symbolsPerConnection }, () => {
      const [symbol] = pool.splice(Math.floor(random.next() * pool.length), 1);
      return symbol;
    });
  });
}
