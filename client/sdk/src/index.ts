export * from './contract/index.js';
export { toObservable } from './observable.js';
export { retryAfterMs } from './retry-after.js';
export type { StreamEvent } from './stream-event.js';
export { StreamHttpError } from './stream-http-error.js';
export { subscribe, type SubscribeOptions, type Subscription } from './subscribe.js';
