/**
 * A `SessionStore` in Redis, so a restarted process, a replaced host or a whole restarted fleet
 * resumes its shards instead of identifying them again (identifies cost the daily budget and
 * replay nothing; a resume replays what was missed).
 *
 * Keys belong to the bot, not to a process: `<prefix>session:<botID>[:<shardCount>]:<shardID>`,
 * so whichever host runs shard 7 next finds shard 7's session. With `shardCount` set, a reshard
 * uses new keys and never resumes a session of the old layout; old ones expire by TTL. The TTL
 * (default 3 min) is about as long as Discord keeps a dropped session resumable, and every save
 * (READY, RESUMED, each heartbeat, disconnect) renews it.
 *
 * Writes are coalesced per shard: while one is in flight only the newest waiting value is kept,
 * and a delete queued after a set wins. `flush()` waits for everything queued (call it before a
 * planned exit). Each operation's latency is recorded for backpressure (`latencyMs`).
 */
import type { SessionInfo, SessionStore } from '../gateway/SessionStore.js';
import { InvalidOptionError } from '../util/errors.js';
import { type FleetRedisClient, isFleetRedisClient } from './redis.js';

/** Options of a RedisSessionStore: bot id, shard count, prefix and TTL. */
export interface RedisSessionStoreOptions {
  /** The bot's user / application id: sessions are the bot's, whichever process runs the shard. */
  botID: string;
  /** Total shard count, part of the key (reshard-safe). Omit only with a fixed shard count. */
  shardCount?: number;
  /** Key prefix shared by the fleet. Default "athena:". */
  prefix?: string;
  /** Lifetime of a saved session in ms, renewed by every save. Default 180000. */
  ttlMs?: number;
  /** Where warnings go (corrupt values). Default console.warn. */
  logger?: (message: string) => void;
}

/** Counters of a RedisSessionStore: reads, writes, deletes and errors. */
export interface RedisSessionStoreStats {
  gets: number;
  /** Sessions found and valid. */
  hits: number;
  sets: number;
  /** Sets replaced by a newer value before they were written. */
  coalesced: number;
  deletes: number;
  /** Stored values that were not a valid session: skipped (the shard identifies) and deleted. */
  corrupt: number;
  errors: number;
}

type Pending = { kind: 'set'; session: SessionInfo } | { kind: 'delete' };

/**
 * A SessionStore in Redis, keyed by bot, shard count and shard id, so any process or host resumes a shard.
 */
export class RedisSessionStore implements SessionStore {
  readonly prefix: string;
  readonly botID: string;
  readonly shardCount: number | undefined;
  readonly ttlMs: number;
  readonly stats: RedisSessionStoreStats = {
    gets: 0,
    hits: 0,
    sets: 0,
    coalesced: 0,
    deletes: 0,
    corrupt: 0,
    errors: 0
  };
  /** Latency of the last Redis operation in ms (for BackpressureMonitor). */
  latencyMs = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly running = new Map<number, Promise<void>>();
  private readonly log: (message: string) => void;

  constructor(
    private readonly redis: FleetRedisClient,
    options: RedisSessionStoreOptions
  ) {
    if (!isFleetRedisClient(redis)) throw new InvalidOptionError('redis', 'a Redis client (ioredis works)', redis);
    const o = options ?? ({} as RedisSessionStoreOptions);
    if (typeof o.botID !== 'string' || !/^\d{1,20}$/.test(o.botID)) {
      throw new InvalidOptionError('botID', "the bot's user id (a snowflake string)", o.botID);
    }
    if (o.shardCount !== undefined && (!Number.isSafeInteger(o.shardCount) || o.shardCount < 1)) {
      throw new InvalidOptionError('shardCount', 'a positive integer', o.shardCount);
    }
    const ttl = o.ttlMs ?? 180_000;
    if (!Number.isSafeInteger(ttl) || ttl < 1)
      throw new InvalidOptionError('ttlMs', 'a positive integer of ms', o.ttlMs);
    if (typeof (o.prefix ?? '') !== 'string') throw new InvalidOptionError('prefix', 'a string', o.prefix);
    this.prefix = o.prefix ?? 'athena:';
    this.botID = o.botID;
    this.shardCount = o.shardCount;
    this.ttlMs = ttl;
    this.log = o.logger ?? ((message) => console.warn(`[athena] ${message}`));
  }

  /**
   * The Redis key of a shard's session: prefix, bot id and, when a shard count is set, that count (so a
   * reshard never resumes a session of another layout).
   */
  keyFor(shardID: number): string {
    const layout = this.shardCount === undefined ? '' : `${this.shardCount}:`;
    return `${this.prefix}session:${this.botID}:${layout}${shardID}`;
  }

  async get(shardID: number): Promise<SessionInfo | null> {
    // A write of this shard still queued here is newer than what Redis holds.
    const queued = this.pending.get(shardID);
    if (queued) return queued.kind === 'set' ? { ...queued.session } : null;
    await this.running.get(shardID);
    this.stats.gets++;
    const raw = await this.timed(() => this.redis.get(this.keyFor(shardID)));
    if (raw === null) return null;
    const session = parseSession(raw);
    if (!session) {
      this.stats.corrupt++;
      this.log(`session store: value at ${this.keyFor(shardID)} is not a session; ignored (the shard identifies)`);
      this.delete(shardID).catch(() => undefined);
      return null;
    }
    this.stats.hits++;
    return session;
  }

  set(shardID: number, session: SessionInfo): Promise<void> {
    this.stats.sets++;
    if (this.pending.has(shardID)) this.stats.coalesced++;
    this.pending.set(shardID, { kind: 'set', session: { ...session } });
    return this.drain(shardID);
  }

  delete(shardID: number): Promise<void> {
    this.stats.deletes++;
    this.pending.set(shardID, { kind: 'delete' });
    return this.drain(shardID);
  }

  /** Resolves when every queued write has reached Redis (or failed). */
  async flush(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  private drain(shardID: number): Promise<void> {
    const current = this.running.get(shardID);
    if (current) return current;
    const run = (async () => {
      try {
        for (let next = this.pending.get(shardID); next; next = this.pending.get(shardID)) {
          this.pending.delete(shardID);
          const key = this.keyFor(shardID);
          try {
            if (next.kind === 'set') {
              const value = JSON.stringify(next.session);
              await this.timed(() => this.redis.set(key, value, 'PX', this.ttlMs));
            } else {
              await this.timed(() => this.redis.del(key));
            }
          } catch (error) {
            this.stats.errors++;
            throw error;
          }
        }
      } finally {
        this.running.delete(shardID);
      }
    })();
    this.running.set(shardID, run);
    return run;
  }

  private async timed<T>(operation: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await operation();
    } finally {
      this.latencyMs = performance.now() - started;
    }
  }
}

/** A stored value back to a SessionInfo, or null when it is not one. */
export function parseSession(raw: string): SessionInfo | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const { sessionID, seq, resumeURL } = value as Record<string, unknown>;
  if (typeof sessionID !== 'string' || sessionID.length === 0 || sessionID.length > 200) return null;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return null;
  if (typeof resumeURL !== 'string' || !/^wss?:\/\//.test(resumeURL)) return null;
  return { sessionID, seq, resumeURL };
}
