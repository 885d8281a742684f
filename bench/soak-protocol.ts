/** What the soak's server process and its client process say to each other. */
export interface SoakPlan {
  url: string;
  secret: string;
  durationMs: number;
  concurrency: number;
  symbols: string[];
  /** Subjects a client picks from; one of them, "hog", always asks for more than its share. */
  subjects: number;
}

export type Outcome =
  | 'stream'
  | 'aborted early'
  | 'slow reader'
  | 'expired mid-stream'
  | '400'
  | '401'
  | '403'
  | '429'
  | 'other status'
  | 'network error';

export interface SoakReport {
  connects: number;
  outcomes: Partial<Record<Outcome, number>>;
  bytes: number;
}
