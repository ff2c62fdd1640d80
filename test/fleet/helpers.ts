/**
 * Shared pieces of the fleet tests: a Redis connection or a loud skip, unique key prefixes and
 * their cleanup, a simulator sized for tests (short identify window: 200 ms instead of 5 s), and
 * "hosts" (ShardManagers on a shard range) that record every dispatch they deliver.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { type IdentifyQueue, type SessionStore, ShardManager } from '../../src/index.js';
import { Simulator, type SimulatorOptions } from '../../src/testing/index.js';

export const REDIS_SKIP = 'Redis not reachable on 127.0.0.1:6379';
/** Identify window of the simulator in these tests (Discord: 5000 ms). */
export const WINDOW = 200;

export async function redisOrNull(): Promise<Redis | null> {
  const redis = new Redis({
    host: '127.0.0.1',
    port: 6379,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch {
    redis.disconnect();
    console.warn(`fleet tests: ${REDIS_SKIP}; skipping the Redis-bound tests`);
    return null;
  }
}

export function uniquePrefix(tag: string): string {
  return `athena-test:fleet:${tag}:${randomBytes(5).toString('hex')}:`;
}

export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export function startSim(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return Simulator.start({
    guilds: 64,
    shards: 32,
    seed: 'fleet',
    maxConcurrency: 4,
    identifyIntervalMs: WINDOW,
    heartbeatInterval: 1000,
    ...options
  });
}

/** Reads session_start_limit from the simulator's GET /gateway/bot, as a host would at start. */
export function sessionStartLimitOf(sim: Simulator) {
  return async () => {
    const response = await fetch(`${sim.restURL}/gateway/bot`, { headers: { Authorization: `Bot ${sim.token}` } });
    const body = (await response.json()) as { session_start_limit: { remaining: number; reset_after: number } };
    return body.session_start_limit;
  };
}

export interface Delivered {
  shard: number;
  session: string | null;
  t: string;
  s: number;
}

export interface Host {
  manager: ShardManager;
  delivered: Delivered[];
  errors: Error[];
  warnings: string[];
  readyShards: Set<number>;
}

/** One "host": a ShardManager over [first, last] of `total` shards, recording what it delivers. */
export function host(
  sim: Simulator,
  range: [number, number],
  total: number,
  dependencies: { identifyQueue: IdentifyQueue; sessionStore?: SessionStore }
): Host {
  const delivered: Delivered[] = [];
  const manager = new ShardManager(
    sim.token,
    {
      maxShards: total,
      firstShardID: range[0],
      lastShardID: range[1],
      shardConcurrency: 4,
      intents: ['Guilds', 'GuildMembers', 'GuildMessageReactions', 'GuildMessages'],
      guildCreateTimeout: 200,
      reconnectDelay: () => 20,
      invalidSessionDelay: [5, 15]
    },
    { sink: (shard, t, _d, s) => delivered.push({ shard: shard.id, session: shard.sessionID, t, s }), ...dependencies }
  );
  const h: Host = { manager, delivered, errors: [], warnings: [], readyShards: new Set() };
  manager.on('error', (error) => h.errors.push(error));
  manager.on('warn', (message) => h.warnings.push(message));
  manager.on('shardReady', (id) => h.readyShards.add(id));
  return h;
}

export async function eventually(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
