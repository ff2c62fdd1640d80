/**
 * Two hosts of one fleet: two ClusterManagers with disjoint shard ranges, sharing one Redis
 * identify queue. The simulator's identify log must show the bucket rule held across both.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RedisIdentifyQueue } from '../../src/index.js';
import { fleetManager, identifyLog, redisOrNull, startSim } from './fleetHarness.js';

const SHARDS = 16;

test('two managers with disjoint shard ranges share a RedisIdentifyQueue: bucket rule held', {
  timeout: 90_000
}, async (t) => {
  const redis = await redisOrNull();
  if (!redis) {
    t.skip('Redis not reachable on 127.0.0.1:6379');
    return;
  }
  const prefix = `athena-two-managers-${process.pid}:`;
  const sim = await startSim({ guilds: 400, shards: SHARDS, identifyIntervalMs: 150 });
  // Each host builds its own queue over the shared Redis: only the prefix and concurrency agree.
  const queue = () => new RedisIdentifyQueue(redis, { maxConcurrency: 2, window: 400, prefix });
  const hostA = fleetManager(sim, { clusters: 2, totalShards: SHARDS, shardRange: [0, 7], identifyQueue: queue() });
  const hostB = fleetManager(sim, { clusters: 2, totalShards: SHARDS, shardRange: [8, 15], identifyQueue: queue() });
  try {
    await Promise.all([hostA.spawn(), hostB.spawn()]);
    await Promise.all([hostA.waitForReady(), hostB.waitForReady()]);
    const log = identifyLog(sim, 150);
    assert.deepEqual(
      sim.stats.identifies.filter((r) => !r.accepted).map((r) => `shard ${r.shard[0]}: ${r.reason}`),
      [],
      'no identify refused'
    );
    assert.deepEqual(log.violations, []);
    for (let shard = 0; shard < SHARDS; shard++)
      assert.equal(log.perShard.get(shard), 1, `shard ${shard} identified once`);
    // Both hosts identified shards of both buckets, so they did contend for the same locks.
    const buckets = (range: [number, number]) =>
      new Set(
        sim.stats.identifies.filter((r) => r.shard[0] >= range[0] && r.shard[0] <= range[1]).map((r) => r.bucket)
      );
    assert.deepEqual([...buckets([0, 7])].sort(), [0, 1]);
    assert.deepEqual([...buckets([8, 15])].sort(), [0, 1]);
    assert.equal(hostA.identifiesGranted + hostB.identifiesGranted, SHARDS);
  } finally {
    await Promise.all([hostA.shutdown(), hostB.shutdown()]);
    await sim.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
});
