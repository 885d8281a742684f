/** What the resume storm's runner (bench/resume-storm.ts) and its workers say over IPC. */

/** Open `streams` streams that resume from `lastEventId`, all at once. */
export interface StormPlan {
  type: 'plan';
  port: number;
  /** The request path, the same for every stream. */
  path: string;
  /** The symbols every stream asked for. */
  symbols: string[];
  lastEventId: string;
  streams: number;
  /** Read and check every event, or read the response head and then nothing. */
  reading: boolean;
  connectTimeoutMs: number;
}

/** Ticks the server took, in the order of their ids: the history, then the live ticks. */
export interface Published {
  type: 'published';
  ids: string[];
  symbols: string[];
}

export interface ReportRequest {
  type: 'report';
  /** Everything is published: ids still unknown were never published. */
  final: boolean;
}

export interface StormStop {
  type: 'stop';
}

export type ToStormWorker = StormPlan | Published | ReportRequest | StormStop;

/** Every stream of the plan is established or refused. */
export interface StormOpened {
  type: 'opened';
}

export interface StormWorkerReport {
  type: 'report';
  established: number;
  /** Refusals by reason, such as `HTTP 429` or `timeout`. */
  refusals: Record<string, number>;
  /** Established streams the server ended. */
  endedByServer: number;
  /** Reading streams: tick events received and checked against what was published. */
  ticks: number;
  /** Ticks of a stream's symbols after its resume point that it skipped. */
  lost: number;
  /** Ticks that came again, or out of id order. */
  repeated: number;
  /** Ticks of symbols the stream did not ask for. */
  foreign: number;
  /** Tick ids that were never published. */
  unknown: number;
  resets: number;
  /** `event: error` frames, by reason. */
  errors: Record<string, number>;
  /** Ticks of their symbols already published that the streams have not received yet. */
  behind: number;
  behindMax: number;
}

export type FromStormWorker = StormOpened | StormWorkerReport;
