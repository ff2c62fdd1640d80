import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Redis } from 'ioredis';
import { RedisCacheStore, RemoteBackedCollection, RemoteStoreError, TieredResolver } from '../../src/cache/index.js';
import { InvalidOptionError } from '../../src/util/errors.js';
import { REDIS_SKIP, redisAnswers, uniquePrefix } from './helpers/redis.js';
import { TestUser } from './helpers/structures.js';

const up = await redisAnswers();
if (!up) console.warn(`[RedisCacheStore] ${REDIS_SKIP}: Redis-bound tests skipped`);
const skip = up ? undefined : REDIS_SKIP;
const redis = up ? new Redis({ host: '127.0.0.1', port: 6379 }) : undefined;
const prefixes: string[] = [];
after(async () => {
  if (redis) {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis.disconnect();
  }
});
function prefix(tag: string): string {
  const p = uniquePrefix(tag);
  prefixes.push(p);
  return p;
}

test('keys are prefix + namespace + ":" + id, with plain SET EX and sliding EXPIRE on read', { skip }, async () => {
  const p = prefix('ttl');
  const store = new RedisCacheStore(redis!, { prefix: p, ttlSeconds: 100, updateTTLOnGet: true });
  await store.setEntity('user', '1', '{"id":"1"}');
  assert.equal(await redis!.get(`${p}user:1`), '{"id":"1"}');
  assert.ok((await redis!.ttl(`${p}user:1`)) > 90);
  await redis!.expire(`${p}user:1`, 5);
  await store.getEntity('user', '1');
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok((await redis!.ttl(`${p}user:1`)) > 90, 'getEntity slid the expiry');
  await redis!.expire(`${p}user:1`, 5);
  await store.getEntities('user', ['1', '2']);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok((await redis!.ttl(`${p}user:1`)) > 90, 'getEntities slid the expiry');
  assert.equal(await redis!.exists(`${p}user:2`), 0, 'no key created for a miss');
  const plain = new RedisCacheStore(redis!, { prefix: p });
  await plain.setEntity('user', '3', 'x');
  assert.equal(await redis!.ttl(`${p}user:3`), -1);
});

test('glob characters in the prefix do not widen getAllEntities', { skip }, async () => {
  const base = prefix('glob');
  const weird = `${base}a*[b]?:`;
  const sibling = `${base}aXXbZ:`;
  prefixes.push(weird, sibling);
  await new RedisCacheStore(redis!, { prefix: weird }).setEntity('user', '1', 'mine');
  await new RedisCacheStore(redis!, { prefix: sibling }).setEntity('user', '1', 'theirs');
  assert.deepEqual(await new RedisCacheStore(redis!, { prefix: weird }).getAllEntities('user'), ['mine']);
});

test('a dead Redis: typed RemoteStoreError, and fetches fall back to REST', { skip }, async () => {
  // A port nothing listens on; fail fast instead of queueing offline.
  const dead = new Redis({
    host: '127.0.0.1',
    port: 1,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null
  });
  dead.on('error', () => {});
  try {
    const store = new RedisCacheStore(dead, { prefix: prefix('dead') });
    await assert.rejects(store.getEntity('user', '1'), RemoteStoreError);
    const users = new RemoteBackedCollection(TestUser, 10, store, 'user');
    const resolver = new TieredResolver(users, async (id) => ({ id, username: 'from-rest' }));
    assert.equal((await resolver.resolve('1'))?.username, 'from-rest');
    assert.equal(resolver.stats.storeErrors, 1);
    await users.queue.drain();
    assert.equal(users.stats.readErrors, 1);
    assert.equal(users.stats.errors, 1, 'the write-through of the REST result failed and was counted');
  } finally {
    dead.disconnect();
  }
});

test('RedisCacheStore options are validated', () => {
  const fake = { get: async () => null } as unknown as Redis;
  assert.throws(() => new RedisCacheStore(fake, { ttlSeconds: 0 }), InvalidOptionError);
  assert.throws(() => new RedisCacheStore(fake, { prefix: 5 as unknown as string }), InvalidOptionError);
  assert.throws(() => new RedisCacheStore(null as unknown as Redis), InvalidOptionError);
});
