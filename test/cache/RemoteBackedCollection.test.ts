import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CacheBudget,
  MemoryCacheStore,
  parseStoredRecord,
  RemoteBackedCollection,
  RemoteWriteQueue
} from '../../src/cache/index.js';
import { InvalidOptionError } from '../../src/util/errors.js';
import { CountingStore, FailingStore } from './helpers/stores.js';
import { type MemberContext, type RawMember, TestMember, TestUser } from './helpers/structures.js';

const user = (id: number) => ({ id: String(id), username: `user${id}` });
const member = (id: number, roles: string[] = ['r1']): RawMember => ({ id: String(id), user: user(id), roles });

describe('RemoteBackedCollection', () => {
  test('the spec form compiles and add writes the raw payload through, without awaiting', async () => {
    const store = new MemoryCacheStore();
    const users = new RemoteBackedCollection(TestUser, 50_000, store, 'user');
    const u = users.add(user(1));
    assert.ok(u instanceof TestUser);
    assert.equal(await store.getEntity('user', '1'), null, 'not written synchronously');
    await users.queue.drain();
    assert.deepEqual(JSON.parse((await store.getEntity('user', '1'))!), user(1));
    assert.equal(users.stats.queued, 1);
    assert.equal(users.stats.flushed, 1);
    assert.equal(users.stats.bytesWritten, JSON.stringify(user(1)).length);
  });

  test('writes on first sighting only by default; a hot-set hit writes nothing', async () => {
    const store = new CountingStore();
    const users = new RemoteBackedCollection(TestUser, 10, store, 'user', { queue: new RemoteWriteQueue(store) });
    users.add(user(1));
    users.add(user(1));
    users.update({ id: '1', username: 'renamed' });
    users.remove({ id: '1' });
    await users.queue.drain();
    assert.equal(store.calls.setEntity, 1);
    assert.equal(store.calls.removeEntity, 0);
    assert.equal(JSON.parse((await store.inner.getEntity('user', '1'))!).username, 'user1');
  });

  test("writeThrough 'always' writes updates (from toRaw) and removals", async () => {
    const store = new MemoryCacheStore();
    const context: MemberContext = { guildID: 'g', users: new Map() };
    const members = new RemoteBackedCollection(TestMember, 10, store, 'member:g', { writeThrough: 'always' });
    members.add(member(5), context);
    members.update({ id: '5', roles: ['r1', 'r2'] }, context);
    await members.queue.drain();
    const stored = JSON.parse((await store.getEntity('member:g', '5'))!);
    assert.deepEqual(stored, { id: '5', user: { id: '5' }, roles: ['r1', 'r2'], nick: null });
    members.remove({ id: '5' });
    await members.queue.drain();
    assert.equal(await store.getEntity('member:g', '5'), null);
  });

  test('a member is stored with its user as { id } only and rebuilt with its user', async () => {
    const store = new MemoryCacheStore();
    const context: MemberContext = { guildID: 'g', users: new Map([['7', user(7)]]) };
    const writer = new RemoteBackedCollection(TestMember, 10, store, 'member:g');
    writer.add(member(7), context);
    await writer.queue.drain();
    assert.deepEqual(JSON.parse((await store.getEntity('member:g', '7'))!).user, { id: '7' });
    const reader = new RemoteBackedCollection(TestMember, 10, store, 'member:g');
    const rebuilt = await reader.getRemote('7', context);
    assert.ok(rebuilt instanceof TestMember);
    assert.equal(rebuilt.user.username, 'user7');
    assert.equal(rebuilt.guildID, 'g');
    assert.equal(reader.get('7'), rebuilt, 'enters the hot set');
    assert.equal(reader.stats.hits, 1);
    assert.equal(reader.stats.queued, 0, 'reading does not write back');
  });

  test('eviction from the hot set keeps the store copy; getManyRemote answers in order', async () => {
    const store = new MemoryCacheStore();
    const budget = new CacheBudget(2);
    const users = new RemoteBackedCollection(TestUser, undefined, store, 'user', { budget });
    for (let i = 1; i <= 5; i++) users.add(user(i));
    await users.queue.drain();
    assert.equal(users.size, 2);
    assert.equal((await store.getAllEntities('user')).length, 5);
    const many = await users.getManyRemote(['1', '404', '3']);
    assert.deepEqual(
      many.map((u) => u?.username ?? null),
      ['user1', null, 'user3']
    );
    assert.equal(users.stats.misses, 1);
    assert.equal(budget.size, 2);
  });

  test('corrupt values, wrong shapes and __proto__ payloads are counted misses, never a crash', async () => {
    const store = new MemoryCacheStore();
    const users = new RemoteBackedCollection(TestUser, 10, store, 'user');
    const bad: Record<string, string> = {
      '1': '{"id":"1","username":',
      '2': '[1,2,3]',
      '3': '"just a string"',
      '4': '{"id":"4"}',
      '5': '{"id":"999","username":"wrong id"}',
      '6': 'null',
      '7': '\u0000\uffff'
    };
    for (const [id, value] of Object.entries(bad)) await store.setEntity('user', id, value);
    await store.setEntity('user', '8', '{"id":"8","username":"ok","__proto__":{"polluted":true}}');
    await store.setEntity('user', '9', '{"id":"9","username":"ok","\\u005f_proto__":{"polluted":true}}');
    const results = await users.getManyRemote(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(
      results.map((r) => r?.id ?? null),
      [null, null, null, null, null, null, null, '8', '9']
    );
    assert.equal(users.stats.invalid, 7);
    assert.equal(users.stats.misses, 7);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const parsed = parseStoredRecord('{"a":{"__proto__":{"x":1},"constructor":{"prototype":{"y":2}}},"b":1}');
    assert.ok(parsed.ok);
    const value = parsed.value as Record<string, Record<string, unknown>>;
    assert.equal(Object.hasOwn(value.a, '__proto__'), false);
    assert.equal(Object.hasOwn(value.a, 'constructor'), false);
    assert.equal(Object.getPrototypeOf(value.a), Object.prototype);
    const merged = Object.assign({}, value.a);
    assert.equal((merged as Record<string, unknown>).x, undefined);
  });

  test('a throwing store: reads reject (readErrors), writes are counted errors, dispatch never throws', async () => {
    const store = new FailingStore();
    const users = new RemoteBackedCollection(TestUser, 10, store, 'user', { queue: new RemoteWriteQueue(store) });
    assert.doesNotThrow(() => users.add(user(1)));
    await users.queue.drain();
    assert.equal(users.stats.errors, 1);
    await assert.rejects(users.getRemote('1'));
    await assert.rejects(users.getManyRemote(['1']));
    assert.equal(users.stats.readErrors, 2);
    assert.equal(users.stats.errors, 1);
  });

  test('an unserialisable payload is a counted error, not a crash', async () => {
    const store = new MemoryCacheStore();
    const users = new RemoteBackedCollection(TestUser, 10, store, 'user');
    const cyclic: Record<string, unknown> = { id: '1', username: 'x' };
    cyclic.self = cyclic;
    assert.doesNotThrow(() => users.add(cyclic as unknown as ReturnType<typeof user>));
    assert.equal(users.stats.errors, 1);
    assert.equal(users.size, 1);
  });

  test('options are validated', () => {
    const store = new MemoryCacheStore();
    assert.throws(() => new RemoteBackedCollection(TestUser, 10, store, ''), InvalidOptionError);
    assert.throws(
      () => new RemoteBackedCollection(TestUser, 10, null as unknown as MemoryCacheStore, 'user'),
      InvalidOptionError
    );
    assert.throws(
      () => new RemoteBackedCollection(TestUser, 10, store, 'user', { writeThrough: 'never' as 'add' }),
      InvalidOptionError
    );
  });
});
