/**
 * The fleet's REST limits as two atomic Lua steps, by Redis's clock:
 *
 * - ACQUIRE: breaker → global pause → route bucket → global window; grants only when all agree.
 * - REPORT: frees the permit, counts an invalid answer, learns the route's hash and the bucket's
 *   limit/remaining/reset from Discord's headers, pauses everyone after a global 429.
 *
 * A route bucket mirrors the RestClient's own Bucket, shared: per bucket hash + major parameter
 * (or per route template + major while no process knows the hash) a hash with `limit`
 * (-1 unknown, 0 unlimited), `remaining`, `resetAt`, `known`, `epoch`, `window`, and a sorted set
 * of the permits in flight. A window refills only once its reset has passed and nothing granted
 * in it is unanswered, so a slow answer cannot land in the next server window uncounted; while the
 * limit is unknown one request at a time goes, fleet-wide, to learn it.
 *
 * Bucket keys are built inside the scripts (the route's hash is read there), so this needs one
 * Redis, not a Cluster.
 */
import { LuaScript } from './redis.js';

/** Reply codes of ACQUIRE. */
export const GRANTED = 1;
export const GLOBAL_WAIT = 0;
export const BUCKET_WAIT = 2;
export const BREAKER_WAIT = 3;
export const BREAKER_OPEN = -1;

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

const BUCKET_STATE = `
local function loadBucket(bkey)
  local s = redis.call('HMGET', bkey, 'limit', 'remaining', 'resetAt', 'known', 'epoch', 'window')
  return {
    limit = tonumber(s[1]) or -1, remaining = tonumber(s[2]) or 0, resetAt = tonumber(s[3]) or 0,
    known = s[4] == '1', epoch = tonumber(s[5]) or 0, window = tonumber(s[6]) or 0
  }
end
local function saveBucket(bkey, b, now)
  redis.call('HSET', bkey, 'limit', b.limit, 'remaining', b.remaining, 'resetAt', b.resetAt,
    'known', b.known and '1' or '0', 'epoch', b.epoch, 'window', b.window)
  redis.call('PEXPIRE', bkey, 60000 + math.max(0, b.resetAt - now))
end
`;

/**
 * KEYS: routes, global, pause, invalid, pending.
 * ARGV: prefix, routeKey, route, major, localHash, globalLimit, globalWindow, invalidLimit,
 *       invalidWindow, inFlightTimeout, permit, poll.
 * Reply: {code, invalidCount, waitMs, bucketId, epoch}.
 */
export const ACQUIRE = new LuaScript(
  `${NOW}${BUCKET_STATE}
local prefix, routeKey, route, major, localHash = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local globalLimit, globalWindow = tonumber(ARGV[6]), tonumber(ARGV[7])
local invalidLimit, invalidWindow = tonumber(ARGV[8]), tonumber(ARGV[9])
local timeout, permit, poll = tonumber(ARGV[10]), ARGV[11], tonumber(ARGV[12])

redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - invalidWindow)
local invalid = redis.call('ZCARD', KEYS[4])
if invalid >= invalidLimit then
  local oldest = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
  return {-1, invalid, math.max(1, tonumber(oldest[2]) + invalidWindow - now), '', 0}
end
-- Every request in flight may come back invalid: none may push the count past the limit.
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - timeout)
if invalid + redis.call('ZCARD', KEYS[5]) >= invalidLimit then return {3, invalid, poll, '', 0} end

local paused = redis.call('PTTL', KEYS[3])
if paused > 0 then return {0, invalid, paused, '', 0} end

local hash = redis.call('HGET', KEYS[1], routeKey)
if not hash and localHash ~= '' then hash = localHash end
local id
if hash then id = hash .. ':' .. major else id = 'route:' .. route .. ':' .. major end
local bkey = prefix .. 'rest:b:' .. id
local fkey = bkey .. ':f'
redis.call('ZREMRANGEBYSCORE', fkey, '-inf', now - timeout)
local inflight = redis.call('ZCARD', fkey)
local b = loadBucket(bkey)
local take = false
local changed = false
-- A 429 on a bucket whose limit is unknown (or unlimited) still holds it until its retry_after.
if b.limit <= 0 and b.known and now < b.resetAt then return {2, invalid, b.resetAt - now, '', 0} end
if b.limit < 0 then
  -- Unknown limit: one request at a time, fleet-wide, learns it.
  if inflight > 0 then return {2, invalid, poll, '', 0} end
elseif b.limit > 0 then
  if b.known and now >= b.resetAt then
    if inflight > 0 then return {2, invalid, poll, '', 0} end
    b.epoch = b.epoch + 1
    b.remaining = b.limit
    b.known = false
    changed = true
  end
  if b.remaining <= 0 then
    if b.known then
      if changed then saveBucket(bkey, b, now) end
      return {2, invalid, math.max(1, b.resetAt - now), '', 0}
    end
    if inflight > 0 then
      if changed then saveBucket(bkey, b, now) end
      return {2, invalid, poll, '', 0}
    end
    -- No answer told the reset (network errors): assume a full window from now.
    b.resetAt = now + (b.window > 0 and b.window or 1000)
    b.known = true
    saveBucket(bkey, b, now)
    return {2, invalid, b.resetAt - now, '', 0}
  end
  take = true
end

redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - globalWindow)
if redis.call('ZCARD', KEYS[2]) >= globalLimit then
  if changed then saveBucket(bkey, b, now) end
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {0, invalid, math.max(1, tonumber(oldest[2]) + globalWindow - now), '', 0}
end
redis.call('ZADD', KEYS[2], now, permit)
redis.call('PEXPIRE', KEYS[2], globalWindow * 2)
if take then b.remaining = b.remaining - 1 end
saveBucket(bkey, b, now)
redis.call('ZADD', fkey, now, permit)
redis.call('PEXPIRE', fkey, timeout * 2)
redis.call('ZADD', KEYS[5], now, permit)
redis.call('PEXPIRE', KEYS[5], timeout * 2)
return {1, invalid, 0, id, b.epoch}
`,
  5
);

