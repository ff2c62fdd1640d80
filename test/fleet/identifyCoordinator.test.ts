/**
 * Two "hosts" (ShardManagers on shards 0-15 and 16-31 of 32, max_concurrency 4) sharing one Redis
 * through RedisIdentifyCoordinator: the simulator's identify log holds the bucket rule (one per
 * bucket per 200 ms window, scaled down from 5 s) and the order (ascending shard ids per bucket),
 * and a daily budget of 20 is enforced by Athena: the 21st identify never reaches the simulator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { RedisIdentifyCoordinator, SessionStartLimitError } from '../../src/index.js';
import type { Simulator } from '../../src/testing/index.js';
import {
  dropPrefix,
  eventually,
  type Host,
  host,
  REDIS_SKIP,
  redisOrNull,
  sessionStartLimitOf,
  startSim,
  uniquePrefix,
  WINDOW
} from './helpers.js';

const TOTAL = 32;

describe('RedisIdentifyCoordinator: two hosts, 32 shards, max_concurrency 4', { timeout: 60_000 }, () => {
  let redis: Redis | null = null;
  const prefixes: string[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];

  before(async () => {
    redis = await redisOrNull();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    if (redis) {
      for (const prefix of prefixes) await dropPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  async function fleet(
    sim: Simulator,
    tag: string
  ): Promise<{ hosts: Host[]; coordinators: RedisIdentifyCoordinator[]; warnings: string[] }> {
    const prefix = uniquePrefix(tag);
    prefixes.push(prefix);
    const warnings: string[] = [];
    const hosts: Host[] = [];
    const coordinators: RedisIdentifyCoordinator[] = [];
    for (const range of [
      [0, 15],
      [16, 31]
    ] as [number, number][]) {
      // Each host has its own Redis connection, as separate machines would.
      const connection = redis!.duplicate();
      connection.on('error', () => {});
      const coordinator = new RedisIdentifyCoordinator(connection, {
        maxConcurrency: 4,
        prefix,
        window: WINDOW,
        // The slot is held 300 ms past the window: on this shared 2-core machine the trip from the
        // Redis grant to the identify on the wire varies by tens of ms (Discord: 100 ms of 5 s).
        marginMs: 300,
        gatherMs: 150,
        pollMs: 20,
        sessionStartLimit: sessionStartLimitOf(sim),
        logger: (level, message) => level === 'warn' && warnings.push(message)
      });
      const h = host(sim, range, TOTAL, { identifyQueue: coordinator });
      hosts.push(h);
      coordinators.push(coordinator);
      cleanups.push(() => {
        h.manager.disconnect();
        connection.disconnect();
      });
    }
    await Promise.all(hosts.map((h) => h.manager.connect({ url: sim.gatewayURL, shards: TOTAL, maxConcurrency: 4 })));
    return { hosts, coordinators, warnings };
  }

  test('bucket rule and order hold across both hosts in the simulator identify log', async (t) => {
    if (!redis) {
      console.warn(`identify coordinator test skipped: ${REDIS_SKIP}`);
      t.skip(REDIS_SKIP);
      return;
    }
    const sim = await startSim();
    cleanups.push(() => sim.close());
    const { hosts, coordinators } = await fleet(sim, 'order');
    await eventually(() => hosts.every((h) => h.readyShards.size === 16), 30_000, 'all 32 shards ready');

    const log = sim.stats.identifies;
    assert.equal(
      log.length,
      TOTAL,
      `exactly one identify per shard reached the simulator: ${JSON.stringify(log.filter((r) => !r.accepted))}`
    );
    assert.ok(
      log.every((r) => r.accepted),
      'the simulator refused none'
    );
    assert.deepEqual(new Set(log.map((r) => r.shard[0])).size, TOTAL);
    for (let bucket = 0; bucket < 4; bucket++) {
      const line = log.filter((r) => r.bucket === bucket);
      assert.deepEqual(
        line.map((r) => r.shard[0]),
        [0, 1, 2, 3, 4, 5, 6, 7].map((round) => round * 4 + bucket),
        `bucket ${bucket} identified in ascending shard order across both hosts`
      );
      for (let i = 1; i < line.length; i++) {
        assert.ok(line[i].at - line[i - 1].at >= WINDOW, `bucket ${bucket}: ${line[i].at - line[i - 1].at} ms apart`);
      }
    }
    assert.equal(
      coordinators.reduce((n, c) => n + c.stats.acquired, 0),
      TOTAL
    );
    assert.ok(coordinators.every((c) => c.stats.remaining === 1000 - TOTAL || c.stats.remaining > 1000 - TOTAL));
    assert.equal(Number(await redis.get(coordinators[0].budgetKey)), 1000 - TOTAL, 'budget counted fleet-wide');
  });

  test('with a budget of 20, the 21st identify is refused by Athena, not by the simulator', async (t) => {
    if (!redis) {
      console.warn(`identify coordinator test skipped: ${REDIS_SKIP}`);
      t.skip(REDIS_SKIP);
      return;
    }
    const sim = await startSim({ sessionStartTotal: 20 });
    cleanups.push(() => sim.close());
    const { hosts, coordinators, warnings } = await fleet(sim, 'budget');
    const refusedErrors = () => hosts.flatMap((h) => h.errors).filter((e) => e instanceof SessionStartLimitError);
    await eventually(
      () => hosts.reduce((n, h) => n + h.readyShards.size, 0) === 20 && refusedErrors().length === 12,
      30_000,
      '20 shards ready and 12 refused'
    );

    const log = sim.stats.identifies;
    assert.equal(log.length, 20, 'only 20 identifies reached the simulator');
    assert.ok(
      log.every((r) => r.accepted && r.reason === undefined),
      'the simulator refused none for its limit'
    );
    assert.deepEqual(
      log.map((r) => r.shard[0]).sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i),
      'the lowest 20 shards got the budget (bucket order)'
    );
    assert.equal(
      coordinators.reduce((n, c) => n + c.stats.refused, 0),
      12
    );
    const refused = refusedErrors() as SessionStartLimitError[];
    assert.deepEqual(
      refused.map((e) => e.shardID).sort((a, b) => a - b),
      Array.from({ length: 12 }, (_, i) => 20 + i)
    );
    assert.ok(refused.every((e) => e.remaining === 0 && e.resetAfter > 0));
    assert.equal(warnings.filter((w) => w.includes('session start budget is spent')).length, 12, 'loud warnings');
    assert.equal(Number(await redis.get(coordinators[0].budgetKey)), 0);
    // Refused shards closed their sockets and wait for the reset instead of holding a connection.
    for (const h of hosts)
      for (const shard of h.manager.shards.values())
        if (shard.id >= 20) assert.equal(shard.status, 'disconnected', `shard ${shard.id}`);
  });
});
