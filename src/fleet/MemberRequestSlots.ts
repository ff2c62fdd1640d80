/**
 * Discord answers a second whole-member-list request (op 8, query '' limit 0) for the same guild
 * within 30 s with RATE_LIMITED, whichever shard, process or host sent it: the limit is per bot.
 * A slot is the right to send one such request for one guild; taking it blocks every other taker
 * of the same guild for the cooldown.
 *
 * - `LocalMemberRequestSlots`: one process (the Client's default).
 * - `RedisMemberRequestSlots`: a fleet sharing one Redis and prefix. The slot is a key taken with
 *   `SET NX PX` (in one Lua step that also answers the holder's remaining time, so a waiter sleeps
 *   exactly that long), so two processes asking for the same guild are spaced by the cooldown.
 *
 * Both add `marginMs` to the cooldown: a slot is taken a moment before the request reaches the
 * gateway, and Discord counts from its arrival.
 *
 * While Redis fails, `RedisMemberRequestSlots` falls back to slots of this process (and says so
 * once): requests from two processes may then meet RATE_LIMITED, which the scheduler waits out.
 */
import { randomBytes } from 'node:crypto';
import { InvalidOptionError } from '../util/errors.js';
import { sleep } from '../util/sleep.js';
import { type FleetRedisClient, integers, isFleetRedisClient, LuaScript } from './redis.js';

/** Where whole-member-list requests take their per-guild slot (see MemberChunkScheduler). */
export interface MemberRequestSlots {
  /** Resolves once this caller holds the guild's slot (waiting out another holder's cooldown). */
  acquire(guildID: string, signal?: AbortSignal): Promise<void>;
  /** Discord answered RATE_LIMITED: keep everyone off this guild for `retryAfterMs`. */
  block(guildID: string, retryAfterMs: number): Promise<void>;
}

/** Timing of the slots: the cooldown Discord enforces and the margin added to it. */
export interface MemberRequestSlotsOptions {
  /** Discord's cooldown per guild in ms. Default 30000 (lower it only against a simulator). */
  cooldownMs?: number;
  /** Added to the cooldown. Default 500. */
  marginMs?: number;
}

/** Options of a RedisMemberRequestSlots: the fleet's key prefix, the timing and where warnings go. */
export interface RedisMemberRequestSlotsOptions extends MemberRequestSlotsOptions {
  /** Key prefix shared by the fleet (one bot per prefix). Default "athena:". */
  prefix?: string;
  /** Where the fallback warning goes. Default console.warn. */
  logger?: (message: string) => void;
}

/** Counters of a slots implementation: slots granted, and how often and how long takers waited. */
export interface MemberRequestSlotsStats {
  granted: number;
  /** Acquisitions that had to wait for another holder's cooldown. */
  waited: number;
  /** Total time waited in ms. */
  waitedMs: number;
  /** RATE_LIMITED answers turned into a block. */
  blocked: number;
  /** Slots taken or blocks kept in this process because Redis failed (RedisMemberRequestSlots). */
  fallbacks: number;
}

function timing(options: MemberRequestSlotsOptions): { cooldownMs: number; marginMs: number } {
  const cooldownMs = options.cooldownMs ?? 30_000;
  const marginMs = options.marginMs ?? 500;
  if (!Number.isSafeInteger(cooldownMs) || cooldownMs < 1) {
    throw new InvalidOptionError('cooldownMs', 'a positive integer of ms', cooldownMs);
  }
  if (!Number.isSafeInteger(marginMs) || marginMs < 0) {
    throw new InvalidOptionError('marginMs', 'a non-negative integer of ms', marginMs);
  }
  return { cooldownMs, marginMs };
}

function checkGuild(guildID: unknown): asserts guildID is string {
  if (typeof guildID !== 'string' || !/^\d{1,20}$/.test(guildID)) {
    throw new InvalidOptionError('guildID', 'a snowflake string', guildID);
  }
}

/** Slots for one process: a map of guild id to the time its slot frees. */
export class LocalMemberRequestSlots implements MemberRequestSlots {
  readonly stats: MemberRequestSlotsStats = { granted: 0, waited: 0, waitedMs: 0, blocked: 0, fallbacks: 0 };
  private readonly holdMs: number;
  private readonly freeAt = new Map<string, number>();

  constructor(options: MemberRequestSlotsOptions = {}) {
    const { cooldownMs, marginMs } = timing(options ?? {});
    this.holdMs = cooldownMs + marginMs;
  }

