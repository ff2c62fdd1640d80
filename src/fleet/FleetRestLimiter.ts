/**
 * REST limits that belong to the bot, not to a process, shared by every process through Redis:
 *
 * - the **global limit** (50 requests/s per token): a sliding-window log in a sorted set, one
 *   atomic Lua step per request ("room? then take it", by Redis's clock);
 * - the **invalid-request breaker** (Discord bans an IP at 10,000 401/403/429 in 10 minutes): every
 *   process records its invalid answers in one window; at `invalidLimit` every process refuses to
 *   send (`FleetBreakerOpenError`) until the window has drained below it.
 *
 * Each process's own RestClient limiter (buckets, local global limiter, local guard) stays the
 * fast path in front; this adds one Redis round trip per request. When Redis fails, the limiter
 * falls back to a conservative local share (`fallbackShare` of each limit), says so once per
 * outage, and goes back to Redis when it answers again.
 *
 * Wire it with `attachFleetLimiter(client.rest, limiter)`.
 */
import { randomBytes } from 'node:crypto';
import type { RateLimitEvent, RestClient } from '../rest/RestClient.js';
import { AthenaError, InvalidOptionError } from '../util/errors.js';
import { sleep } from '../util/sleep.js';
import { type FleetRedisClient, integers, isFleetRedisClient, LuaScript } from './redis.js';

/** The fleet has met `invalidLimit` invalid requests in the window: nobody sends until it drains. */
export class FleetBreakerOpenError extends AthenaError {
  override name = 'FleetBreakerOpenError';
  constructor(
    readonly invalidCount: number,
    readonly retryAfter: number
  ) {
    super(
      `REST refused: the fleet met ${invalidCount} invalid requests (401/403/429) in the window; ` +
        `sending again in ${Math.ceil(retryAfter / 1000)} s to stay clear of Discord's IP ban`
    );
  }
}

/** Reply `[status, wait]`: 1 = go, 0 = global full (wait ms), -1 = breaker open (count, wait ms). */
const TAKE = new LuaScript(
  `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local globalLimit = tonumber(ARGV[1])
local globalWindow = tonumber(ARGV[2])
local invalidLimit = tonumber(ARGV[3])
local invalidWindow = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - invalidWindow)
local invalid = redis.call('ZCARD', KEYS[2])
if invalid >= invalidLimit then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return {-1, invalid, math.max(1, tonumber(oldest[2]) + invalidWindow - now)}
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - globalWindow)
if redis.call('ZCARD', KEYS[1]) >= globalLimit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, 0, math.max(1, tonumber(oldest[2]) + globalWindow - now)}
end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], globalWindow * 2)
return {1, invalid, 0}
`,
  2
);

/** Record one invalid answer; reply: the fleet's count in the window. */
const RECORD_INVALID = new LuaScript(
  `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return redis.call('ZCARD', KEYS[1])
`,
  1
);

/** Options of a FleetRestLimiter: the Redis client, prefix, limits and the local share when Redis fails. */
export interface FleetRestLimiterOptions {
  /** Key prefix shared by the fleet (one bot per prefix). Default "athena:". */
  prefix?: string;
  /** Requests per `globalWindowMs` for the whole fleet. Default 50. */
  globalLimit?: number;
  /** Default 1000. */
  globalWindowMs?: number;
  /**
   * Added to the global window: a slot is granted by Redis's clock but counted by Discord on
   * arrival, after the process's own queues; the margin absorbs that drift. Default 50.
   */
  globalMarginMs?: number;
  /** Invalid requests (401, 403, non-shared 429) per window at which the fleet stops. Default 7500. */
  invalidLimit?: number;
  /** Default 600000 (Discord's 10 minutes). */
  invalidWindowMs?: number;
  /** Share of each limit this process uses alone while Redis is down. Default 0.25. */
  fallbackShare?: number;
  /**
   * Where warnings go (Redis down, falling back to the local share); default console.warn with an `[athena]`
   * prefix.
   */
  logger?: (message: string) => void;
}

/** Counters of a FleetRestLimiter: requests granted, waits, breaker trips and Redis failures. */
export interface FleetRestLimiterStats {
  /** Requests let through. */
  granted: number;
  /** Times a request waited for the fleet's global window. */
  globalWaits: number;
  /** Requests refused by the open breaker. */
  refused: number;
  /** Invalid answers this process recorded. */
  invalidRecorded: number;
  /** The fleet's invalid count as last seen. */
  fleetInvalid: number;
  /** Redis failures (each answered by the local fallback). */
  redisErrors: number;
  /** Whether the last decision was local (Redis down). */
  degraded: boolean;
}

/**
 * A REST limit shared by every process of a bot through Redis: the global window and the invalid-request
 * breaker.
 */
export class FleetRestLimiter {
  readonly stats: FleetRestLimiterStats = {
    granted: 0,
    globalWaits: 0,
    refused: 0,
    invalidRecorded: 0,
    fleetInvalid: 0,
    redisErrors: 0,
    degraded: false
  };
  private readonly keys: [string, string];
  private readonly globalLimit: number;
  private readonly globalWindow: number;
  private readonly invalidLimit: number;
  private readonly invalidWindow: number;
  private readonly share: number;
  private readonly log: (message: string) => void;
  private readonly owner = randomBytes(4).toString('hex');
  private counter = 0;
  /** Local fallback windows (timestamps), used only while Redis fails. */
  private readonly localGlobal: number[] = [];
  private readonly localInvalid: number[] = [];

