/** Takes bytes `[start, end)` of `bytes`, which the caller may reuse as soon as this returns. */
export interface ByteSink {
  feed(bytes: Uint8Array, start: number, end: number): void;
}