/**
 * KEYS: routes, pause, invalid, pending.
 * ARGV: prefix, routeKey, major, grantedId, grantedEpoch, permit, status, hash, limit, remaining,
 *       resetAfterMs (limit '' when the answer had no rate-limit headers), scope, retryAfterMs,
 *       invalidWindow.
 * Reply: the fleet's invalid count in the window.
 */
export const REPORT = new LuaScript(
  `${NOW}${BUCKET_STATE}
local prefix, routeKey, major, grantedId = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local grantedEpoch, permit, status = tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7])
local hash, limit, remaining, resetAfter = ARGV[8], tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])
local scope, retryAfter, invalidWindow = ARGV[12], tonumber(ARGV[13]), tonumber(ARGV[14])

redis.call('ZREM', KEYS[4], permit)
if grantedId ~= '' then redis.call('ZREM', prefix .. 'rest:b:' .. grantedId .. ':f', permit) end

if status == 401 or status == 403 or (status == 429 and scope ~= 'shared') then
  redis.call('ZADD', KEYS[3], now, permit)
  redis.call('PEXPIRE', KEYS[3], invalidWindow)
end
if status == 429 and scope == 'global' and redis.call('PTTL', KEYS[2]) < retryAfter then
  redis.call('SET', KEYS[2], '1', 'PX', math.max(1, math.ceil(retryAfter)))
end

local id = grantedId
if hash ~= '' then
  if redis.call('HGET', KEYS[1], routeKey) ~= hash then redis.call('HSET', KEYS[1], routeKey, hash) end
  redis.call('PEXPIRE', KEYS[1], 86400000)
  id = hash .. ':' .. major
end
if id ~= '' then
  local bkey = prefix .. 'rest:b:' .. id
  local b = loadBucket(bkey)
  if status == 429 and scope == 'user' then
    if b.limit <= 0 and limit then b.limit = limit end
    b.remaining = 0
    b.resetAt = math.max(b.resetAt, now + retryAfter)
    b.known = true
    saveBucket(bkey, b, now)
  elseif limit and not (status == 429) then
    local implied = now + resetAfter
    b.window = math.max(b.window, resetAfter)
    local others = redis.call('ZCARD', bkey .. ':f')
    if b.limit <= 0 then
      b.limit = limit
      b.remaining = math.max(0, remaining - others)
      b.resetAt = implied
      b.known = true
    else
      b.limit = limit
      if b.known and implied > b.resetAt + b.window / 2 then
        -- A later server window (the request was delayed, or the window rolled over): it becomes
        -- the current one, and whatever is still in flight may land in it too.
        b.epoch = b.epoch + 1
        b.remaining = math.max(0, remaining - others)
        b.resetAt = implied
      elseif grantedEpoch == b.epoch or grantedId ~= id then
        b.remaining = math.min(b.remaining, remaining)
        -- Each answer over-estimates the reset by its delivery time: the earliest is the tightest.
        if b.known then b.resetAt = math.min(b.resetAt, implied) else b.resetAt = implied end
        b.known = true
      end
    end
    saveBucket(bkey, b, now)
  elseif not limit and status >= 200 and status < 300 then
    -- A route Discord does not limit (no headers on a success).
    if b.limit < 0 then
      b.limit = 0
      saveBucket(bkey, b, now)
    end
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - invalidWindow)
return redis.call('ZCARD', KEYS[3])
`,
  4
);
