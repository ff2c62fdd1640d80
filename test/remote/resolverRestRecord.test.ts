/**
 * REST answers a guild member without a top-level `id` (it lives in `user.id`). The resolver asked
 * for that id, so it caches and writes the record under it instead of failing with MissingIDError
 * (found by the Redis outage test: every member fetch that fell back to REST threw).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryCacheStore, RemoteBackedCollection, TieredResolver } from '../../src/cache/index.js';
import { type RawMember, TestMember } from '../cache/helpers/structures.js';

test('a REST record without a top-level id is cached and written under the id asked for', async () => {
  const store = new MemoryCacheStore();
  const members = new RemoteBackedCollection(TestMember, 10, store, 'member:1');
  const context = { guildID: '1', users: new Map() };
  const resolver = new TieredResolver(
    members,
    async (id) => ({ user: { id, username: `u${id}` }, roles: ['5'] }) as unknown as RawMember,
    { extra: context }
  );
  const member = await resolver.resolve('42');
  assert.equal(member?.id, '42');
  assert.equal(member?.user.username, 'u42');
  assert.equal(members.get('42'), member, 'cached in the hot set under the id');
  assert.equal(resolver.stats.restLoads, 1);
  await members.queue.drain();
  const stored = JSON.parse((await store.getEntity('member:1', '42'))!);
  assert.equal(stored.id, '42', 'written to the store with its id');
  assert.deepEqual(stored.roles, ['5']);
});
