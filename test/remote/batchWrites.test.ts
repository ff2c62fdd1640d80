/**
 * The optional batched write (`setEntities`, BatchRemoteCacheStore) on every store, and
 * RemoteWriteQueue's use of it: many records per store operation, same results as one by one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import {
  type BatchRemoteCacheStore,
  fromNodeRedis,
  MemoryCacheStore,
  RedisCacheStore,
  type RemoteCacheEntry,
  RemoteStoreError,
  RemoteWriteQueue,
  SqliteCacheStore,
  supportsBatchWrites
} from '../../src/cache/index.js';
import { REDIS_SKIP, redisAnswers, uniquePrefix } from '../cache/helpers/redis.js';
import { CountingStore } from '../cache/helpers/stores.js';

let redisUp = false;
let ioredis: Redis | undefined;
let nodeRedis: ReturnType<typeof createClient> | undefined;
const prefixes: string[] = [];

before(async () => {
  redisUp = await redisAnswers();
  if (!redisUp) {
    console.warn(`SKIPPING Redis batched-write tests: ${REDIS_SKIP}`);
    return;
  }
  ioredis = new Redis(6379, '127.0.0.1', { maxRetriesPerRequest: 1 });
  nodeRedis = createClient({ url: 'redis://127.0.0.1:6379' });
  await nodeRedis.connect();
});

after(async () => {
  if (ioredis) {
    for (const prefix of prefixes) {
      let cursor = '0';
      do {
        const [next, keys] = await ioredis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await ioredis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
    ioredis.disconnect();
  }
  await nodeRedis?.quit();
});

const entries = (count: number, tag: string): RemoteCacheEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    namespace: i % 2 === 0 ? 'user' : `member:${i % 7}`,
    id: String(1000 + i),
    value: JSON.stringify({ id: String(1000 + i), tag, text: 'é"\\' })
  }));

type Maker = () => BatchRemoteCacheStore | undefined;
const makers: Array<[string, Maker]> = [
  ['Memory', () => new MemoryCacheStore()],
  ['SQLite', () => new SqliteCacheStore(new Database(':memory:'))],
  [
    'Redis (ioredis: MSET / pipeline)',
    () => {
      if (!ioredis) return undefined;
      const prefix = uniquePrefix('batch-io');
      prefixes.push(prefix);
      return new RedisCacheStore(ioredis, { prefix, batchSize: 300 });
    }
  ],
  [
    'Redis (node-redis: mSet / auto-pipelined SETs)',
    () => {
      if (!nodeRedis) return undefined;
      const prefix = uniquePrefix('batch-nr');
      prefixes.push(prefix);
      return new RedisCacheStore(fromNodeRedis(nodeRedis), { prefix, batchSize: 300 });
    }
  ]
];

for (const [name, make] of makers) {
  describe(`${name} setEntities`, () => {
    const isRedis = name.startsWith('Redis');

    test('writes every entry across namespaces, readable one by one and in bulk; overwrites', async (t) => {
      if (isRedis && !redisUp) return t.skip(REDIS_SKIP);
      const store = make()!;
      assert.ok(supportsBatchWrites(store));
      const first = entries(1000, 'first');
      await store.setEntities(first);
      for (const e of [first[0], first[1], first[999]]) assert.equal(await store.getEntity(e.namespace, e.id), e.value);
      const users = first.filter((e) => e.namespace === 'user');
      assert.deepEqual(
        await store.getEntities(
          'user',
          users.map((e) => e.id)
        ),
        users.map((e) => e.value)
      );
      assert.equal(
        (await store.getAllEntities('member:3')).length,
        first.filter((e) => e.namespace === 'member:3').length
      );
      await store.setEntities(entries(10, 'second'));
      assert.equal(JSON.parse((await store.getEntity('user', '1000'))!).tag, 'second');
      await store.setEntities([]);
    });

    test('ttlSeconds applies to every entry of the batch', async (t) => {
      if (isRedis && !redisUp) return t.skip(REDIS_SKIP);
      if (!isRedis) {
        // Memory and SQLite take a clock: expiry is checked without waiting.
        let now = 1_000_000;
        const store: BatchRemoteCacheStore = name.startsWith('Memory')
          ? new MemoryCacheStore({ now: () => now })
          : new SqliteCacheStore(new Database(':memory:'), { now: () => now });
        await store.setEntities(entries(20, 'ttl'), 5);
        assert.notEqual(await store.getEntity('user', '1000'), null);
        now += 6000;
        assert.equal(await store.getEntity('user', '1000'), null);
        assert.equal(await store.getEntity('member:1', '1001'), null);
        return;
      }
      const store = make() as RedisCacheStore;
      await store.setEntities(entries(20, 'ttl'), 120);
      const ttl = await ioredis!.ttl(store.key('member:1', '1001'));
      assert.ok(ttl > 0 && ttl <= 120, `TTL ${ttl}`);
      const noTTL = await ioredis!.ttl(store.key('user', '1000'));
      assert.ok(noTTL > 0, 'every entry got the TTL');
    });

    test('an invalid id rejects the whole batch before anything is written', async (t) => {
      if (isRedis && !redisUp) return t.skip(REDIS_SKIP);
      const store = make()!;
      const batch = [...entries(5, 'bad'), { namespace: 'user', id: 'a:b', value: '{}' }];
      await assert.rejects(store.setEntities(batch));
      assert.equal(await store.getEntity('user', '1000'), null);
    });
  });
}

test('Redis setEntities on a closed connection rejects with RemoteStoreError', async (t) => {
  if (!redisUp) return t.skip(REDIS_SKIP);
  const closed = new Redis(6379, '127.0.0.1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0
  });
  const store = new RedisCacheStore(closed, { prefix: uniquePrefix('batch-closed') });
  await assert.rejects(store.setEntities(entries(10, 'x')), RemoteStoreError);
  await assert.rejects(store.setEntities(entries(10, 'x'), 60), RemoteStoreError);
  closed.disconnect();
});

describe('RemoteWriteQueue with a batching store', () => {
  test('pending sets go out in batches of batchSize; removals stay single; every write lands', async () => {
    const store = new MemoryCacheStore();
    const sizes: number[] = [];
    const setEntities = store.setEntities.bind(store);
    store.setEntities = (batch, ttl) => {
      sizes.push(batch.length);
      return setEntities(batch, ttl);
    };
    const queue = new RemoteWriteQueue(store, { batchSize: 100 });
    for (let i = 0; i < 1050; i++) queue.set('user', String(i), `v${i}`);
    queue.remove('user', '7');
    await queue.drain();
    assert.deepEqual(
      sizes.sort((a, b) => b - a),
      [...Array(10).fill(100), 49]
    );
    assert.equal(queue.batches, 11);
    // The removal of 7 replaced its pending set (coalesced): 1,049 sets in 11 batches and one removal.
    assert.equal(queue.counters.flushed, 1050);
    assert.equal(await store.getEntity('user', '1049'), 'v1049');
    assert.equal(await store.getEntity('user', '7'), null);
  });

  test('a failed batch counts an error per record and tells onError about each', async () => {
    const store = new MemoryCacheStore();
    store.setEntities = () => Promise.reject(new Error('down'));
    const told: string[] = [];
    const queue = new RemoteWriteQueue(store, { onError: (_e, w) => told.push(w.id) });
    for (let i = 0; i < 30; i++) queue.set('user', String(i), 'v');
    await queue.drain();
    assert.equal(queue.counters.errors, 30);
    assert.equal(queue.counters.flushed, 0);
    assert.equal(told.length, 30);
  });

  test('concurrency bounds batches in flight; a store without setEntities gets single writes', async () => {
    const store = new MemoryCacheStore();
    let inFlight = 0;
    let peak = 0;
    const setEntities = store.setEntities.bind(store);
    store.setEntities = async (batch, ttl) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      return setEntities(batch, ttl);
    };
    const queue = new RemoteWriteQueue(store, { batchSize: 10, concurrency: 3 });
    for (let i = 0; i < 500; i++) queue.set('user', String(i), 'v');
    await queue.drain();
    assert.ok(peak <= 3, `peak ${peak}`);
    assert.equal(queue.counters.flushed, 500);

    const plain = new CountingStore();
    const single = new RemoteWriteQueue(plain);
    assert.equal(single.batchSize, 1);
    for (let i = 0; i < 50; i++) single.set('user', String(i), 'v');
    await single.drain();
    assert.equal(plain.calls.setEntity, 50);
    assert.equal(single.batches, 0);
  });
});
