import type { SparseHistogram } from './latency-histogram.js';

/** What the benchmark's runner and its load workers say to each other over IPC. */

/** Open these streams, at this rate, and keep them open. */
export interface LoadPlan {
  type: 'plan';
  port: number;
  /** Request paths, one per connection, e.g. `/api/stream?symbols=S01,S07,S33&throttle=0`. */
  paths: string[];
  /** The loopback address the worker connects from: each its own, for its own ports. */
  localAddress: string;
  connectsPerSecond: number;
  /**
   * At most this many connections waiting for their answer at once: a busy Node server accepts
   * about one connection per turn of its event loop, and a ramp that overflows its accept queue
   * turns into SYN retransmissions seconds apart rather than a measure of the server.
   */
  maxWaiting: number;
  /** A connection not answered with a status line by then counts as refused. */
  connectTimeoutMs: number;
  /** Epoch ms: connections not established by then count as refused. */
  deadlineAt: number;
}

/**
 * Count the ticks made (by their `ts`) in `[startAt, endAt)`, epoch milliseconds, that arrive by
 * `reportAt`; measure own CPU from `startAt` to `endAt`; report at `reportAt`.
 */
export interface WindowPlan {
  type: 'window';
  startAt: number;
  endAt: number;
  reportAt: number;
}

/** Close every connection and exit. */
export interface StopOrder {
  type: 'stop';
}

export type ToWorker = LoadPlan | WindowPlan | StopOrder;

/** Every connection of the plan is established or refused. */
export interface RampDone {
  type: 'ramped';
  established: number;
  refused: number;
}

export interface WindowReport {
  type: 'report';
  established: number;
  refused: number;
  /** Refusals by reason: an error code such as ECONNRESET, `timeout`, or `HTTP 429`. */
  refusals: Record<string, number>;
  /** Established streams the server ended, at any time; and of those, in the window or grace. */
  dropped: number;
  droppedInWindow: number;
  /** Tick events of the window per connection, in the order of the plan's paths; -1 if refused. */
  events: number[];
  /** Comment lines (heartbeats) received in the window per connection, in the same order. */
  heartbeats: number[];
  latency: SparseHistogram;
  maxLatencyMs: number;
  /** The worker's own CPU time (user + system) in the window, and the window as it measured it. */
  cpuMicros: number;
  windowMicros: number;
}

export type FromWorker = RampDone | WindowReport;
