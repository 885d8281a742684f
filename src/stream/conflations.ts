import type { Observer } from 'rxjs';
import type { TickBus } from '../bus/tick-bus.js';
import type { TickFrame } from './frame.js';
import { SymbolConflation } from './symbol-conflation.js';
import { WindowClock } from './window-clock.js';

/**
 * Throttled streams share their conflation: each symbol is conflated once per throttle value,
 * however many streams read it, so that per-tick work does not grow with subscribers.
 */
export class Conflations {
  private readonly byKey = new Map<string, SymbolConflation>();
  private readonly clock = new WindowClock();

  constructor(
    private readonly bus: TickBus,
    private readonly onSuperseded: (count: number) => void,
  ) {}

  /** Hands `reader` the releases of `symbol` at `windowMs` until it leaves them. */
  join(symbol: string, windowMs: number, reader: Observer<TickFrame>): SymbolConflation {
    const key = `${windowMs} ${symbol}`;
    let conflation = this.byKey.get(key);
    if (!conflation) {
      const created = new SymbolConflation(
        this.bus.ticks(symbol),
        windowMs,
        this.clock,
        this.onSuperseded,
        () => {
          if (this.byKey.get(key) === created) {
            this.byKey.delete(key);
          }
        },
      );
      this.byKey.set(key, created);
      conflation = created;
    }
    conflation.join(reader);
    return conflation;
  }
}
