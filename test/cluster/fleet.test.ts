/**
 * The fleet on the simulator with Redis: 4 clusters × 4 shards of the reaction-roles example in the
 * lean configuration. One fleet serves both tests (the second crashes a cluster of the first).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import type { ReactionRolesProtocol } from '../../examples/reaction-roles/bot.js';
import type { ClusterManager } from '../../src/index.js';
import type { Simulator } from '../../src/testing/index.js';
import {
  eventually,
  fleetManager,
  identifyLog,
  redisOrNull,
  roleMismatches,
  scanKeys,
  sleep,
  startSim
} from './fleetHarness.js';

const SHARDS = 16;
const REACTIONS = 10_000;
const prefix = `athena-fleet-test-${process.pid}:`;

describe('fleet: 4 clusters x 4 shards, Redis store', { timeout: 150_000 }, () => {
  let redis: Redis | null = null;
  let sim: Simulator | null = null;
  let manager: ClusterManager<ReactionRolesProtocol> | null = null;

  before(async () => {
    redis = await redisOrNull();
    if (!redis) return;
    sim = await startSim({ guilds: 800, shards: SHARDS });
    sim.traffic.trackReactions = true;
    manager = fleetManager(sim, {
      clusters: 4,
      totalShards: SHARDS,
      env: { ATHENA_LEAN: '1', REDIS_URL: 'redis://127.0.0.1:6379', ATHENA_STORE_PREFIX: prefix }
    });
    await manager.spawn();
    await manager.waitForReady();
  });

  after(async () => {
    await manager?.shutdown();
    await sim?.close();
    if (redis) {
      const keys = await scanKeys(redis, `${prefix}*`);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
      redis.disconnect();
    }
  });

  test('every shard ready once, bucket rule held, one copy per user in Redis, roles exact', async (t) => {
    if (!redis || !sim || !manager) {
      console.warn('fleet test skipped: Redis not reachable on 127.0.0.1:6379');
      t.skip('Redis not reachable on 127.0.0.1:6379');
      return;
    }
    const info = manager.info();
    assert.equal(info.length, 4);
    assert.deepEqual(
      info.map((c) => [c.firstShardID, c.lastShardID]),
      [
        [0, 3],
        [4, 7],
        [8, 11],
        [12, 15]
      ]
    );
    const log = identifyLog(sim, 150);
    assert.deepEqual(
      sim.stats.identifies.filter((r) => !r.accepted).map((r) => `shard ${r.shard[0]}: ${r.reason}`),
      [],
      'no identify refused by the simulator'
    );
    assert.deepEqual(log.violations, []);
    for (let shard = 0; shard < SHARDS; shard++)
      assert.equal(log.perShard.get(shard), 1, `shard ${shard} identified once`);
    for (const c of info) for (const s of c.shards) assert.equal(s.readies, 1, `shard ${s.id} ready once`);

    const report = await sim.traffic.run({ events: REACTIONS, rate: 2000, mix: { reaction: 1 } });
    assert.equal(report.emitted + report.skipped, REACTIONS);
    const mismatches = await eventually(() => roleMismatches(sim!), 60_000);
    assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} members with wrong roles`);

    const stats = await manager.stats();
    let toggles = 0;
    for (const s of stats) {
      assert.equal(s.counters['toggles.failed'] ?? 0, 0, `cluster ${s.clusterID}: no failed toggle`);
      toggles += (s.counters['toggles.add'] ?? 0) + (s.counters['toggles.remove'] ?? 0);
    }
    assert.ok(toggles >= report.byKind.reaction, `${toggles} toggles for ${report.byKind.reaction} reactions`);

    // Each cluster holds its own users in heap; Redis holds each user once for the whole fleet.
    const perCluster = await manager.requestAll('hotUserIDs', null);
    const union = new Set(perCluster.flat());
    const heapCopies = perCluster.reduce((n, ids) => n + ids.length, 0);
    assert.ok(heapCopies > union.size, 'some users sit in several clusters');
    let keys: string[] = [];
    for (let i = 0; i < 40; i++) {
      keys = await scanKeys(redis, `${prefix}user:*`);
      if (keys.length >= union.size) break;
      await sleep(250);
    }
    const stored = new Set(keys.map((k) => k.slice(`${prefix}user:`.length)));
    assert.equal(keys.length, stored.size);
    for (const id of union) assert.ok(stored.has(id), `user ${id} is in Redis`);
    assert.equal(stored.size, union.size, 'one copy per user, no more');
  });

  test('kill -9 of one cluster: respawned, its shards resume, others unaffected, roles exact', async (t) => {
    if (!redis || !sim || !manager) {
      console.warn('fleet test skipped: Redis not reachable on 127.0.0.1:6379');
      t.skip('Redis not reachable on 127.0.0.1:6379');
      return;
    }
    const victim = manager.clusters.get(1)!;
    const othersBefore = manager.info().filter((c) => c.id !== 1);
    const identifiesBefore = sim.stats.identifies.length;
    const resumesBefore = sim.stats.resumes.length;
    // Sessions reach the manager at READY and at each heartbeat; resuming replays from there.
    await sleep(500);

    const run = sim.traffic.run({ events: 6000, rate: 1500, mix: { reaction: 1 } });
    await sleep(1500);
    const oldPid = victim.pid;
    assert.ok(victim.kill('SIGKILL'));
    await new Promise<void>((resolve) => {
      const onReady = (id: number) => {
        if (id !== 1) return;
        manager!.off('ready', onReady);
        resolve();
      };
      manager!.on('ready', onReady);
    });
    await run;
    assert.notEqual(victim.pid, oldPid, 'a new process runs cluster 1');
    assert.equal(victim.crashes, 1);

    const mismatches = await eventually(() => roleMismatches(sim!), 60_000);
    assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} members with wrong roles after the crash`);

    const newIdentifies = sim.stats.identifies.slice(identifiesBefore).filter((r) => r.accepted);
    assert.deepEqual(
      newIdentifies.map((r) => r.shard[0]),
      [],
      'no shard identified again: the crashed cluster resumed'
    );
    const resumes = sim.stats.resumes.slice(resumesBefore).filter((r) => r.ok);
    const shardOfSession = new Map(sim.stats.sessions().map((s) => [s.sessionID, s.shard[0]]));
    const resumedShards = new Set(resumes.map((r) => shardOfSession.get(r.sessionID)));
    assert.deepEqual(
      [...resumedShards].sort((a, b) => (a ?? 0) - (b ?? 0)),
      [4, 5, 6, 7],
      'exactly cluster 1 resumed'
    );
    for (const c of manager.info()) {
      if (c.id === 1) {
        for (const s of c.shards) assert.ok(s.resumes >= 1, `shard ${s.id} resumed`);
        continue;
      }
      const before = othersBefore.find((o) => o.id === c.id)!;
      assert.equal(c.pid, before.pid, `cluster ${c.id} kept its process`);
      assert.equal(c.spawns, 1);
      for (const s of c.shards) assert.equal(s.resumes, 0, `shard ${s.id} of cluster ${c.id} never noticed`);
    }
  });
});
