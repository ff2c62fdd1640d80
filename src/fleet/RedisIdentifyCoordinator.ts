/**
 * Identify coordination for a fleet of hosts through Redis: an `IdentifyQueue` every host of a bot
 * shares (same Redis, same prefix).
 *
 * - **Bucket rule**: one identify per `shard_id % max_concurrency` bucket per window (5 s), fleet
 *   wide: the slot is a `SET NX PX` key, the same one the cluster's `RedisIdentifyQueue` takes.
 * - **Order**: within a bucket the lowest waiting shard id goes first, whichever host it lives on,
 *   so buckets advance round by round (shards 0..c-1, then c..2c-1, …) as Discord asks. A new
 *   waiter gets `gatherMs` before taking a free slot so lower shards starting at the same moment
 *   on another host get in line first; waiters of a dead host go stale after `staleMs`.
 * - **Daily budget**: `session_start_limit.remaining` is read from GET /gateway/bot (the
 *   `sessionStartLimit` callback), kept in Redis with the reset as TTL and decremented atomically
 *   with each slot taken. At `reserve` left, identifies are refused with `SessionStartLimitError`
 *   (loud warning, `stats.refused`): Athena refuses, not Discord, whose answer to repeated
 *   over-budget identifies is a token reset.
 *
 * Every step is one Lua script (see identifyScripts.ts). Waiters poll: a waiter at the head of its
 * bucket sleeps the slot's remaining TTL, others `pollMs`.
 */
import { randomBytes } from 'node:crypto';
import type { IdentifyQueue } from '../gateway/IdentifyQueue.js';
import { InvalidOptionError } from '../util/errors.js';
import { sleep } from '../util/sleep.js';
import { SessionStartLimitError } from './errors.js';
import { ACQUIRE_IDENTIFY, LEAVE_LINE, RESTART_SLOT, SYNC_BUDGET } from './identifyScripts.js';
import { type FleetRedisClient, integers, isFleetRedisClient } from './redis.js';

/** The part of GET /gateway/bot's `session_start_limit` the guard reads. */
export interface SessionStartLimitInfo {
  remaining: number;
  /** Milliseconds until the budget resets. */
  reset_after: number;
  total?: number;
}

/** Something that says when the process may go on (a BackpressureMonitor). */
export interface PressureGate {
  /**
   * Resolves when identifying may proceed (at once when not pressured); rejects with the signal's reason if
   * aborted first.
   */
  whenClear(signal?: AbortSignal): Promise<void>;
}

/** Options of a RedisIdentifyCoordinator: concurrency, prefix, the daily budget source, and timing. */
export interface RedisIdentifyCoordinatorOptions {
  /** `max_concurrency` of the bot (the same on every host). */
  maxConcurrency: number;
  /** Key prefix shared by the fleet (one bot per prefix). Default "athena:". */
  prefix?: string;
  /** Window per bucket in ms (Discord: 5000). Default 5000. */
  window?: number;
  /**
   * Added to the window: a slot taken in Redis becomes an identify on the wire a few ms later,
   * and jitter there must not make two identifies of a bucket look closer than the window. Default 100.
   */
  marginMs?: number;
  /** How long a new waiter leaves for lower shards to get in line. Default 500. */
  gatherMs?: number;
  /** Poll interval of waiters not at the head of their bucket. Default min(1000, window / 4). */
  pollMs?: number;
  /** A waiter not seen for this long is dropped from its line. Default max(3 × pollMs, 2000). */
  staleMs?: number;
  /**
   * Reads `session_start_limit` (GET /gateway/bot): `() => client.getBotGateway().then(g => g.session_start_limit)`.
   * Without it the daily budget is not guarded (a warning says so once).
   */
  sessionStartLimit?: () => Promise<SessionStartLimitInfo>;
  /** Identifies kept back from the daily budget (for manual restarts). Default 0. */
  reserve?: number;
  /** Waits before each attempt while the process is under pressure. */
  pressure?: PressureGate;
  /** Where warnings go. Default console.warn. */
  logger?: (level: 'warn' | 'debug', message: string) => void;
}

