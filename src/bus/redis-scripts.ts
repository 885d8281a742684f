import { QUOTE_FIELD, STATUS_FIELD } from './redis-replies.js';

/**
 * Run before anything touches a missing stream: creates it with an origin entry deleted at
 * once, so that its max-deleted-entry-id marks where its history begins. A stream that Redis
 * lost (a restart without persistence) comes back with a new origin, above every id handed out
 * before, so those ids answer `reset` instead of resuming past the ticks that were lost.
 */
const ENSURE_STREAM = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('XDEL', KEYS[1], redis.call('XADD', KEYS[1], '*', 'origin', '1'))
end
`;

/**
 * The Lua scripts of the Redis bus, each run atomically. KEYS are the stream and the hash of
 * latest quotes in both.
 */
export const REDIS_SCRIPTS = {
  /**
   * ARGV: the MAXLEN bound, then the symbol and quote JSON of each tick. Appends the ticks in
   * order and records each as its symbol's latest quote in the same step, so that the latest
   * quotes always account for every entry up to the stream's head. Returns the ids.
   */
  tickstreamPublish: {
    numberOfKeys: 2,
    lua: `${ENSURE_STREAM}
local ids = {}
for i = 2, #ARGV, 2 do
  ids[#ids + 1] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', '${QUOTE_FIELD}', ARGV[i + 1])
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return ids`,
  },
  /**
   * KEYS: the stream and the hash of latest states. ARGV: the MAXLEN bound, the symbol and the
   * status JSON. Appends the change and records it as the symbol's state in the same step.
   * Returns the id.
   */
  tickstreamPublishStatus: {
    numberOfKeys: 2,
    lua: `${ENSURE_STREAM}
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', '${STATUS_FIELD}', ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return id`,
  },
  /**
   * KEYS: the stream, the hash of latest quotes and the hash of latest states. ARGV: symbols, or
   * none for every symbol. Returns XINFO STREAM and the latest quote and state JSON of the
   * symbols (nil where there is none), read together so they are exactly those up to the head.
   */
  tickstreamSnapshot: {
    numberOfKeys: 3,
    lua: `${ENSURE_STREAM}
local quotes = {}
local states = {}
if #ARGV == 0 then
  quotes = redis.call('HVALS', KEYS[2])
  states = redis.call('HVALS', KEYS[3])
else
  for i = 1, #ARGV do
    quotes[i] = redis.call('HGET', KEYS[2], ARGV[i])
    states[i] = redis.call('HGET', KEYS[3], ARGV[i])
  end
end
return {redis.call('XINFO', 'STREAM', KEYS[1]), quotes, states}`,
  },
} as const;
