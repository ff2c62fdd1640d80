/**
 * Batched writes on Redis Cluster: `fromRedisCluster` has no MSET (it would cross hash slots), so a
 * batch is parallel SETs routed per key; with and without TTL every record lands on its master and
 * reads back, and RemoteWriteQueue batches into it. Starts three `redis-server --cluster-enabled yes`
 * nodes (skipped loudly without redis-server).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Cluster } from 'ioredis';
import { fromRedisCluster, RedisCacheStore, RemoteWriteQueue } from '../../src/cache/index.js';
import { uniquePrefix } from '../cache/helpers/redis.js';
import { haveRedisServer, type LocalCluster, startLocalCluster } from '../cache/helpers/redisCluster.js';

const SKIP = haveRedisServer() ? undefined : 'redis-server/redis-cli not installed: cluster batched writes skipped';
let cluster: LocalCluster | undefined;
let client: Cluster | undefined;

before(async () => {
  if (SKIP) {
    console.warn(`SKIPPING: ${SKIP}`);
    return;
  }
  cluster = await startLocalCluster();
  client = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
  await new Promise<void>((resolve, reject) => {
    client!.once('ready', () => resolve());
    client!.once('error', reject);
  });
});

after(async () => {
  client?.disconnect();
  await cluster?.stop();
});

test('setEntities on a cluster: keys across slots and masters, with and without TTL', { skip: SKIP }, async () => {
  const prefix = uniquePrefix('cluster-batch');
  const store = new RedisCacheStore(fromRedisCluster(client!), { prefix, batchSize: 200 });
  const ids = Array.from({ length: 600 }, (_, i) => String(10_000 + i));
  await store.setEntities(ids.map((id) => ({ namespace: 'user', id, value: `{"id":"${id}"}` })));
  assert.deepEqual(
    await store.getEntities('user', ids),
    ids.map((id) => `{"id":"${id}"}`)
  );
  await store.setEntities(
    ids.slice(0, 50).map((id) => ({ namespace: 'member:9', id, value: 'm' })),
    300
  );
  const ttl = await client!.ttl(store.key('member:9', ids[49]));
  assert.ok(ttl > 0 && ttl <= 300, `TTL ${ttl}`);
  assert.equal((await store.getAllEntities('user')).length, 600, 'SCAN over every master finds them all');

  const queue = new RemoteWriteQueue(store);
  for (const id of ids) queue.set('member:10', id, 'q');
  await queue.drain();
  assert.ok(queue.batches > 0);
  assert.equal(queue.counters.flushed, 600);
  assert.equal(queue.counters.errors, 0);
  assert.equal((await store.getAllEntities('member:10')).length, 600);
});
