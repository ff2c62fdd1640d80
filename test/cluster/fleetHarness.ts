/**
 * Shared pieces of the fleet tests: Redis reachability, a simulator sized for tests, a manager of
 * the reaction-roles example against it, and the checks on the simulator's identify log and world.
 */
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { ReactionRolesProtocol } from '../../examples/reaction-roles/bot.js';
import { ClusterManager, type ClusterManagerOptions } from '../../src/index.js';
import { Simulator, type SimulatorOptions } from '../../src/testing/index.js';

export const BOT_FILE = fileURLToPath(new URL('../../examples/reaction-roles/bot.ts', import.meta.url));

/** A connected ioredis client, or null (with a loud warning) when Redis does not answer. */
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
    console.warn('fleet tests: Redis not reachable on 127.0.0.1:6379, skipping the Redis-bound tests');
    return null;
  }
}

export async function startSim(options: Partial<SimulatorOptions> & { guilds: number }): Promise<Simulator> {
  return Simulator.start({
    seed: 'fleet-test',
    maxConcurrency: 4,
    identifyIntervalMs: 150,
    heartbeatInterval: 5000,
    rest: {
      globalLimit: { limit: 5000, windowMs: 1000 },
      rateLimits: { 'member.roles': { limit: 1000, windowMs: 1000 } }
    },
    ...options
  });
}

export function fleetManager(
  sim: Simulator,
  options: Partial<ClusterManagerOptions> & { env?: NodeJS.ProcessEnv }
): ClusterManager<ReactionRolesProtocol> {
  return new ClusterManager<ReactionRolesProtocol>({
    file: BOT_FILE,
    token: sim.token,
    rest: { baseURL: sim.restURL },
    maxConcurrency: 4,
    // The manager spaces a bucket's identifies from each one's "sent", so a margin over the
    // simulator's 150 ms suffices even on a loaded machine.
    identifyWindow: 400,
    silent: true,
    readyTimeout: 90_000,
    respawnDelay: () => 200,
    ...options,
    env: { ATHENA_TOKEN: sim.token, ATHENA_REST_BASE_URL: sim.restURL, ATHENA_GLOBAL_RPS: '5000', ...options.env }
  });
}

/** Accepted identifies per shard, and any two identifies of one bucket closer than `minGapMs`. */
export function identifyLog(
  sim: Simulator,
  minGapMs: number
): {
  perShard: Map<number, number>;
  violations: string[];
  rejected: number;
} {
  const perShard = new Map<number, number>();
  const lastByBucket = new Map<number, number>();
  const violations: string[] = [];
  let rejected = 0;
  const records = [...sim.stats.identifies].sort((a, b) => a.at - b.at);
  for (const record of records) {
    if (!record.accepted) {
      rejected++;
      continue;
    }
    const shard = record.shard[0];
    perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
    const last = lastByBucket.get(record.bucket);
    if (last !== undefined && record.at - last < minGapMs) {
      violations.push(
        `bucket ${record.bucket}: shard ${shard} identified ${record.at - last} ms after the previous one`
      );
    }
    lastByBucket.set(record.bucket, record.at);
  }
  return { perShard, violations, rejected };
}

/** Members whose reaction roles differ from what the recorded reactions imply. */
export function roleMismatches(sim: Simulator): string[] {
  const wrong: string[] = [];
  for (const state of sim.traffic.reactionStates()) {
    const member = sim.world.getMember(state.guildID, state.userID);
    if (!member) continue; // left the guild meanwhile: nothing to hold a role
    const has = member.roles.includes(state.roleID);
    if (has !== state.reacted) {
      wrong.push(`${state.guildID}/${state.userID} role ${state.roleID}: has=${has} reacted=${state.reacted}`);
    }
  }
  return wrong;
}

/** Poll `check` until it returns an empty list or `timeoutMs` passes; returns the last list. */
export async function eventually(check: () => string[], timeoutMs: number, everyMs = 250): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problems = check();
    if (problems.length === 0 || Date.now() >= deadline) return problems;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every key under `pattern`, by SCAN. */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}
