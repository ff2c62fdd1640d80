import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Collection,
  MemoryCacheStore,
  RemoteBackedCollection,
  RemoteWriteQueue,
  TieredResolver
} from '../../src/cache/index.js';
import { CountingStore, FailingStore, HungStore } from './helpers/stores.js';
import { type MemberContext, type RawMember, type RawUser, TestMember, TestUser } from './helpers/structures.js';

const user = (id: string): RawUser => ({ id, username: `user${id}` });

/** A REST stand-in: counts calls, knows ids below 1000, 404s (null) the rest. */
function restLoader() {
  const calls: string[] = [];
  const load = async (id: string) => {
    calls.push(id);
    await new Promise((resolve) => setTimeout(resolve, 1));
    return Number(id) < 1000 ? user(id) : null;
  };
  return { calls, load };
}

describe('TieredResolver', () => {
  test('hot set first, then store, then REST; REST results land in both tiers', async () => {
    const store = new CountingStore();
    await store.inner.setEntity('user', '2', JSON.stringify(user('2')));
    const users = new RemoteBackedCollection(TestUser, 100, store, 'user', { queue: new RemoteWriteQueue(store) });
    users.add(user('1'));
    const rest = restLoader();
    const resolver = new TieredResolver(users, rest.load);

    assert.equal((await resolver.resolve('1'))?.username, 'user1');
    assert.equal((await resolver.resolve('2'))?.username, 'user2');
    assert.equal((await resolver.resolve('3'))?.username, 'user3');
    assert.deepEqual(rest.calls, ['3']);
    assert.ok(users.has('2') && users.has('3'));
    await users.queue.drain();
    assert.deepEqual(JSON.parse((await store.inner.getEntity('user', '3'))!), user('3'));
    assert.equal(resolver.stats.hotHits, 1);
    assert.equal(resolver.stats.storeHits, 1);
    assert.equal(resolver.stats.restLoads, 1);
    // Now hot: no more store or REST calls.
    const calls = store.calls.getEntities;
    assert.equal((await resolver.resolve('3'))?.username, 'user3');
    assert.equal(store.calls.getEntities, calls);
  });

  test('an unknown id is a typed null result, not a thrown HTTP error', async () => {
    const store = new MemoryCacheStore();
    const resolver = new TieredResolver(new RemoteBackedCollection(TestUser, 10, store, 'user'), restLoader().load);
    assert.equal(await resolver.resolve('5000'), null);
    assert.equal(resolver.stats.notFound, 1);
  });

  test('single flight: concurrent resolves of one id share one promise, one store read, one REST call', async () => {
    const store = new CountingStore();
    const rest = restLoader();
    const resolver = new TieredResolver(new RemoteBackedCollection(TestUser, 10, store, 'user'), rest.load);
    const promises = Array.from({ length: 50 }, () => resolver.resolve('42'));
    assert.equal(new Set(promises).size, 1);
    const results = await Promise.all(promises);
    assert.ok(results.every((r) => r === results[0]));
    assert.equal(store.calls.getEntities, 1);
    assert.deepEqual(rest.calls, ['42']);
    assert.equal(resolver.pending, 0);
  });

  test('misses within one tick go to the store as one getEntities', async () => {
    const store = new CountingStore();
    for (let i = 0; i < 100; i += 2) await store.inner.setEntity('user', String(i), JSON.stringify(user(String(i))));
    const rest = restLoader();
    const resolver = new TieredResolver(new RemoteBackedCollection(TestUser, 1000, store, 'user'), rest.load);
    const ids = Array.from({ length: 100 }, (_, i) => String(i));
    const results = await resolver.resolveMany(ids);
    assert.deepEqual(
      results.map((r) => r?.id),
      ids
    );
    assert.equal(store.calls.getEntities, 1);
    assert.equal(store.batches[0].length, 100);
    assert.equal(rest.calls.length, 50);
    assert.equal(resolver.stats.storeBatches, 1);
    // A later tick is a new batch.
    await Promise.all([resolver.resolve('2000'), resolver.resolve('2001')]);
    assert.equal(store.calls.getEntities, 2);
  });

  test('a throwing store falls through to REST', async () => {
    const store = new FailingStore();
    const rest = restLoader();
    const users = new RemoteBackedCollection(TestUser, 10, store, 'user', { queue: new RemoteWriteQueue(store) });
    const resolver = new TieredResolver(users, rest.load);
    const [a, b] = await Promise.all([resolver.resolve('1'), resolver.resolve('2')]);
    assert.equal(a?.username, 'user1');
    assert.equal(b?.username, 'user2');
    assert.equal(resolver.stats.storeErrors, 1);
    assert.deepEqual(rest.calls.sort(), ['1', '2']);
  });

  test('REST failures reject that id only and are not cached', async () => {
    const store = new MemoryCacheStore();
    let fail = true;
    const resolver = new TieredResolver(new RemoteBackedCollection(TestUser, 10, store, 'user'), async (id) => {
      if (fail && id === '1') throw new Error('HTTP 500');
      return user(id);
    });
    const [one, two] = await Promise.allSettled([resolver.resolve('1'), resolver.resolve('2')]);
    assert.equal(one.status, 'rejected');
    assert.equal(two.status, 'fulfilled');
    fail = false;
    assert.equal((await resolver.resolve('1'))?.id, '1');
    assert.equal(resolver.stats.restErrors, 1);
  });

  test('members resolve through the tiers and are rebuilt with their user', async () => {
    const store = new MemoryCacheStore();
    const context: MemberContext = { guildID: 'g1', users: new Map([['9', user('9')]]) };
    const rawMember = (id: string): RawMember => ({ id, user: user(id), roles: ['a'] });
    // Another cluster wrote member 9; this one has an empty hot set.
    const other = new RemoteBackedCollection(TestMember, 10, store, 'member:g1');
    other.add(rawMember('9'), context);
    await other.queue.drain();
    const members = new RemoteBackedCollection(TestMember, 10, store, 'member:g1');
    const resolver = new TieredResolver(members, async (id) => rawMember(id), { extra: context });
    const m9 = await resolver.resolve('9');
    assert.equal(m9?.user.username, 'user9');
    assert.equal(m9?.guildID, 'g1');
    assert.equal(resolver.stats.storeHits, 1);
    const m10 = await resolver.resolve('10');
    assert.equal(m10?.user.username, 'user10');
    assert.equal(resolver.stats.restLoads, 1);
  });

  test('a hung store does not block the hot tier; a plain Collection skips the store tier', async () => {
    const hung = new HungStore();
    const users = new RemoteBackedCollection(TestUser, 10, hung, 'user');
    users.set('1', new TestUser(user('1')));
    const resolver = new TieredResolver(users, async (id) => user(id));
    assert.equal((await resolver.resolve('1'))?.id, '1');
    const plain = new TieredResolver(new Collection(TestUser, 10), async (id) => user(id));
    assert.equal((await plain.resolve('7'))?.id, '7');
    assert.equal(plain.stats.storeBatches, 0);
    assert.equal(plain.collection.size, 1);
  });

  test('a store that never answers times out into REST', async () => {
    const hung = new HungStore();
    const resolver = new TieredResolver(
      new RemoteBackedCollection(TestUser, 10, hung, 'user', { queue: new RemoteWriteQueue(hung) }),
      async (id) => user(id),
      { storeTimeoutMs: 30 }
    );
    const [a, b] = await Promise.all([resolver.resolve('1'), resolver.resolve('2')]);
    assert.equal(a?.id, '1');
    assert.equal(b?.id, '2');
    assert.equal(resolver.stats.storeErrors, 1);
    assert.throws(() => new TieredResolver(new Collection(TestUser), async () => null, { storeTimeoutMs: 0 }));
  });
});