/** Counters of a RedisIdentifyCoordinator: identifies granted and refused, waits, errors. */
export interface RedisIdentifyCoordinatorStats {
  /** Slots taken. */
  acquired: number;
  /** Attempts that had to wait (slot taken, not our turn, or gathering). */
  waits: number;
  /** Identifies refused for the daily budget. */
  refused: number;
  /** Budget reads from GET /gateway/bot written to Redis. */
  budgetSyncs: number;
  /** Redis or budget-read failures (retried after a pause). */
  errors: number;
  /** Budget left fleet-wide as last seen (-1 = not guarded / unknown). */
  remaining: number;
}

export class RedisIdentifyCoordinator implements IdentifyQueue {
  readonly maxConcurrency: number;
  readonly prefix: string;
  readonly window: number;
  readonly stats: RedisIdentifyCoordinatorStats = {
    acquired: 0,
    waits: 0,
    refused: 0,
    budgetSyncs: 0,
    errors: 0,
    remaining: -1
  };
  private readonly slotMs: number;
  private readonly gatherMs: number;
  private readonly pollMs: number;
  private readonly staleMs: number;
  private readonly reserve: number;
  private readonly fetchLimit: (() => Promise<SessionStartLimitInfo>) | undefined;
  private readonly pressure: PressureGate | undefined;
  private readonly log: (level: 'warn' | 'debug', message: string) => void;
  private readonly owner = `${process.pid}:${randomBytes(4).toString('hex')}`;
  private syncing: Promise<void> | null = null;
  /** The first identify of this process reads Discord's number once, even when Redis has one. */
  private syncedOnce = false;

  constructor(
    private readonly redis: FleetRedisClient,
    options: RedisIdentifyCoordinatorOptions
  ) {
    if (!isFleetRedisClient(redis)) {
      throw new InvalidOptionError(
        'redis',
        'a Redis client with evalsha, eval, get, set, del, ping (ioredis works)',
        redis
      );
    }
    const o = options ?? ({} as RedisIdentifyCoordinatorOptions);
    this.maxConcurrency = positiveInt('maxConcurrency', o.maxConcurrency, undefined);
    this.window = positiveInt('window', o.window, 5000);
    this.slotMs = this.window + nonNegativeInt('marginMs', o.marginMs, 100);
    this.gatherMs = nonNegativeInt('gatherMs', o.gatherMs, 500);
    this.pollMs = positiveInt('pollMs', o.pollMs, Math.max(1, Math.min(1000, Math.floor(this.window / 4))));
    this.staleMs = positiveInt('staleMs', o.staleMs, Math.max(3 * this.pollMs, 2000));
    this.reserve = nonNegativeInt('reserve', o.reserve, 0);
    if (typeof (o.prefix ?? '') !== 'string') throw new InvalidOptionError('prefix', 'a string', o.prefix);
    this.prefix = o.prefix ?? 'athena:';
    if (o.sessionStartLimit !== undefined && typeof o.sessionStartLimit !== 'function') {
      throw new InvalidOptionError(
        'sessionStartLimit',
        'a function returning session_start_limit',
        o.sessionStartLimit
      );
    }
    this.fetchLimit = o.sessionStartLimit;
    if (o.pressure !== undefined && typeof o.pressure?.whenClear !== 'function') {
      throw new InvalidOptionError('pressure', 'an object with whenClear(signal)', o.pressure);
    }
    this.pressure = o.pressure;
    this.log = o.logger ?? ((level, message) => level === 'warn' && console.warn(`[athena] ${message}`));
    if (!this.fetchLimit) {
      this.log(
        'warn',
        'RedisIdentifyCoordinator: no sessionStartLimit reader, the daily identify budget is not guarded'
      );
    }
  }

  /** Redis key of the daily budget. */
  get budgetKey(): string {
    return `${this.prefix}session-start:remaining`;
  }

  /** Redis key of a shard's bucket slot. */
  keyFor(shardID: number): string {
    return `${this.prefix}identify:${shardID % this.maxConcurrency}`;
  }

