/**
 * The identify coordinator's Lua, run atomically by Redis so no two hosts can interleave between
 * "is the budget left?", "is it my turn in this bucket?" and "take the 5 s slot".
 *
 * Keys of one bucket: `identify:<b>` (the slot: SET NX PX, the same key the cluster's
 * RedisIdentifyQueue takes, so both kinds of hosts can share a fleet), `identify:<b>:waiters` (a
 * sorted set of waiting shard ids, score = shard id: the lowest goes first, which is the order
 * Discord asks for) and `identify:<b>:waiting` (per waiting shard "registeredAt:lastSeen" in ms of
 * Redis's clock, so a crashed host's waiters go stale and a late lower shard gets `gather` ms to
 * show up before a higher one takes the slot).
 */
import { LuaScript } from './redis.js';

/** Reply `[status, remaining, waitMs]`: status 1 = go, 0 = wait, -1 = budget spent, -2 = budget unknown. */
export const ACQUIRE_IDENTIFY = new LuaScript(
  `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local shard = ARGV[1]
local window = tonumber(ARGV[3])
local gather = tonumber(ARGV[4])
local stale = tonumber(ARGV[5])
local reserve = tonumber(ARGV[6])
local guard = ARGV[7] == '1'
local remaining = -1
if guard then
  local r = redis.call('GET', KEYS[4])
  if not r then return {-2, 0, 0} end
  remaining = tonumber(r)
  if remaining <= reserve then
    redis.call('ZREM', KEYS[2], shard)
    redis.call('HDEL', KEYS[3], shard)
    return {-1, remaining, math.max(0, redis.call('PTTL', KEYS[4]))}
  end
end
local since = now
local info = redis.call('HGET', KEYS[3], shard)
if info then since = tonumber(string.match(info, '^(%d+)')) end
redis.call('ZADD', KEYS[2], tonumber(shard), shard)
redis.call('HSET', KEYS[3], shard, since .. ':' .. now)
redis.call('PEXPIRE', KEYS[2], stale * 4)
redis.call('PEXPIRE', KEYS[3], stale * 4)
while true do
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if head == shard then break end
  local seen = 0
  local hinfo = redis.call('HGET', KEYS[3], head)
  if hinfo then seen = tonumber(string.match(hinfo, ':(%d+)$')) end
  if now - seen <= stale then return {0, remaining, -1} end
  redis.call('ZREM', KEYS[2], head)
  redis.call('HDEL', KEYS[3], head)
end
if now - since < gather then return {0, remaining, gather - (now - since)} end
if redis.call('SET', KEYS[1], ARGV[2], 'PX', window, 'NX') then
  redis.call('ZREM', KEYS[2], shard)
  redis.call('HDEL', KEYS[3], shard)
  if guard then remaining = redis.call('DECR', KEYS[4]) end
  return {1, remaining, 0}
end
return {0, remaining, math.max(0, redis.call('PTTL', KEYS[1]))}
`,
  4
);

/**
 * Seed or lower the fleet's budget from GET /gateway/bot. Never raises it within a window: another
 * host's identifies may not show in Discord's number yet, and the lower count is the safe one.
 * Reply: the budget now in Redis.
 */
export const SYNC_BUDGET = new LuaScript(
  `
local r = tonumber(ARGV[1])
local cur = redis.call('GET', KEYS[1])
if cur then
  if tonumber(cur) < r then r = tonumber(cur) end
  redis.call('SET', KEYS[1], r, 'KEEPTTL')
else
  redis.call('SET', KEYS[1], r, 'PX', math.max(1, tonumber(ARGV[2])))
end
return r
`,
  1
);

/** Step out of a bucket's line (an aborted waiter). */
export const LEAVE_LINE = new LuaScript(
  `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
`,
  2
);

/** Restart a held bucket slot's window from now (the identify was just sent); a slot gone stays gone. */
export const RESTART_SLOT = new LuaScript(
  `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
  return 1
end
return 0
`,
  1
);
