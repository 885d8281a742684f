/** Latencies in whole milliseconds; anything longer is counted in the top bucket. */
const MAX_MS = 60_000;

/** `[milliseconds, count]` pairs of the non-empty buckets: what workers send over IPC. */
export type SparseHistogram = [number, number][];

/** Counts of latencies per whole millisecond, cheap to record and to merge across processes. */
export class LatencyHistogram {
  private readonly buckets = new Float64Array(MAX_MS + 1);
  private total = 0;
  private highest = 0;

  get count(): number {
    return this.total;
  }

  /** The largest latency recorded, even above the top bucket. */
  get max(): number {
    return this.highest;
  }

  record(ms: number): void {
    const bucket = ms <= 0 ? 0 : ms >= MAX_MS ? MAX_MS : ms;
    this.buckets[bucket]++;
    this.total++;
    if (ms > this.highest) {
      this.highest = ms;
    }
  }

  toSparse(): SparseHistogram {
    const pairs: SparseHistogram = [];
    this.buckets.forEach((count, ms) => {
      if (count > 0) {
        pairs.push([ms, count]);
      }
    });
    return pairs;
  }

  merge(pairs: SparseHistogram, max: number): void {
    for (const [ms, count] of pairs) {
      this.buckets[ms] += count;
      this.total += count;
    }
    this.highest = Math.max(this.highest, max);
  }

  /**
   * The latency that `fraction` of `population` events did not exceed. `population` may be larger
   * than the count recorded: events never received then count as slower than any received, and
   * the answer is Infinity when they reach the percentile.
   */
  percentile(fraction: number, population: number = this.total): number {
    const rank = Math.max(1, Math.ceil(fraction * population));
    let seen = 0;
    for (let ms = 0; ms <= MAX_MS; ms++) {
      seen += this.buckets[ms];
      if (seen >= rank) {
        return ms;
      }
    }
    return Infinity;
  }
}
