/**
 * The few Redis commands the fleet needs, spelled as ioredis spells them, so Athena depends on no
 * Redis client (an ioredis `Redis` works as is). Scripts run through EVALSHA with a fallback to
 * EVAL when the server does not know the script yet (first call, or after SCRIPT FLUSH / failover).
 */
import { createHash } from 'node:crypto';

/** An argument of a Redis command as the fleet sends it. */
export type RedisArg = string | number;

/** The Redis commands the fleet coordination needs (ioredis matches it as passed). */
export interface FleetRedisClient {
  /** EVALSHA: run a cached script; fails with NOSCRIPT when Redis does not have it. */
  evalsha(sha: string, numKeys: number, ...args: RedisArg[]): Promise<unknown>;
  /** EVAL: run (and cache) a script from its source. */
  eval(script: string, numKeys: number, ...args: RedisArg[]): Promise<unknown>;
  /** GET: the value, or null. */
  get(key: string): Promise<string | null>;
  /** SET key value PX ms: write with an expiry in milliseconds. */
  set(key: string, value: string, millisecondsToken: 'PX', milliseconds: number): Promise<unknown>;
  /** DEL: how many of the keys existed. */
  del(...keys: string[]): Promise<number>;
  /** PING, used to probe whether Redis answers. */
  ping(): Promise<unknown>;
}

/** Whether a value looks enough like a Redis client for the fleet (checked at construction). */
export function isFleetRedisClient(value: unknown): value is FleetRedisClient {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return ['evalsha', 'eval', 'get', 'set', 'del', 'ping'].every((name) => typeof v[name] === 'function');
}

/** A Lua script run atomically by Redis, cached by its SHA-1. */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly source: string,
    readonly numKeys: number
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /**
   * Run the script with its keys and arguments: EVALSHA first, EVAL when Redis answers NOSCRIPT (after a
   * restart or SCRIPT FLUSH).
   */
  async run(redis: FleetRedisClient, keys: readonly string[], args: readonly RedisArg[]): Promise<unknown> {
    if (keys.length !== this.numKeys) throw new RangeError(`script needs ${this.numKeys} keys, got ${keys.length}`);
    try {
      return await redis.evalsha(this.sha, this.numKeys, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
      return redis.eval(this.source, this.numKeys, ...keys, ...args);
    }
  }
}

/** A script reply as an array of integers (Lua numbers arrive as integers; anything else is a bug). */
export function integers(reply: unknown, length: number): number[] {
  if (!Array.isArray(reply) || reply.length < length) throw new TypeError(`unexpected script reply ${String(reply)}`);
  return reply.slice(0, length).map((v) => {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) throw new TypeError(`unexpected script reply element ${String(v)}`);
    return n;
  });
}
