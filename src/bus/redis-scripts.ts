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
 * A symbol's day after a trade (day-record.ts's dayAfterTick, the same fold): KEYS[2] holds the
 * latest quotes, KEYS[5] the days as JSON by symbol. Run before the trade is recorded as the
 * latest quote, whose price is the previous close when the trade begins a session. A day is
 * decoded once per call and written back once, by saveDays: a batch trades a symbol many times.
 */
const FOLD_DAY = `
local days = {}
local function foldDay(symbol, price, size, ts)
  local day = days[symbol]
  if not day then
    local stored = redis.call('HGET', KEYS[5], symbol)
    day = stored and cjson.decode(stored)
  end
  if not day or day.ended then
    local previousClose = cjson.null
    if day then
      previousClose = day.previousClose
      local latest = redis.call('HGET', KEYS[2], symbol)
      if latest then
        previousClose = cjson.decode(latest).price
      end
    end
    day = {symbol = symbol, open = cjson.null, high = cjson.null, low = cjson.null, volume = 0,
      previousClose = previousClose, lastTradeTs = cjson.null}
  end
  day.ended = false
  if day.open == cjson.null then
    day.open = price
    day.high = price
    day.low = price
  else
    day.high = math.max(day.high, price)
    day.low = math.min(day.low, price)
  end
  day.volume = day.volume + size
  if day.lastTradeTs == cjson.null or ts > day.lastTradeTs then
    day.lastTradeTs = ts
  end
  days[symbol] = day
end
local function saveDays()
  for symbol, day in pairs(days) do
    redis.call('HSET', KEYS[5], symbol, cjson.encode(day))
  end
end
`;

/**
 * Run first by the publishing scripts, whose KEYS[4] is the feed's fencing number and ARGV[1] the
 * number a write is made under ('' for a write no lease fences): see tickstreamPublish.
 */
const FENCE_CHECK = `
if ARGV[1] ~= '' then
  local current = redis.call('GET', KEYS[4])
  if current ~= ARGV[1] then
    return redis.error_reply('FENCED ' .. (current or 'none'))
  end
end
`;

