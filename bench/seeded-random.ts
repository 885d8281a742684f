/**
 * A small seedable generator (xorshift32): the same seed gives the bench's markets and its
 * connections the same choices on every run.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // xorshift never leaves 0.
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }
}
