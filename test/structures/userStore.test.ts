/**
 * UserStore, the default `client.users`: a Collection of the same User objects as
 * `new Collection(User)` would hold, without a Map. Checked against that Collection as a model.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Collection } from '../../src/cache/Collection.js';
import { User, type UserPayload } from '../../src/structures/User.js';
import { UserStore } from '../../src/structures/users/UserStore.js';
import { InvalidOptionError } from '../../src/util/errors.js';

/** Snowflake-like ids and a few that are not (the store hashes any string). */
const ID_POOL = [
  ...Array.from({ length: 70 }, (_, n) => String(300000000000000000n + BigInt(n) * 4194305n)),
  'x',
  'not-a-snowflake',
  '12'
];

function payload(id: string, name: string, avatar: string | null): UserPayload {
  return { id, username: name, discriminator: '0', global_name: null, avatar };
}

const shape = (user: User | undefined) =>
  user === undefined
    ? undefined
    : `${user.id}/${user.username}/${user.avatar}/${user.globalName}/${user.discriminator}`;

describe('UserStore', () => {
  const fieldsArb = fc.record({
    name: fc.constantFrom('ann', 'bo', 'Ωmega'),
    avatar: fc.option(fc.constant('0123456789abcdef0123456789abcdef'), { nil: null })
  });
  const op = fc.oneof(
    fc.record({
      kind: fc.constant('add' as const),
      n: fc.nat(ID_POOL.length - 1),
      data: fieldsArb,
      replace: fc.boolean()
    }),
    fc.record({ kind: fc.constant('update' as const), n: fc.nat(ID_POOL.length - 1), data: fieldsArb }),
    fc.record({ kind: fc.constant('addUser' as const), n: fc.nat(ID_POOL.length - 1), data: fieldsArb }),
    fc.record({ kind: fc.constant('remove' as const), n: fc.nat(ID_POOL.length - 1) }),
    fc.record({ kind: fc.constant('delete' as const), n: fc.nat(ID_POOL.length - 1) }),
    fc.record({ kind: fc.constant('set' as const), n: fc.nat(ID_POOL.length - 1), data: fieldsArb }),
    fc.record({ kind: fc.constant('clear' as const) })
  );

  test('random add/update/remove/set/clear sequences: the same users, the same objects, the same order', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 500 }), (ops) => {
        const store = new UserStore();
        const model = new Collection<string, User, UserPayload>(User);
        const given = new Set<User>();
        for (const o of ops) {
          if (o.kind === 'clear') {
            store.clear();
            model.clear();
            continue;
          }
          const id = ID_POOL[o.n] as string;
          if (o.kind === 'add') {
            const data = payload(id, o.data.name, o.data.avatar);
            assert.equal(shape(store.add(data, undefined, o.replace)), shape(model.add(data, undefined, o.replace)));
          } else if (o.kind === 'update') {
            const data = { id, username: o.data.name, avatar: o.data.avatar };
            assert.equal(shape(store.update(data)), shape(model.update(data)));
          } else if (o.kind === 'addUser') {
            // A User instance is stored as itself in both.
            const user = new User(payload(id, o.data.name, o.data.avatar));
            given.add(user);
            assert.equal(store.update(user), user);
            model.update(user);
          } else if (o.kind === 'remove') {
            assert.equal(shape(store.remove({ id }) ?? undefined), shape(model.remove({ id }) ?? undefined));
          } else if (o.kind === 'delete') {
            assert.equal(store.delete(id), model.delete(id));
          } else {
            const user = new User(payload(id, o.data.name, o.data.avatar));
            given.add(user);
            store.set(id, user);
            model.set(id, user);
          }
          assert.equal(store.size, model.size);
        }
        assert.deepEqual([...store.keys()], [...model.keys()]);
        for (const [id, user] of model) {
          assert.equal(shape(store.get(id)), shape(user), id);
          // A User given as an instance is stored as itself.
          if (given.has(user)) assert.equal(store.get(id), user, `${id}: the same User object`);
        }
        for (const id of ID_POOL) assert.equal(store.has(id), model.has(id));
      }),
      { numRuns: 300 }
    );
  });

  test('a user is one object: add returns the stored one, update changes it in place', () => {
    const store = new UserStore();
    const first = store.add(payload(ID_POOL[0] as string, 'ann', null));
    assert.equal(store.add(payload(ID_POOL[0] as string, 'other', null)), first);
    assert.equal(first.username, 'ann');
    assert.equal(store.update({ id: ID_POOL[0] as string, username: 'renamed' }), first);
    assert.equal(first.username, 'renamed');
    assert.ok(store instanceof Collection && store instanceof Map);
  });

  test('100,000 users with removals between them: holes compacted, every user found, order kept', () => {
    const store = new UserStore();
    const ids: string[] = [];
    for (let n = 0; n < 100_000; n++) {
      const id = String(400000000000000000n + BigInt(n) * 4194305n);
      ids.push(id);
      store.add(payload(id, `u${n}`, null));
      // Every third user leaves again a little later.
      if (n % 3 === 2) store.delete(ids[n - 1] as string);
    }
    const left = ids.filter((_, n) => n % 3 !== 1);
    assert.equal(store.size, left.length);
    assert.deepEqual([...store.keys()], left);
    for (const id of left) assert.equal(store.get(id)?.id, id);
    assert.equal(store.get(ids[1] as string), undefined);
  });

  test('iteration tolerates removals and additions, as a Map iterator does', () => {
    const store = new UserStore();
    for (let n = 0; n < 50; n++) store.add(payload(ID_POOL[n] as string, `u${n}`, null));
    const seen: string[] = [];
    for (const user of store.values()) {
      seen.push(user.id);
      if (seen.length === 10) for (let n = 10; n < 40; n++) store.delete(ID_POOL[n] as string);
    }
    assert.deepEqual(seen, [...ID_POOL.slice(0, 10), ...ID_POOL.slice(40, 50)]);
  });

  test('Collection helpers, random, JSON, and typed errors', () => {
    const store = new UserStore();
    assert.equal(store.random(), undefined);
    for (let n = 0; n < 5; n++) store.add(payload(ID_POOL[n] as string, `u${n}`, null));
    assert.deepEqual(
      store.filter((u) => u.username !== 'u2').map((u) => u.username),
      ['u0', 'u1', 'u3', 'u4']
    );
    assert.equal(store.find((u) => u.username === 'u3')?.id, ID_POOL[3]);
    assert.ok(store.some((u) => u.username === 'u4'));
    assert.ok(store.every((u) => u.username.startsWith('u')));
    assert.equal(
      store.reduce((n, u) => n + u.username.length, 0),
      10
    );
    assert.ok(store.has(store.random()?.id as string));
    assert.deepEqual(Object.keys(store.toJSON()), ID_POOL.slice(0, 5));
    assert.throws(() => store.add({} as UserPayload), /id/);
    assert.throws(() => {
      store.limit = 10;
    }, InvalidOptionError);
    assert.throws(() => store.set('1', new User(payload(ID_POOL[0] as string, 'a', null))), InvalidOptionError);
    assert.equal(store.remove({ id: 'absent' }), null);
  });
});

test('UserStore iteration: deleting the last user and adding one while iterating still reaches the new one', () => {
  const store = new UserStore();
  for (let n = 0; n < 3; n++) store.add(payload(ID_POOL[n] as string, `u${n}`, null));
  const seen: string[] = [];
  for (const user of store.values()) {
    seen.push(user.id);
    if (user.id === ID_POOL[2]) {
      store.delete(ID_POOL[2] as string);
      store.add(payload(ID_POOL[3] as string, 'late', null));
    }
  }
  assert.deepEqual(seen, ID_POOL.slice(0, 4));
});