  async acquire(shardID: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    if (!Number.isSafeInteger(shardID) || shardID < 0) {
      throw new RangeError(`shard id must be a non-negative integer, got ${shardID}`);
    }
    const slot = this.keyFor(shardID);
    const keys = [slot, `${slot}:waiters`, `${slot}:waiting`, this.budgetKey];
    const guard = this.fetchLimit !== undefined;
    if (guard && !this.syncedOnce) await this.syncBudget(signal);
    try {
      for (;;) {
        if (this.pressure) await this.pressure.whenClear(signal);
        if (signal?.aborted) throw signal.reason;
        let wait: number;
        try {
          const reply = await ACQUIRE_IDENTIFY.run(this.redis, keys, [
            String(shardID),
            this.owner,
            this.slotMs,
            this.gatherMs,
            this.staleMs,
            this.reserve,
            guard ? '1' : '0'
          ]);
          const [status, remaining, waitMs] = integers(reply, 3);
          if (guard && status !== -2) this.stats.remaining = remaining;
          if (status === 1) {
            this.stats.acquired++;
            return;
          }
          if (status === -1) throw this.refuse(shardID, remaining, waitMs);
          if (status === -2) {
            await this.syncBudget(signal);
            continue;
          }
          this.stats.waits++;
          wait = waitMs < 0 ? this.pollMs : Math.min(Math.max(waitMs, 1), this.pollMs);
        } catch (error) {
          if (error instanceof SessionStartLimitError) throw error;
          this.stats.errors++;
          this.log('warn', `identify coordinator: Redis failed (${(error as Error).message}); retrying`);
          wait = Math.min(250, this.pollMs * 2);
        }
        await sleep(wait, signal);
      }
    } catch (error) {
      // An aborted or refused waiter steps out so it does not hold the line until it goes stale.
      LEAVE_LINE.run(this.redis, [keys[1], keys[2]], [String(shardID)]).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The identify of `shardID` is on the wire (the Shard calls this right after sending it): restart
   * its bucket's slot from now (only while the slot is still held), so the window counts
   * from the send, not from the grant. Measured (bench/fleet.ts, 32 shards, two managers): without
   * it, a grant-to-send delay on a loaded machine let 2–3 of 32 identifies reach the simulator
   * inside the window at the default 100 ms margin.
   */
  async sent(shardID: number): Promise<void> {
    try {
      await RESTART_SLOT.run(this.redis, [this.keyFor(shardID)], [this.owner, this.slotMs]);
    } catch (error) {
      this.stats.errors++;
      this.log('warn', `identify coordinator: could not restart the slot at send (${(error as Error).message})`);
    }
  }

  /** Write a `session_start_limit` already read (e.g. by the Client's connect) to Redis. */
  async syncSessionStartLimit(limit: SessionStartLimitInfo): Promise<number> {
    const remaining = Number(limit?.remaining);
    const resetAfter = Number(limit?.reset_after);
    if (!Number.isFinite(remaining) || remaining < 0 || !Number.isFinite(resetAfter) || resetAfter < 0) {
      throw new TypeError('session_start_limit needs numeric remaining and reset_after');
    }
    const reply = await SYNC_BUDGET.run(this.redis, [this.budgetKey], [Math.floor(remaining), Math.ceil(resetAfter)]);
    const now = Number(reply);
    this.stats.budgetSyncs++;
    this.stats.remaining = now;
    this.syncedOnce = true;
    return now;
  }

  private syncBudget(signal: AbortSignal | undefined): Promise<void> {
    this.syncing ??= (async () => {
      for (;;) {
        try {
          const fetch = this.fetchLimit;
          if (!fetch) return;
          const remaining = await this.syncSessionStartLimit(await fetch());
          this.log('debug', `identify coordinator: fleet budget ${remaining} identifies`);
          return;
        } catch (error) {
          this.stats.errors++;
          this.log(
            'warn',
            `identify coordinator: cannot read session_start_limit (${(error as Error).message}); retrying`
          );
          await sleep(1000);
        }
      }
    })().finally(() => {
      this.syncing = null;
    });
    const syncing = this.syncing;
    if (!signal) return syncing;
    return Promise.race([
      syncing,
      new Promise<void>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      })
    ]);
  }

  private refuse(shardID: number, remaining: number, resetAfter: number): SessionStartLimitError {
    this.stats.refused++;
    const error = new SessionStartLimitError(shardID, remaining, resetAfter);
    this.log('warn', `${error.message}. Refused by Athena before Discord could reset the token.`);
    return error;
  }
}

function positiveInt(option: string, value: unknown, fallback: number | undefined): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    throw new InvalidOptionError(option, 'a positive integer', value);
  }
  return v;
}

function nonNegativeInt(option: string, value: unknown, fallback: number): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new InvalidOptionError(option, 'a non-negative integer', value);
  }
  return v;
}
