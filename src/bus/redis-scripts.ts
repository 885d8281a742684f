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
   * KEYS: the stream, the hash of latest quotes and the set of stopped (halted or closed)
   * symbols. ARGV: the MAXLEN bound; `drop` or `refuse`; the number of distinct symbols of the
   * whole batch and those symbols; then the symbol and quote JSON of each tick of this part.
   * `refuse` refuses the part, publishing nothing, when any symbol of the batch is stopped (an
   * error reply `STOPPED <symbol>`): every part of one batch runs in one transaction and sees the
   * same set, so a batch is published whole or not at all. `drop` leaves out the ticks of stopped
   * symbols. Appends the ticks in order and records each as its symbol's latest quote in the same
   * step, so that the latest quotes always account for every entry up to the stream's head.
   * Returns the ids, false (nil) for a tick left out.
   */
  tickstreamPublish: {
    numberOfKeys: 3,
    lua: `${ENSURE_STREAM}
local distinct = tonumber(ARGV[3])
if ARGV[2] == 'refuse' then
  for i = 4, 3 + distinct do
    if redis.call('SISMEMBER', KEYS[3], ARGV[i]) == 1 then
      return redis.error_reply('STOPPED ' .. ARGV[i])
    end
  end
end
local ids = {}
for i = 4 + distinct, #ARGV, 2 do
  if ARGV[2] == 'drop' and redis.call('SISMEMBER', KEYS[3], ARGV[i]) == 1 then
    ids[#ids + 1] = false
  else
    ids[#ids + 1] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', '${QUOTE_FIELD}', ARGV[i + 1])
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
end
return ids`,
  },
  /**
   * KEYS: the stream, the hash of latest states and the set of stopped symbols. ARGV: the MAXLEN
   * bound, the symbol, the status JSON and the state. Appends the change, records it as the
   * symbol's state and keeps the set in the same step, so that no tick of a stopped symbol is
   * published after its change. Returns the id.
   */
  tickstreamPublishStatus: {
    numberOfKeys: 3,
    lua: `${ENSURE_STREAM}
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', '${STATUS_FIELD}', ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
if ARGV[4] == 'open' then
  redis.call('SREM', KEYS[3], ARGV[2])
else
  redis.call('SADD', KEYS[3], ARGV[2])
end
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
