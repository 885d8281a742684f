import { Observable } from 'rxjs';
import type { StreamEvent } from './stream-event.js';
import { subscribe, type SubscribeOptions } from './subscribe.js';

/**
 * The events of `subscribe(options)` as a cold Observable: each subscription opens its own
 * stream, and unsubscribing closes it. Ends on `options.signal`; a StreamHttpError is an error.
 */
export function toObservable(options: SubscribeOptions): Observable<StreamEvent> {
  return new Observable<StreamEvent>((subscriber) => {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    if (options.signal?.aborted) {
      abort();
    }
    options.signal?.addEventListener('abort', abort, { once: true });
    const run = async (): Promise<void> => {
      for await (const event of subscribe({ ...options, signal: controller.signal })) {
        subscriber.next(event);
      }
      subscriber.complete();
    };
    run().catch((error: unknown) => subscriber.error(error));
    return () => {
      options.signal?.removeEventListener('abort', abort);
      abort();
    };
  });
}
