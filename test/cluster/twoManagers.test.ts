/**
 * Two hosts of one fleet: two ClusterManagers with disjoint shard ranges, sharing one Redis
 * identify queue. The simulator's identify log must show the bucket rule held across both.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FleetMetricsServer, type FleetSnapshot, RedisIdentifyQueue } from '../../src/index.js';
import { fleetManager, identifyLog, redisOrNull, startSim } from './fleetHarness.js';

const SHARDS = 16;

test('two managers with disjoint shard ranges share a RedisIdentifyQueue: bucket rule held; rolling restart resumes; /metrics', {
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
  const queue = () => new RedisIdentifyQueue(redis, { maxConcurrency: 4, window: 400, prefix });
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
    assert.deepEqual([...buckets([0, 7])].sort(), [0, 1, 2, 3]);
    assert.deepEqual([...buckets([8, 15])].sort(), [0, 1, 2, 3]);
    assert.equal(hostA.identifiesGranted + hostB.identifiesGranted, SHARDS);

    // Rolling restart of host A: one cluster at a time, each process replaced, shards resumed.
    const pids = hostA.info().map((c) => c.pid);
    const resumesBefore = sim.stats.resumes.length;
    await hostA.rollingRestart();
    const after = hostA.info();
    for (const c of after) {
      assert.ok(!pids.includes(c.pid), `cluster ${c.id} runs a new process`);
      assert.equal(c.state, 'ready');
      for (const s of c.shards) assert.equal(s.resumes, 1, `shard ${s.id} resumed after the restart`);
    }
    assert.equal(sim.stats.resumes.slice(resumesBefore).filter((r) => r.ok).length, 8);
    assert.equal(identifyLog(sim, 150).perShard.get(0), 1, 'no shard identified again');

    // Fleet stats over HTTP, bound to 127.0.0.1.
    const metrics = new FleetMetricsServer(hostA);
    const port = await metrics.listen();
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const readyLines = text.split('\n').filter((l) => l.startsWith('athena_shard_ready{'));
      assert.equal(readyLines.length, 8);
      assert.ok(
        readyLines.every((l) => l.endsWith(' 1')),
        text
      );
      assert.match(text, /athena_cluster_heap_used_bytes\{cluster="1"\} \d+/);
      const json = (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as FleetSnapshot;
      assert.equal(json.stats.length, 2);
      assert.deepEqual(
        json.stats.flatMap((s) => s.shards.map((sh) => sh.id)).sort((a, b) => a - b),
        [0, 1, 2, 3, 4, 5, 6, 7]
      );
      assert.equal((await fetch(`http://127.0.0.1:${port}/nope`)).status, 404);
    } finally {
      await metrics.close();
    }
  } finally {
    await Promise.all([hostA.shutdown(), hostB.shutdown()]);
    await sim.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
});
