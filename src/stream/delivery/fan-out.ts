import type { Observer } from 'rxjs';

/**
 * Hands each value to every observer: a Subject without its per-delivery wrappers. This is where
 * a tick meets its subscribers, so it runs (ticks x subscribers) times; a Subject's `next` goes
 * through a Subscriber and a ConsumerObserver with a try/catch for each observer, which cost
 * measurably more per delivery (see docs/benchmarks.md, "Where an event's time goes").
 *
 * Observers are plain objects of ours that never throw on delivery; one may leave while a value is
 * handed out, and then gets nothing more.
 */
export class FanOut<T> {
  private readonly observers = new Set<Observer<T>>();

  get size(): number {
    return this.observers.size;
  }

  add(observer: Observer<T>): void {
    this.observers.add(observer);
  }

  /** Whether `observer` was one of them. */
  delete(observer: Observer<T>): boolean {
    return this.observers.delete(observer);
  }

  next(value: T): void {
    for (const observer of this.observers) {
      observer.next(value);
    }
  }

  /** Ends every observer with `error`; they are forgotten. */
  error(error: unknown): void {
    const observers = [...this.observers];
    this.observers.clear();
    observers.forEach((observer) => observer.error(error));
  }

  /** Completes every observer; they are forgotten. */
  complete(): void {
    const observers = [...this.observers];
    this.observers.clear();
    observers.forEach((observer) => observer.complete());
  }
}