  constructor(
    private readonly redis: FleetRedisClient,
    options: FleetRestLimiterOptions = {}
  ) {
    if (!isFleetRedisClient(redis)) throw new InvalidOptionError('redis', 'a Redis client (ioredis works)', redis);
    const prefix = options.prefix ?? 'athena:';
    if (typeof prefix !== 'string') throw new InvalidOptionError('prefix', 'a string', prefix);
    this.keys = [`${prefix}rest:global`, `${prefix}rest:invalid`];
    this.globalLimit = int('globalLimit', options.globalLimit, 50);
    const margin = options.globalMarginMs ?? 50;
    if (typeof margin !== 'number' || !Number.isSafeInteger(margin) || margin < 0) {
      throw new InvalidOptionError('globalMarginMs', 'a non-negative integer of ms', margin);
    }
    this.globalWindow = int('globalWindowMs', options.globalWindowMs, 1000) + margin;
    this.invalidLimit = int('invalidLimit', options.invalidLimit, 7500);
    this.invalidWindow = int('invalidWindowMs', options.invalidWindowMs, 600_000);
    const share = options.fallbackShare ?? 0.25;
    if (typeof share !== 'number' || !(share > 0 && share <= 1)) {
      throw new InvalidOptionError('fallbackShare', 'a number in (0, 1]', share);
    }
    this.share = share;
    this.log = options.logger ?? ((message) => console.warn(`[athena] ${message}`));
  }

  /** Resolves when this request may be sent; rejects with FleetBreakerOpenError when the fleet must stop. */
  async take(): Promise<void> {
    for (;;) {
      let status: number;
      let count: number;
      let wait: number;
      try {
        [status, count, wait] = integers(
          await TAKE.run(this.redis, this.keys, [
            this.globalLimit,
            this.globalWindow,
            this.invalidLimit,
            this.invalidWindow,
            `${this.owner}:${++this.counter}`
          ]),
          3
        );
        this.recovered();
      } catch (error) {
        [status, count, wait] = this.takeLocally(error as Error);
      }
      if (status === 1) {
        this.stats.granted++;
        return;
      }
      if (status === -1) {
        this.stats.refused++;
        this.stats.fleetInvalid = count;
        throw new FleetBreakerOpenError(count, wait);
      }
      this.stats.globalWaits++;
      await sleep(wait);
    }
  }

  /** Tell the fleet about an answer: 401, 403 and 429 other than scope "shared" count as invalid. */
  async record(status: number, scope?: string): Promise<void> {
    const invalid = status === 401 || status === 403 || (status === 429 && scope !== 'shared');
    if (!invalid) return;
    this.stats.invalidRecorded++;
    try {
      const reply = await RECORD_INVALID.run(
        this.redis,
        [this.keys[1]],
        [this.invalidWindow, `${this.owner}:${++this.counter}`]
      );
      this.stats.fleetInvalid = Number(reply);
      this.recovered();
    } catch (error) {
      this.degrade(error as Error);
      this.localInvalid.push(Date.now());
    }
  }

  private takeLocally(error: Error): [number, number, number] {
    this.degrade(error);
    const now = Date.now();
    prune(this.localInvalid, now - this.invalidWindow);
    prune(this.localGlobal, now - this.globalWindow);
    const invalidShare = Math.max(1, Math.floor(this.invalidLimit * this.share));
    if (this.localInvalid.length >= invalidShare) {
      return [-1, this.localInvalid.length, this.localInvalid[0] + this.invalidWindow - now];
    }
    const globalShare = Math.max(1, Math.floor(this.globalLimit * this.share));
    if (this.localGlobal.length >= globalShare)
      return [0, 0, Math.max(1, this.localGlobal[0] + this.globalWindow - now)];
    this.localGlobal.push(now);
    return [1, this.localInvalid.length, 0];
  }

  private degrade(error: Error): void {
    this.stats.redisErrors++;
    if (this.stats.degraded) return;
    this.stats.degraded = true;
    this.log(
      `fleet REST limiter: Redis failed (${error.message}); using a local share of ${Math.round(this.share * 100)}% ` +
        'of the global and invalid-request limits until it answers'
    );
  }

  private recovered(): void {
    if (!this.stats.degraded) return;
    this.stats.degraded = false;
    this.log('fleet REST limiter: Redis answers again; limits are fleet-wide again');
  }
}

/**
 * Route a RestClient's requests through the fleet limiter: each request takes a fleet-global slot
 * first, and 401/403 answers and rate limits are recorded fleet-wide. Retries inside the
 * RestClient (5xx, 429) are paced by its own limiters only. Returns a function that detaches.
 */
export function attachFleetLimiter(rest: RestClient, limiter: FleetRestLimiter): () => void {
  const original = rest.request;
  const onRateLimit = (event: RateLimitEvent) => {
    void limiter.record(429, event.scope);
  };
  rest.on('rateLimit', onRateLimit);
  type Args = Parameters<RestClient['request']>;
  rest.request = async function fleetRequest<T>(method: Args[0], path: Args[1], options?: Args[2]): Promise<T> {
    await limiter.take();
    try {
      return await original.call<RestClient, Args, Promise<T>>(rest, method, path, options);
    } catch (error) {
      const status = (error as { status?: unknown } | null)?.status;
      if (status === 401 || status === 403) await limiter.record(status);
      throw error;
    }
  };
  return () => {
    rest.request = original;
    rest.off('rateLimit', onRateLimit);
  };
}

function prune(list: number[], before: number): void {
  let drop = 0;
  while (drop < list.length && list[drop] <= before) drop++;
  if (drop > 0) list.splice(0, drop);
}

function int(option: string, value: unknown, fallback: number): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
    throw new InvalidOptionError(option, 'a positive integer', value);
  return v;
}
