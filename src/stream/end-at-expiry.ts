import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { eventFrame, type Frame } from './frames.js';

/** setTimeout fires at once for delays past this (about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Ends a stream when its token expires, with an `error` event that says so: the client then
 * knows to get a new token rather than reconnect with the old one. The event repeats the id of
 * the last frame sent (or `resumeFrom`, the id the client came with, before any), so that a
 * client resuming with a fresh token loses nothing.
 */
export function endAtExpiry(expiresAt: number, resumeFrom = ''): MonoTypeOperatorFunction<Frame> {
  return (source) =>
    new Observable<Frame>((subscriber) => {
      let lastId = resumeFrom;
      let timer: NodeJS.Timeout | undefined;
      const expire = (): void => {
        const remaining = expiresAt - Date.now();
        if (remaining > 0) {
          timer = setTimeout(expire, Math.min(remaining, MAX_TIMEOUT_MS));
          return;
        }
        subscriber.next(
          eventFrame({
            type: 'error',
            id: lastId,
            data: {
              reason: 'token_expired',
              message: `the token expired at ${new Date(expiresAt).toISOString()}; reconnect with a new one`,
            },
          }),
        );
        subscriber.complete();
      };
      const subscription = source.subscribe({
        next: (frame) => {
          lastId = frame.id ?? lastId;
          subscriber.next(frame);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      expire();
      return () => {
        clearTimeout(timer);
        subscription.unsubscribe();
      };
    });
}
