/**
 * The number a feed's writes are made under: it grows with every new holder of the lease, and
 * the log refuses a write whose number is not the current one.
 */
export type Fence = number;

/** What this process knows of the feed lease. */
export type LeaseState =
  | { kind: 'held'; fence: Fence; holder: string }
  /** Another holds it (`holder`, when it has been seen): this process waits to take over. */
  | { kind: 'standby'; holder: string | undefined }
  /** This process is not a feed. */
  | { kind: 'none' };

/** Told when this process takes the lease and when it loses it. */
export interface LeaseHolder {
  /** Taken under `fence`: the holder writes with it from now on. */
  took(fence: Fence): Promise<void>;
  /** No longer this process's: the holder stops writing at once. */
  lost(): void;
}

/** Raised when the log refuses a write because its fencing number is no longer the current one. */
export class FencedError extends Error {
  constructor(
    readonly fence: Fence,
    readonly current: string,
  ) {
    super(`a write under fence ${fence} was refused: the current fence is ${current}`);
  }
}

/**
 * One feed at a time: the process that holds the lease writes the simulated market, a second one
 * waits as a standby and takes over when the holder dies or gives the lease up. Also the DI token.
 */
export abstract class FeedLease {
  /** The name this process goes by in the lease, for people: host and process id. */
  abstract readonly name: string;

  abstract readonly state: LeaseState;

  /**
   * Competes for the lease until released: `holder` is told each time it is taken or lost.
   * Resolves once the first attempt is over (and, if it took the lease, `holder.took` too).
   */
  abstract compete(holder: LeaseHolder): Promise<void>;

  /**
   * A write under `fence` was refused, the log's fence being `current` (another holder's, or
   * none when Redis lost its keys): the lease is lost, whatever its renewals said.
   */
  abstract fenced(fence: Fence, current: string): void;

  /** Stops competing and frees the lease at once if held, so a standby need not wait it out. */
  abstract release(): Promise<void>;
}
