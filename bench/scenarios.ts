import { SeededRandom } from '../src/market-data/seeded-random.js';

/** The simulated market a server runs: its SYMBOLS and TICKS_PER_SECOND. */
export interface Market {
  name: string;
  symbols: string;
  ticksPerSecond: number;
}

export interface Scenario {
  id: number;
  title: string;
  connections: number;
  throttleMs: number;
  /** What each connection picks its symbols from, and how many distinct ones it picks. */
  subscribable: string[];
  symbolsPerConnection: number;
  /** Every market is measured on both servers; most scenarios have one. */
  markets: Market[];
}

const FIFTY = Array.from({ length: 50 }, (_, i) => `S${String(i).padStart(2, '0')}`);
const FIFTY_AT_1000: Market = {
  name: '50 symbols',
  symbols: FIFTY.join(','),
  ticksPerSecond: 1000,
};

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 1,
    title: '1,000 connections, throttle=0',
    connections: 1_000,
    throttleMs: 0,
    subscribable: FIFTY,
    symbolsPerConnection: 3,
    markets: [FIFTY_AT_1000],
  },
  {
    id: 2,
    title: '5,000 connections, throttle=0 (saturation)',
    connections: 5_000,
    throttleMs: 0,
    subscribable: FIFTY,
    symbolsPerConnection: 3,
    markets: [FIFTY_AT_1000],
  },
  {
    id: 3,
    title: '10,000 connections, throttle=1000',
    connections: 10_000,
    throttleMs: 1000,
    subscribable: FIFTY,
    symbolsPerConnection: 3,
    markets: [FIFTY_AT_1000],
  },
  {
    id: 4,
    title: '5,000 connections, throttle=250',
    connections: 5_000,
    throttleMs: 250,
    subscribable: FIFTY,
    symbolsPerConnection: 3,
    markets: [FIFTY_AT_1000],
  },
  {
    id: 5,
    title: 'isolation: 5,000 connections on QUIET while BUSY ticks 2,000/s',
    connections: 5_000,
    throttleMs: 0,
    subscribable: ['QUIET'],
    symbolsPerConnection: 1,
    markets: [
      { name: 'BUSY on', symbols: 'BUSY:2000,QUIET:1', ticksPerSecond: 2001 },
      // The control: the same quiet symbol at the same rate, with BUSY silent.
      { name: 'BUSY off', symbols: 'BUSY:0,QUIET:1', ticksPerSecond: 1 },
    ],
  },
];

/**
 * The symbols of each of `count` connections: distinct picks from the scenario's list, the same
 * for every run and both servers.
 */
export function connectionSymbols(scenario: Scenario, count: number, seed: number): string[][] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const pool = [...scenario.subscribable];
    return Array.from({ length: scenario.symbolsPerConnection }, () => {
      const [symbol] = pool.splice(Math.floor(random.next() * pool.length), 1);
      return symbol;
    });
  });
}
