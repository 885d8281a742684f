/** Prints closer together than this are kept as one: the band needs no finer reference. */
const PRINT_SPACING_MS = 1_000;

/** A price a symbol traded at, and when. */
interface Print {
  time: number;
  price: number;
}

/**
 * A limit-up/limit-down style rule: a symbol whose price moves more than `bandPct` % away from
 * where it traded `windowMs` before (its first price, early on) is to be halted. What it reports
 * is why, in words, or undefined while the symbol stays in its band.
 */
export class LimitBands {
  private readonly prints = new Map<string, Print[]>();

  constructor(
    private readonly bandPct: number,
    private readonly windowMs: number,
  ) {}

  /** Takes a trade; says why the symbol must halt, if it must. */
  check(symbol: string, price: number, time: number): string | undefined {
    let prints = this.prints.get(symbol);
    if (!prints) {
      prints = [];
      this.prints.set(symbol, prints);
    }
    while (prints.length > 1 && prints[1].time <= time - this.windowMs) {
      prints.shift();
    }
    const last = prints.at(-1);
    if (!last || time - last.time >= PRINT_SPACING_MS) {
      prints.push({ time, price });
    }
    const reference = prints[0];
    const move = (price / reference.price - 1) * 100;
    if (Math.abs(move) <= this.bandPct) {
      return undefined;
    }
    const seconds = Math.max(1, Math.round((time - reference.time) / 1000));
    const sign = move > 0 ? '+' : '';
    return `limit up-limit down: ${sign}${move.toFixed(1)} % in ${seconds} s (band ${this.bandPct} %)`;
  }

  /** Forgets a symbol's prints: it reopens with a band around its reopening price. */
  reset(symbol: string): void {
    this.prints.delete(symbol);
  }
}
