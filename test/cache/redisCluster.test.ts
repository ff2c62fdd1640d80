import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Cluster, Redis } from 'ioredis';
import { fromRedisCluster, keySlot, RedisCacheStore } from '../../src/cache/index.js';
import { runRemoteCacheStoreContract } from '../../src/testing/storeContract.js';
import { uniquePrefix } from './helpers/redis.js';
import { haveRedisServer, type LocalCluster, startLocalCluster } from './helpers/redisCluster.js';

const harness = { test, assert };

test('keySlot is CRC16 mod 16384 with {hashtag} handling (known values)', () => {
  // Values from the Redis Cluster specification and `CLUSTER KEYSLOT`.
  assert.equal(keySlot('123456789'), 0x31c3 % 16384);
  assert.equal(keySlot('foo'), 12182);
  assert.equal(keySlot('{user1000}.following'), keySlot('user1000'));
  assert.equal(keySlot('foo{{bar}}zap'), keySlot('{bar'));
  assert.equal(keySlot('foo{bar}{zap}'), keySlot('bar'));
});

const SKIP = haveRedisServer() ? undefined : 'redis-server/redis-cli not installed: Redis Cluster contract skipped';
let cluster: LocalCluster | undefined;
let client: Cluster | undefined;
if (!SKIP) {
  cluster = await startLocalCluster();
  client = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
  await new Promise<void>((resolve, reject) => {
    client!.once('ready', () => resolve());
    client!.once('error', reject);
  });
}
after(async () => {
  client?.disconnect();
  await cluster?.stop();
});

test('keySlot agrees with CLUSTER KEYSLOT on a live cluster', { skip: SKIP }, async () => {
  const node = new Redis({ host: '127.0.0.1', port: cluster!.ports[0] });
  try {
    for (const key of ['zira:user:1', 'zira:member:42:7', 'a{b}c', '{}x', 'ünï', 'x{y', `k${'z'.repeat(300)}`]) {
      assert.equal(keySlot(key), Number(await node.cluster('KEYSLOT', key)), key);
    }
  } finally {
    node.disconnect();
  }
});

test('MGET across slots is split per slot and SCAN sees keys on every master', { skip: SKIP }, async () => {
  const prefix = uniquePrefix('cluster-spread');
  const store = new RedisCacheStore(fromRedisCluster(client!), { prefix });
  const ids = Array.from({ length: 300 }, (_, i) => String(i + 1));
  await Promise.all(ids.map((id) => store.setEntity('user', id, id)));
  const masters = client!.nodes('master');
  const perMaster = await Promise.all(
    masters.map(async (node) => (await node.keys(`${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`)).length)
  );
  assert.equal(perMaster.length, 3);
  assert.ok(
    perMaster.every((n) => n > 0),
    `keys on every master: ${perMaster}`
  );
  assert.deepEqual(await store.getEntities('user', ids), ids);
  assert.equal((await store.getAllEntities('user')).length, 300);
  await Promise.all(ids.map((id) => store.removeEntity('user', id)));
});

runRemoteCacheStoreContract(
  'Redis Cluster (ioredis Cluster)',
  () => {
    const prefix = uniquePrefix('cluster');
    return { store: new RedisCacheStore(fromRedisCluster(client!), { prefix }) };
  },
  harness,
  { skip: SKIP }
);
