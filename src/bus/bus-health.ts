import { ServiceUnavailableException } from '@nestjs/common';

/** Raised when the bus cannot be reached (Redis down); clients get a 503 and try again. */
export class BusUnavailableError extends ServiceUnavailableException {
  constructor(cause: unknown) {
    super('the tick bus is unavailable, try again shortly', { cause });
  }
}

/** Whether the bus works, and where it is: for readiness and the start-up log. Also the DI token. */
export abstract class BusHealth {
  /** Whether the bus can publish and deliver now; for readiness checks. */
  abstract readonly ready: boolean;

  /** Where the log is kept, for the start-up log: never a password. */
  abstract readonly location: string;
}