  async acquire(guildID: string, signal?: AbortSignal): Promise<void> {
    checkGuild(guildID);
    const started = Date.now();
    let slept = false;
    for (;;) {
      const now = Date.now();
      const free = this.freeAt.get(guildID) ?? 0;
      if (free <= now) {
        this.freeAt.set(guildID, now + this.holdMs);
        this.stats.granted++;
        if (slept) {
          this.stats.waited++;
          this.stats.waitedMs += now - started;
        }
        this.prune(now);
        return;
      }
      // Another waiter may take the slot first when it frees: then wait again.
      slept = true;
      await sleep(free - now, signal);
    }
  }

  async block(guildID: string, retryAfterMs: number): Promise<void> {
    checkGuild(guildID);
    this.stats.blocked++;
    const until = Date.now() + Math.max(0, retryAfterMs);
    this.freeAt.set(guildID, Math.max(until, this.freeAt.get(guildID) ?? 0));
  }

  /** Forget slots long free, so a bot asking for many guilds does not keep one entry per guild. */
  private prune(now: number): void {
    if (this.freeAt.size < 1024) return;
    for (const [guild, free] of this.freeAt) if (free <= now) this.freeAt.delete(guild);
  }
}

/** SET NX PX the guild's key; when taken, answer the holder's remaining ms instead. */
const TAKE_SLOT = new LuaScript(
  `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, 0} end
local left = redis.call('PTTL', KEYS[1])
return {0, left}`,
  1
);

/** Slots shared by a fleet through Redis: `<prefix>op8:<guildID>`, taken with SET NX PX. */
export class RedisMemberRequestSlots implements MemberRequestSlots {
  readonly stats: MemberRequestSlotsStats = { granted: 0, waited: 0, waitedMs: 0, blocked: 0, fallbacks: 0 };
  readonly prefix: string;
  private readonly holdMs: number;
  private readonly local: LocalMemberRequestSlots;
  private readonly log: (message: string) => void;
  private warned = false;
  /** Identifies this process's slots in Redis (the key's value), for debugging a stuck guild. */
  private readonly token = randomBytes(8).toString('hex');

  constructor(
    private readonly redis: FleetRedisClient,
    options: RedisMemberRequestSlotsOptions = {}
  ) {
    if (!isFleetRedisClient(redis)) throw new InvalidOptionError('redis', 'a Redis client (ioredis works)', redis);
    const o = options ?? {};
    const prefix = o.prefix ?? 'athena:';
    if (typeof prefix !== 'string') throw new InvalidOptionError('prefix', 'a string', prefix);
    this.prefix = prefix;
    const { cooldownMs, marginMs } = timing(o);
    this.holdMs = cooldownMs + marginMs;
    this.local = new LocalMemberRequestSlots({ cooldownMs, marginMs });
    if (o.logger !== undefined && typeof o.logger !== 'function') {
      throw new InvalidOptionError('logger', 'a function', o.logger);
    }
    this.log = o.logger ?? ((message) => console.warn(`[athena] ${message}`));
  }

  /** The key of a guild's slot. */
  keyOf(guildID: string): string {
    return `${this.prefix}op8:${guildID}`;
  }

  async acquire(guildID: string, signal?: AbortSignal): Promise<void> {
    checkGuild(guildID);
    const started = Date.now();
    let slept = false;
    for (;;) {
      signal?.throwIfAborted();
      let taken: number;
      let left: number;
      try {
        const reply = await TAKE_SLOT.run(this.redis, [this.keyOf(guildID)], [this.token, this.holdMs]);
        [taken, left] = integers(reply, 2);
      } catch (error) {
        this.fallBack(error);
        await this.local.acquire(guildID, signal);
        this.stats.granted++;
        return;
      }
      if (this.warned) {
        this.warned = false;
        this.log('member request slots: Redis answers again; whole-list requests are spaced fleet-wide');
      }
      if (taken === 1) {
        this.stats.granted++;
        if (slept) {
          this.stats.waited++;
          this.stats.waitedMs += Date.now() - started;
        }
        return;
      }
      slept = true;
      // A key without expiry (-1) should not exist; wait a full hold rather than spin on it.
      await sleep(left > 0 ? left : left === -1 ? this.holdMs : 10, signal);
    }
  }

  async block(guildID: string, retryAfterMs: number): Promise<void> {
    checkGuild(guildID);
    this.stats.blocked++;
    // Kept here too: when Redis fails at the next acquire, this process still honours it.
    await this.local.block(guildID, retryAfterMs);
    try {
      await this.redis.set(this.keyOf(guildID), this.token, 'PX', Math.max(1, Math.ceil(retryAfterMs)));
    } catch (error) {
      this.fallBack(error);
    }
  }

  private fallBack(error: unknown): void {
    this.stats.fallbacks++;
    if (this.warned) return;
    this.warned = true;
    this.log(
      `member request slots: Redis failed (${(error as Error)?.message ?? String(error)}); ` +
        'spacing whole-list requests in this process only until it answers'
    );
  }
}
