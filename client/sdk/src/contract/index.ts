// The wire contract of tickstream: what goes over HTTP between the server and its clients.
// Plain TypeScript with no import of Node or of any framework, so that the server, this client,
// the page, the CLI, the benchmark and the tests all share one definition.
export * from './candle.js';
export * from './day.js';
export * from './event-id.js';
export * from './events.js';
export * from './http.js';
export * from './market.js';
export * from './quote.js';
export * from './sse-frame.js';
export * from './sse-parser.js';
export * from './symbol.js';
export * from './symbol-info.js';
