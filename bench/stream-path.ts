import { PATHS, STREAM_PARAMS } from '@tickstream/client/contract';

/** The request path of a stream of `symbols` at `throttleMs`, as every load client asks it. */
export function streamPath(symbols: readonly string[], throttleMs: number): string {
  return (
    `/${PATHS.stream}?${STREAM_PARAMS.symbols}=${symbols.join(',')}` +
    `&${STREAM_PARAMS.throttle}=${throttleMs}`
  );
}
