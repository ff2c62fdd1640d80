/**
 * An IdentifyQueue shared by every host of a fleet through Redis: one lock per rate-limit bucket
 * (`shard_id % max_concurrency`), taken with `SET key token NX PX window` and never released, so
 * the key's lifetime is the bucket's window. Whoever sets it may identify; everyone else waits the
 * key's remaining PTTL and tries again. Two managers with disjoint shard ranges sharing Redis
 * therefore never identify two shards of one bucket within one window.
 *
 * Within one process, waiters of a bucket queue locally first (FIFO), so a host asks Redis for one
 * slot per bucket at a time instead of polling with every shard.
 *
 * Athena depends on no Redis client: pass one shaped like `RedisLockClient` (an ioredis `Redis`
 * works as is).
 */
import { randomBytes } from 'node:crypto';
import type { IdentifyQueue } from '../gateway/IdentifyQueue.js';
import { InvalidOptionError } from '../util/errors.js';
import { sleep } from '../util/sleep.js';

/** The two commands the queue needs, spelled as ioredis spells them. */
export interface RedisLockClient {
  /** SET key value PX ms NX: take the lock only if free ("OK", else null). */
  set(key: string, value: string, millisecondsToken: 'PX', milliseconds: number, nx: 'NX'): Promise<unknown>;
  /** SET key value PX ms XX: overwrite only if the key exists. */
  set(key: string, value: string, millisecondsToken: 'PX', milliseconds: number, xx: 'XX'): Promise<unknown>;
  /** PTTL: milliseconds left on the key (-2 when missing, -1 without expiry). */
  pttl(key: string): Promise<number>;
}

/** Options of a RedisIdentifyQueue: key prefix, concurrency, window and polling. */
export interface RedisIdentifyQueueOptions {
  /** `max_concurrency` of the bot (the same on every host). */
  maxConcurrency: number;
  /** Window per bucket in ms (Discord: 5000). Default 5000. */
  window?: number;
  /** Key prefix; share it across the fleet (one bot per prefix). Default "athena:". */
  prefix?: string;
  /** Upper bound on one wait between attempts in ms. Default 1000. */
  maxPollMs?: number;
}

/** Counters of a RedisIdentifyQueue: slots acquired, waits and errors. */
export interface RedisIdentifyQueueStats {
  /** Slots won. */
  acquired: number;
  /** SET NX attempts that found the bucket taken. */
  contended: number;
  /** Redis commands that failed (retried after a pause). */
  errors: number;
}

class BucketLine {
  /** The tail of this bucket's local FIFO. */
  tail: Promise<void> = Promise.resolve();
}

export class RedisIdentifyQueue implements IdentifyQueue {
  readonly maxConcurrency: number;
  readonly window: number;
  readonly prefix: string;
  readonly stats: RedisIdentifyQueueStats = { acquired: 0, contended: 0, errors: 0 };
  private readonly maxPollMs: number;
  private readonly lines = new Map<number, BucketLine>();
  /** Identifies this process's holds (debugging: `GET prefix:identify:N` shows who holds it). */
  private readonly owner = `${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly redis: RedisLockClient,
    options: RedisIdentifyQueueOptions
  ) {
    if (
      redis === null ||
      typeof redis !== 'object' ||
      typeof redis.set !== 'function' ||
      typeof redis.pttl !== 'function'
    ) {
      throw new InvalidOptionError('redis', 'a Redis client with set and pttl (ioredis works)', redis);
    }
    const { maxConcurrency, window = 5000, prefix = 'athena:', maxPollMs = 1000 } = options ?? {};
    if (!Number.isSafeInteger(maxConcurrency) || maxConcurrency < 1) {
      throw new InvalidOptionError('maxConcurrency', 'a positive integer', maxConcurrency);
    }
    if (!Number.isSafeInteger(window) || window < 1)
      throw new InvalidOptionError('window', 'a positive integer of ms', window);
    if (typeof prefix !== 'string') throw new InvalidOptionError('prefix', 'a string', prefix);
    if (!Number.isSafeInteger(maxPollMs) || maxPollMs < 1)
      throw new InvalidOptionError('maxPollMs', 'a positive integer', maxPollMs);
    this.maxConcurrency = maxConcurrency;
    this.window = window;
    this.prefix = prefix;
    this.maxPollMs = maxPollMs;
  }

  /** The Redis key of a shard's bucket. */
  keyFor(shardID: number): string {
    return `${this.prefix}identify:${shardID % this.maxConcurrency}`;
  }

  acquire(shardID: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!Number.isSafeInteger(shardID) || shardID < 0) {
      return Promise.reject(new RangeError(`shard id must be a non-negative integer, got ${shardID}`));
    }
    const bucket = shardID % this.maxConcurrency;
    let line = this.lines.get(bucket);
    if (!line) {
      line = new BucketLine();
      this.lines.set(bucket, line);
    }
    // Queue behind this process's earlier waiters of the bucket; an aborted one just steps out.
    const turn = line.tail.then(() => this.take(this.keyFor(shardID), signal));
    line.tail = turn.catch(() => undefined);
    return turn;
  }

  /**
   * The identify of `shardID` is on the wire: restart its bucket's window from now (SET XX), so a
   * slow hand-over between the lock and the socket cannot bunch two identifies together. The
   * ClusterManager calls it when the cluster reports the identify sent.
   */
  async sent(shardID: number): Promise<void> {
    try {
      await this.redis.set(this.keyFor(shardID), this.owner, 'PX', this.window, 'XX');
    } catch {
      this.stats.errors++;
    }
  }

  private async take(key: string, signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      let wait: number;
      try {
        const won = await this.redis.set(key, this.owner, 'PX', this.window, 'NX');
        if (won === 'OK') {
          this.stats.acquired++;
          return;
        }
        this.stats.contended++;
        const ttl = await this.redis.pttl(key);
        // -2: gone meanwhile (retry now); -1: no expiry (should not happen: poll).
        wait = ttl === -2 ? 0 : ttl < 0 ? this.maxPollMs : Math.min(ttl, this.maxPollMs);
      } catch {
        this.stats.errors++;
        wait = Math.min(250, this.maxPollMs);
      }
      await sleep(wait, signal);
    }
  }
}
