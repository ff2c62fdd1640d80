/**
 * A host restart: a whole ShardManager stops without ending its sessions and without its final
 * save (its Redis connection dies first, as in a kill -9), traffic goes on meanwhile, and a new manager (new process objects, new Redis
 * connection, same bot) resumes every shard through RedisSessionStore: the simulator counts
 * resumes, not identifies, and the seq logs show no dispatch lost. One stored resume URL is made
 * stale: that shard falls back to the gateway URL after 3 failures and still resumes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { LocalIdentifyQueue, RedisSessionStore } from '../../src/index.js';
import type { Simulator } from '../../src/testing/index.js';
import {
  type Delivered,
  dropPrefix,
  eventually,
  host,
  REDIS_SKIP,
  redisOrNull,
  sleep,
  startSim,
  uniquePrefix,
  WINDOW
} from './helpers.js';

const SHARDS = 8;

describe('RedisSessionStore: a restarted host resumes', { timeout: 60_000 }, () => {
  let redis: Redis | null = null;
  let sim: Simulator | null = null;
  const prefix = uniquePrefix('sessions');
  const cleanups: (() => Promise<void> | void)[] = [];

  before(async () => {
    redis = await redisOrNull();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await sim?.close();
    if (redis) {
      await dropPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  function process_(tag: string) {
    const connection = redis!.duplicate();
    connection.on('error', () => {});
    const store = new RedisSessionStore(connection, {
      botID: sim!.world.botUser.id,
      shardCount: SHARDS,
      prefix,
      ttlMs: 60_000
    });
    const queue = new LocalIdentifyQueue(4, WINDOW + 50);
    const h = host(sim!, [0, SHARDS - 1], SHARDS, { identifyQueue: queue, sessionStore: store });
    cleanups.push(() => {
      h.manager.disconnect();
      queue.destroy();
      connection.disconnect();
    });
    void tag;
    return { h, store, connection };
  }

  test('every shard resumes after a whole-host stop; no dispatch lost', async (t) => {
    if (!redis) {
      console.warn(`session store test skipped: ${REDIS_SKIP}`);
      t.skip(REDIS_SKIP);
      return;
    }
    sim = await startSim({ guilds: 64, shards: SHARDS });
    const first = process_('first');
    await first.h.manager.connect({ url: sim.gatewayURL, shards: SHARDS, maxConcurrency: 4 });
    await eventually(() => first.h.readyShards.size === SHARDS, 20_000, 'first host ready');
    assert.equal(sim.stats.identifyCount, SHARDS);

    // Traffic runs across the restart: some dispatches land while no host is connected.
    const traffic = sim.traffic.run({ events: 4000, rate: 4000, mix: { reaction: 3, memberUpdate: 1, message: 1 } });
    await sleep(300);
    // A crash, as far as Redis can tell: the store's connection dies first, so the final save on
    // disconnect never lands and the stored seq is the one of the last heartbeat (1 s here).
    first.connection.disconnect();
    first.h.manager.disconnect({ keepSession: true });
    await first.store.flush().catch(() => undefined);
    await sleep(250);

    // Make one stored resume URL stale: nothing listens on port 9.
    const stale = `${prefix}session:${sim.world.botUser.id}:${SHARDS}:3`;
    const stored = JSON.parse((await redis.get(stale))!);
    await redis.set(stale, JSON.stringify({ ...stored, resumeURL: 'ws://127.0.0.1:9/' }), 'PX', 60_000);

    const second = process_('second');
    const resumed = new Set<number>();
    second.h.manager.on('shardResume', (id) => resumed.add(id));
    await second.h.manager.connect({ url: sim.gatewayURL, shards: SHARDS, maxConcurrency: 4 });
    await eventually(() => resumed.size === SHARDS, 20_000, 'every shard resumed');
    await traffic;

    const sessions = sim.stats.sessions();
    await eventually(
      () =>
        sessions.every((s) => {
          const shard = second.h.manager.shards.get(s.shard[0])!;
          return shard.seq === (sim!.stats.session(s.sessionID)?.seq ?? -1);
        }),
      20_000,
      'second host caught up with every session'
    );

    assert.equal(sim.stats.identifyCount, SHARDS, 'no shard identified again');
    assert.equal(sim.stats.resumeCount, SHARDS, 'every shard resumed');
    assert.equal(second.store.stats.hits, SHARDS, 'every session came from Redis');
    assert.equal(second.h.manager.shards.get(3)!.stats.resumeURLFallbacks, 1, 'stale resume URL given up once');

    let replayed = 0;
    for (const summary of sim.stats.sessions()) {
      const shardID = summary.shard[0];
      const a = seqs(first.h.delivered, shardID, summary.sessionID);
      const b = seqs(second.h.delivered, shardID, summary.sessionID);
      assert.ok(b.length > 0, `shard ${shardID}: the second host got dispatches`);
      assert.ok(isContiguous(a) && isContiguous(b), `shard ${shardID}: each host saw a gap-free run`);
      // The second host starts at most where the first stopped (+1): replayed, never skipped.
      assert.ok(b[0] <= a[a.length - 1] + 1, `shard ${shardID}: gap between hosts (${a.at(-1)} → ${b[0]})`);
      assert.equal(b[b.length - 1], summary.seq, `shard ${shardID}: last seq delivered`);
      const types = sim.stats.dispatchTypes(summary.sessionID);
      const delivered = new Set([...a, ...b]);
      for (let s = 1; s <= summary.seq; s++) {
        if (types[s - 1] === 'RESUMED') continue;
        assert.ok(delivered.has(s), `shard ${shardID}: seq ${s} (${types[s - 1]}) lost`);
      }
      replayed += summary.replayed;
    }
    assert.ok(replayed > 0, 'the simulator replayed dispatches sent while no host was connected');
  });

  test('a corrupt stored value is skipped, counted and deleted', async (t) => {
    if (!redis) {
      console.warn(`session store test skipped: ${REDIS_SKIP}`);
      t.skip(REDIS_SKIP);
      return;
    }
    const warnings: string[] = [];
    const store = new RedisSessionStore(redis, { botID: '123', prefix, logger: (m) => warnings.push(m) });
    await redis.set(store.keyFor(5), '{"sessionID":42', 'PX', 10_000);
    assert.equal(await store.get(5), null);
    assert.equal(store.stats.corrupt, 1);
    assert.equal(warnings.length, 1);
    await store.flush();
    assert.equal(await redis.exists(store.keyFor(5)), 0);
    await store.set(5, { sessionID: 'abc', seq: 9, resumeURL: 'wss://gateway.example/' });
    await store.flush();
    assert.deepEqual(await store.get(5), { sessionID: 'abc', seq: 9, resumeURL: 'wss://gateway.example/' });
    assert.ok((await redis.pttl(store.keyFor(5))) > 0, 'stored with a TTL');
  });
});

function seqs(delivered: Delivered[], shard: number, session: string): number[] {
  return delivered.filter((d) => d.shard === shard && d.session === session).map((d) => d.s);
}

function isContiguous(list: number[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i] !== list[i - 1] + 1) return false;
  return true;
}