/** The Lua scripts of the Redis bus and of the feed lease, each run atomically. */
export const REDIS_SCRIPTS = {
  /**
   * KEYS: the stream, the hash of latest quotes, the set of stopped (halted or closed) symbols,
   * the feed's fencing number and the hash of days. ARGV: the fencing number the write is made
   * under, or '' for a write that no lease fences (ingest); the MAXLEN bound; `drop` or `refuse`;
   * the number of distinct symbols of the whole batch and those symbols; then of each tick of
   * this part its symbol, quote JSON, size, price and ts (a size of 0, a quote without a trade,
   * leaves the day alone). A fenced write whose number is not the current one is refused before
   * anything is written (an error reply `FENCED <current>`): a feed that lost its lease, however
   * long it was paused, never writes after its successor. `refuse` refuses the part, publishing
   * nothing, when any symbol of the batch is stopped (an error reply `STOPPED <symbol>`): every
   * part of one batch runs in one transaction and sees the same set and fence, so a batch is
   * published whole or not at all. `drop` leaves out the ticks of stopped symbols. Appends the
   * ticks in order, records each as its symbol's latest quote and folds it into its day in the
   * same step, so that the latest quotes and days always account for every entry up to the
   * stream's head. Returns the ids, false (nil) for a tick left out.
   */
  tickstreamPublish: {
    numberOfKeys: 5,
    lua: `${FENCE_CHECK}${ENSURE_STREAM}${FOLD_DAY}
local distinct = tonumber(ARGV[4])
if ARGV[3] == 'refuse' then
  for i = 5, 4 + distinct do
    if redis.call('SISMEMBER', KEYS[3], ARGV[i]) == 1 then
      return redis.error_reply('STOPPED ' .. ARGV[i])
    end
  end
end
local ids = {}
for i = 5 + distinct, #ARGV, 5 do
  if ARGV[3] == 'drop' and redis.call('SISMEMBER', KEYS[3], ARGV[i]) == 1 then
    ids[#ids + 1] = false
  else
    ids[#ids + 1] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', '${QUOTE_FIELD}', ARGV[i + 1])
    if ARGV[i + 2] ~= '0' then
      foldDay(ARGV[i], tonumber(ARGV[i + 3]), tonumber(ARGV[i + 2]), tonumber(ARGV[i + 4]))
    end
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
end
saveDays()
return ids`,
  },
  /**
   * KEYS: the stream, the hash of latest states, the set of stopped symbols, the feed's fencing
   * number and the hash of days. ARGV: the fencing number (or ''), as for a tick; the MAXLEN
   * bound, the symbol, the status JSON and the state. Appends the change, records it as the
   * symbol's state and keeps the set in the same step, so that no tick of a stopped symbol is
   * published after its change; closing ends the symbol's session (its day). Returns the id.
   */
  tickstreamPublishStatus: {
    numberOfKeys: 5,
    lua: `${FENCE_CHECK}${ENSURE_STREAM}
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', '${STATUS_FIELD}', ARGV[4])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
if ARGV[5] == 'open' then
  redis.call('SREM', KEYS[3], ARGV[3])
else
  redis.call('SADD', KEYS[3], ARGV[3])
end
if ARGV[5] == 'closed' then
  local stored = redis.call('HGET', KEYS[5], ARGV[3])
  if stored then
    local day = cjson.decode(stored)
    day.ended = true
    redis.call('HSET', KEYS[5], ARGV[3], cjson.encode(day))
  end
end
return id`,
  },
  /**
   * KEYS: the stream, the hash of latest quotes, the hash of latest states and the hash of days.
   * ARGV: symbols, or none for every symbol. Returns XINFO STREAM and the latest quote, state and
   * day JSON of the symbols (nil where there is none), read together so they are exactly those
   * up to the head.
   */
  tickstreamSnapshot: {
    numberOfKeys: 4,
    lua: `${ENSURE_STREAM}
local quotes = {}
local states = {}
local days = {}
if #ARGV == 0 then
  quotes = redis.call('HVALS', KEYS[2])
  states = redis.call('HVALS', KEYS[3])
  days = redis.call('HVALS', KEYS[4])
else
  for i = 1, #ARGV do
    quotes[i] = redis.call('HGET', KEYS[2], ARGV[i])
    states[i] = redis.call('HGET', KEYS[3], ARGV[i])
    days[i] = redis.call('HGET', KEYS[4], ARGV[i])
  end
end
return {redis.call('XINFO', 'STREAM', KEYS[1]), quotes, states, days}`,
  },
  /**
   * KEYS: the feed lease (a hash: token, holder, fence) and the fencing number. ARGV: the
   * token of the process asking, its name for people, the lease's length in ms. Takes a free
   * lease: the fencing number grows by one with every new holder, and is written in the lease.
   * Returns the fencing number taken, or 0 and the name of the holder.
   */
  tickstreamTakeFeedLease: {
    numberOfKeys: 2,
    lua: `
local holder = redis.call('HGET', KEYS[1], 'holder')
if holder then
  return {0, holder}
end
local fence = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'holder', ARGV[2], 'fence', fence)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {fence, ARGV[2]}`,
  },
  /**
   * KEYS: the feed lease. ARGV: the holder's token and the lease's length in ms. Renews the
   * lease while the token holds it: 1, else 0 (it ran out, and maybe another took it).
   */
  tickstreamRenewFeedLease: {
    numberOfKeys: 1,
    lua: `
if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`,
  },
  /** KEYS: the feed lease. ARGV: the holder's token. Frees the lease if the token holds it. */
  tickstreamReleaseFeedLease: {
    numberOfKeys: 1,
    lua: `
if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
  },
} as const;
