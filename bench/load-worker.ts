// One process of the load generator, forked by bench/bench.ts: opens its share of the streams
// at its share of the ramp rate, counts the ticks each stream receives in the measurement window
// and their latency (receive time minus the tick's ts), and reports its own CPU, so that a
// saturated load generator is visible in the results.
import { performance } from 'node:perf_hooks';
import type { FromWorker, LoadPlan, ToWorker, WindowPlan } from './bench-protocol.js';
import { LatencyHistogram } from './latency-histogram.js';
import { SseClient } from './sse-client.js';
import { exitWithRunner, stopWorker } from './worker-exit.js';

/** How often the ramp opens the connections that fell due. */
const RAMP_STEP_MS = 10;
/** The event count reported for a connection that was refused. */
const NEVER_ESTABLISHED = -1;

// Where each connection of the plan is.
const NOT_STARTED = 0;
const WAITING = 1;
const SETTLED = 2;

const readBuffer = Buffer.allocUnsafe(256 * 1024);
const latency = new LatencyHistogram();
const clients: SseClient[] = [];
const refusals: Record<string, number> = {};
let phase = new Uint8Array(0);
let events: number[] = [];
let heartbeats: number[] = [];
let waiting = 0;
let established = 0;
let refused = 0;
let dropped = 0;
let droppedInWindow = 0;
let window: WindowPlan = { type: 'window', startAt: Infinity, endAt: Infinity, reportAt: Infinity };

function send(message: FromWorker): void {
  process.send?.(message);
}

/** Each connection is settled once: established or refused. */
function settle(index: number, refusal?: string): void {
  if (phase[index] === WAITING) {
    waiting--;
  }
  phase[index] = SETTLED;
  if (refusal === undefined) {
    events[index] = 0;
    established++;
  } else {
    refused++;
    refusals[refusal] = (refusals[refusal] ?? 0) + 1;
  }
  if (established + refused === phase.length) {
    send({ type: 'ramped', established, refused });
  }
}

function open(plan: LoadPlan, index: number): void {
  phase[index] = WAITING;
  waiting++;
  clients[index] = new SseClient(
    {
      port: plan.port,
      path: plan.paths[index],
      localAddress: plan.localAddress,
      readBuffer,
      connectTimeoutMs: plan.connectTimeoutMs,
    },
    {
      onEstablished: () => settle(index),
      onRefused: (reason) => settle(index, reason),
      onTick: (ts, _symbol, receivedAt) => {
        if (ts >= window.startAt && ts < window.endAt) {
          events[index]++;
          latency.record(receivedAt - ts);
        }
      },
      onComment: (receivedAt) => {
        if (receivedAt >= window.startAt && receivedAt < window.endAt) {
          heartbeats[index]++;
        }
      },
      onDropped: () => {
        dropped++;
        const now = Date.now();
        if (now >= window.startAt && now < window.reportAt) {
          droppedInWindow++;
        }
      },
    },
  );
}

function ramp(plan: LoadPlan): void {
  phase = new Uint8Array(plan.paths.length);
  events = plan.paths.map(() => NEVER_ESTABLISHED);
  heartbeats = plan.paths.map(() => 0);
  let next = 0;
  let due = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    // Connections held back by the cap on those waiting do not pile up into a burst.
    due = Math.min(due + ((now - last) * plan.connectsPerSecond) / 1000, plan.maxWaiting);
    last = now;
    for (; due >= 1 && waiting < plan.maxWaiting && next < plan.paths.length; due--) {
      open(plan, next++);
    }
    if (next === plan.paths.length) {
      clearInterval(timer);
    }
  }, RAMP_STEP_MS);
  setTimeout(() => {
    clearInterval(timer);
    phase.forEach((where, index) => {
      if (where === WAITING) {
        clients[index].close();
        settle(index, 'no answer by the ramp deadline');
      } else if (where === NOT_STARTED) {
        settle(index, 'not tried by the ramp deadline');
      }
    });
  }, plan.deadlineAt - Date.now());
}

function measure(plan: WindowPlan): void {
  window = plan;
  let cpuAtStart = process.cpuUsage();
  let startedAt = performance.now();
  let cpuMicros = 0;
  let windowMicros = 0;
  setTimeout(() => {
    cpuAtStart = process.cpuUsage();
    startedAt = performance.now();
  }, plan.startAt - Date.now());
  setTimeout(() => {
    const { user, system } = process.cpuUsage(cpuAtStart);
    cpuMicros = user + system;
    windowMicros = (performance.now() - startedAt) * 1000;
  }, plan.endAt - Date.now());
  setTimeout(() => {
    send({
      type: 'report',
      established,
      refused,
      refusals,
      dropped,
      droppedInWindow,
      events,
      heartbeats,
      latency: latency.toSparse(),
      maxLatencyMs: latency.max,
      cpuMicros,
      windowMicros,
    });
  }, plan.reportAt - Date.now());
}

process.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'plan':
      ramp(message);
      break;
    case 'window':
      measure(message);
      break;
    case 'stop':
      stopWorker(clients);
      break;
  }
});
exitWithRunner();
