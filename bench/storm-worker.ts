// The resumers of the resume storm, forked by bench/resume-storm.ts: opens its share of the
// streams at once from 127.0.0.1, each resuming from the same id with a Last-Event-ID header.
// Non-reading streams read the response head and then nothing. Reading streams parse every
// event with the contract's SseParser and check each tick against the published ticks: with
// throttle=0 a stream must get exactly the ticks of its symbols after its resume id, in order.
import {
  compareEventIds,
  LAST_EVENT_ID_HEADER,
  STREAM_EVENTS,
  type ErrorData,
  type SseBlock,
} from '@tickstream/client/contract';
import type {
  FromStormWorker,
  Published,
  StormPlan,
  StormWorkerReport,
  ToStormWorker,
} from './storm-protocol.js';
import { SseBlockSink } from './sse-block-sink.js';
import { SseClient } from './sse-client.js';
import { exitWithRunner, stopWorker } from './worker-exit.js';

/** The published ticks, in id order, as far as the runner has told. */
const ids: string[] = [];
const indexOf = new Map<string, number>();
/** ownBefore[i]: how many of the first i published ticks are of the streams' symbols. */
const ownBefore: number[] = [0];
let own = new Set<string>();
const publishedSymbols: string[] = [];

const report: StormWorkerReport = {
  type: 'report',
  established: 0,
  refusals: {},
  endedByServer: 0,
  ticks: 0,
  lost: 0,
  repeated: 0,
  foreign: 0,
  unknown: 0,
  resets: 0,
  errors: {},
  behind: 0,
  behindMax: 0,
};
const streams: CheckedStream[] = [];
const clients: SseClient[] = [];
let settled = 0;
let planned = 0;

function send(message: FromStormWorker): void {
  process.send?.(message);
}

/** One reading stream's place in the published ticks. */
class CheckedStream {
  /** The index of the next published tick this stream should get (of its symbols). */
  private next: number;
  /** Ids received beyond what the runner has told of yet, in the order received. */
  private readonly early: string[] = [];

  constructor(resumeIndex: number) {
    this.next = resumeIndex + 1;
  }

  get behind(): number {
    return ownBefore[ids.length] - ownBefore[Math.min(this.next, ids.length)];
  }

  onBlock({ event, id, data }: SseBlock): void {
    if (event === STREAM_EVENTS.tick && id !== undefined) {
      this.tick(id);
    } else if (event === STREAM_EVENTS.reset) {
      report.resets++;
    } else if (event === STREAM_EVENTS.error) {
      const reason = errorReason(data);
      report.errors[reason] = (report.errors[reason] ?? 0) + 1;
    }
  }

  /** Checks the ids that came early, now that more are published. */
  catchUp(): void {
    while (this.early.length > 0 && indexOf.has(this.early[0])) {
      this.check(this.early.shift() as string);
    }
  }

  /** Once everything is published, an id still not among it was never published. */
  finish(): void {
    this.catchUp();
    report.unknown += this.early.length;
    report.ticks += this.early.length;
    this.early.length = 0;
  }

  private tick(id: string): void {
    if (this.early.length > 0 || !indexOf.has(id)) {
      const last = ids[ids.length - 1];
      if (this.early.length > 0 || last === undefined || compareEventIds(id, last) > 0) {
        this.early.push(id);
      } else {
        report.unknown++;
      }
      return;
    }
    this.check(id);
  }

  private check(id: string): void {
    const index = indexOf.get(id);
    report.ticks++;
    if (index === undefined) {
      report.unknown++;
    } else if (!own.has(publishedSymbols[index])) {
      report.foreign++;
    } else if (index < this.next) {
      report.repeated++;
    } else {
      report.lost += ownBefore[index] - ownBefore[this.next];
      this.next = index + 1;
    }
  }
}

function errorReason(data: string | undefined): string {
  try {
    return (JSON.parse(data ?? '') as Partial<ErrorData>).reason ?? 'no reason';
  } catch {
    return 'data is not JSON';
  }
}

function publish({ ids: added, symbols }: Published): void {
  added.forEach((id, k) => {
    indexOf.set(id, ids.length);
    ids.push(id);
    publishedSymbols.push(symbols[k]);
    ownBefore.push(ownBefore[ownBefore.length - 1] + (own.has(symbols[k]) ? 1 : 0));
  });
  streams.forEach((stream) => stream.catchUp());
}

function settle(refusal?: string): void {
  if (refusal === undefined) {
    report.established++;
  } else {
    report.refusals[refusal] = (report.refusals[refusal] ?? 0) + 1;
  }
  if (++settled === planned) {
    send({ type: 'opened' });
  }
}

function open(plan: StormPlan): void {
  own = new Set(plan.symbols);
  // The history came before the plan, and was counted against no symbols.
  ownBefore.length = 1;
  publishedSymbols.forEach((symbol) =>
    ownBefore.push(ownBefore[ownBefore.length - 1] + (own.has(symbol) ? 1 : 0)),
  );
  const resumeIndex = indexOf.get(plan.lastEventId);
  if (resumeIndex === undefined) {
    throw new Error(`the resume id ${plan.lastEventId} was not published`);
  }
  planned = plan.streams;
  const readBuffer = Buffer.allocUnsafe(256 * 1024);
  for (let i = 0; i < plan.streams; i++) {
    const stream = plan.reading ? new CheckedStream(resumeIndex) : undefined;
    if (stream) {
      streams.push(stream);
    }
    const client: SseClient = new SseClient(
      {
        port: plan.port,
        path: plan.path,
        readBuffer,
        connectTimeoutMs: plan.connectTimeoutMs,
        headers: { [LAST_EVENT_ID_HEADER]: plan.lastEventId },
        body: new SseBlockSink((block) => stream?.onBlock(block)),
      },
      {
        onEstablished: () => {
          if (!plan.reading) {
            client.pause();
          }
          settle();
        },
        onRefused: (reason) => settle(reason),
        onDropped: () => report.endedByServer++,
      },
    );
    clients.push(client);
  }
}

process.on('message', (message: ToStormWorker) => {
  switch (message.type) {
    case 'published':
      publish(message);
      break;
    case 'plan':
      open(message);
      break;
    case 'report': {
      if (message.final) {
        streams.forEach((stream) => stream.finish());
      }
      const behind = streams.map((stream) => stream.behind);
      report.behind = behind.reduce((sum, n) => sum + n, 0);
      report.behindMax = Math.max(0, ...behind);
      send(report);
      break;
    }
    case 'stop':
      stopWorker(clients);
      break;
  }
});
exitWithRunner();
