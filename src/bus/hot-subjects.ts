import { Observable, Subject } from 'rxjs';
import { KeyedHub, type Lease } from './keyed-hub.js';

/** A key's Subject, and its place in the hub, let go once nobody observes it. */
class HotSubject<T> extends Subject<T> {
  constructor(readonly lease: Lease) {
    super();
  }
}

/**
 * One hot Subject per key while anyone subscribes to it, so that a value costs work only for the
 * subscribers of its own key: a symbol's events on the bus, a symbol's bars at an interval.
 */
export class HotSubjects<K, T> {
  private readonly hub: KeyedHub<K, HotSubject<T>>;
  private subscribers = 0;

  constructor(keyOf: (key: K) => string) {
    this.hub = new KeyedHub(keyOf, { make: (_key, lease) => new HotSubject<T>(lease) });
  }

  /** Open subscriptions, for leak checks and metrics. */
  get subscriberCount(): number {
    return this.subscribers;
  }

  /** Whether anyone subscribes to `key`. */
  has(key: K): boolean {
    return this.hub.find(key) !== undefined;
  }

  emit(key: K, value: T): void {
    this.hub.find(key)?.next(value);
  }

  of(key: K): Observable<T> {
    return new Observable<T>((subscriber) => {
      const subject = this.hub.acquire(key);
      const subscription = subject.subscribe(subscriber);
      this.subscribers++;
      return () => {
        subscription.unsubscribe();
        this.subscribers--;
        if (!subject.observed) {
          subject.lease.release();
        }
      };
    });
  }

  /** Ends every subscription with `error`; later subscribers start afresh. */
  fail(error: unknown): void {
    this.hub.clear().forEach((subject) => subject.error(error));
  }

  /** Ends every subscription, so that they complete on shutdown. */
  complete(): void {
    this.hub.clear().forEach((subject) => subject.complete());
  }
}
