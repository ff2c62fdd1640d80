/**
 * MemberStore: a guild's members in columns behind Eris's Collection. Checked against a plain
 * `Collection(Member)` (Member objects in a Map) as the reference: the same operations must leave
 * the same members, field by field and in the same order; copies read from the store write back.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import type { APIGuildMember } from 'discord-api-types/v10';
import fc from 'fast-check';
import { Collection } from '../../src/cache/Collection.js';
import { MissingIDError } from '../../src/cache/errors.js';
import { createStructureContext } from '../../src/structures/defaults.js';
import { Guild } from '../../src/structures/Guild.js';
import { Member, type MemberPayload } from '../../src/structures/Member.js';
import { MemberStore } from '../../src/structures/members/MemberStore.js';
import { InvalidOptionError } from '../../src/util/errors.js';
import { GUILD_ID, guildCreate, MEMBER_ROLE, MOD_ROLE, member, OWNER_ID, role, user } from './fixtures.js';

const uid = (n: number) => String(80351110224678912n + BigInt(n) * 4194304n + BigInt(n % 7));
const ROLES = [MOD_ROLE, MEMBER_ROLE, '172018499005317122', '172018499005317123'];

/** Two guilds over one context: the default store, and Members in a Map as the reference. */
function pair() {
  const context = createStructureContext({ messageLimit: 0 });
  const roles = [
    role(GUILD_ID, '@everyone', 0n, 0),
    ...ROLES.map((id, i) => role(id, `r${i}`, 1n << BigInt(i), i + 1))
  ];
  const store = new Guild({ id: GUILD_ID, name: 'columns', owner_id: OWNER_ID, roles }, context);
  const reference = new Guild(
    { id: '81384788765712385', name: 'map', owner_id: OWNER_ID, roles },
    createStructureContext({
      users: context.users,
      messageLimit: 0,
      cache: { members: () => new Collection<string, Member, MemberPayload>(Member) }
    })
  );
  assert.ok(store.members instanceof MemberStore);
  assert.ok(!(reference.members instanceof MemberStore));
  return { context, store, reference };
}

/** Every readable field of a member (its guild aside), for field-by-field comparison. */
function fields(m: Member): Record<string, unknown> {
  return {
    id: m.id,
    user: m.user,
    roles: [...m.roles],
    nick: m.nick,
    joinedAt: m.joinedAt,
    deaf: m.deaf,
    mute: m.mute,
    pending: m.pending,
    flags: m.flags,
    avatar: m.avatar,
    banner: m.banner,
    premiumSince: m.premiumSince,
    communicationDisabledUntil: m.communicationDisabledUntil,
    avatarDecorationData: m.avatarDecorationData,
    raw: m.toRaw()
  };
}

function assertSame(store: Guild, reference: Guild, note = ''): void {
  assert.equal(store.members.size, reference.members.size, `size ${note}`);
  assert.deepEqual([...store.members.keys()], [...reference.members.keys()], `order ${note}`);
  for (const [id, expected] of reference.members) {
    const actual = store.members.get(id);
    assert.ok(actual, `missing ${id} ${note}`);
    assert.deepEqual(fields(actual), fields(expected), `member ${id} ${note}`);
  }
}

function payload(n: number, extra: Partial<APIGuildMember> = {}): MemberPayload {
  const raw = member(user(uid(n), `user${n}`), [], extra) as MemberPayload;
  raw.id = uid(n);
  return raw;
}

describe('MemberStore against a Map of Members', () => {
  const fieldsArb = fc.record(
    {
      roles: fc.subarray(ROLES),
      nick: fc.option(fc.constantFrom('a', 'bee', 'Ωmega'), { nil: null }),
      joined_at: fc.constantFrom('2019-04-01T17:12:02.271000+00:00', '2024-01-01T00:00:00+00:00', 'not a date'),
      deaf: fc.boolean(),
      mute: fc.boolean(),
      pending: fc.boolean(),
      flags: fc.integer({ min: 0, max: 2047 }),
      avatar: fc.option(fc.constant('a_abc'), { nil: null }),
      premium_since: fc.option(fc.constant('2023-03-03T03:03:03.333000+00:00'), { nil: null }),
      communication_disabled_until: fc.option(fc.constant('2031-01-01T00:00:00+00:00'), { nil: null })
    },
    { requiredKeys: [] }
  );
  const op = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), n: fc.nat(60), data: fieldsArb, replace: fc.boolean() }),
    fc.record({ kind: fc.constant('update' as const), n: fc.nat(60), data: fieldsArb }),
    fc.record({ kind: fc.constant('copyUpdate' as const), n: fc.nat(60), data: fieldsArb }),
    fc.record({
      kind: fc.constant('assign' as const),
      n: fc.nat(60),
      nick: fc.option(fc.constant('set'), { nil: null })
    }),
    fc.record({ kind: fc.constant('remove' as const), n: fc.nat(60) }),
    fc.record({ kind: fc.constant('delete' as const), n: fc.nat(60) }),
    fc.record({ kind: fc.constant('set' as const), n: fc.nat(60), data: fieldsArb }),
    fc.record({ kind: fc.constant('clear' as const) })
  );

  test('random add/update/remove/set/clear sequences leave the same members in the same order', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 400 }), (ops) => {
        const { store, reference } = pair();
        for (const o of ops) {
          if (o.kind === 'clear') {
            // Rarely: a clear in every sequence would hide the compaction paths.
            if (Math.random() < 0.2) {
              store.members.clear();
              reference.members.clear();
            }
            continue;
          }
          const id = uid(o.n);
          switch (o.kind) {
            case 'add':
              assert.deepEqual(
                fields(store.members.add(payload(o.n, o.data), store, o.replace)),
                fields(reference.members.add(payload(o.n, o.data), reference, o.replace))
              );
              break;
            case 'update': {
              const partial = { ...o.data, id, user: user(id, `renamed${o.n}`) };
              assert.deepEqual(
                fields(store.members.update(structuredClone(partial), store)),
                fields(reference.members.update(structuredClone(partial), reference))
              );
              break;
            }
            case 'copyUpdate': {
              const copy = store.members.get(id);
              const expected = reference.members.get(id);
              assert.equal(copy === undefined, expected === undefined);
              copy?.update(structuredClone(o.data));
              expected?.update(structuredClone(o.data));
              if (copy && expected) assert.deepEqual(fields(copy), fields(expected), 'the copy is refreshed');
              break;
            }
            case 'assign': {
              const copy = store.members.get(id);
              const expected = reference.members.get(id);
              if (copy && expected) {
                copy.nick = o.nick;
                expected.nick = o.nick;
                copy.roles = [MEMBER_ROLE];
                expected.roles = [MEMBER_ROLE];
              }
              break;
            }
            case 'remove': {
              const removed = store.members.remove({ id });
              const expected = reference.members.remove({ id });
              assert.deepEqual(removed && fields(removed), expected && fields(expected));
              break;
            }
            case 'delete':
              assert.equal(store.members.delete(id), reference.members.delete(id));
              break;
            case 'set':
              store.members.set(id, new Member(payload(o.n, o.data), store));
              reference.members.set(id, new Member(payload(o.n, o.data), reference));
              break;
          }
          assert.equal(store.members.has(id), reference.members.has(id));
        }
        assertSame(store, reference);
      }),
      { numRuns: 150 }
    );
  });

  test('GUILD_CREATE members load straight into the columns, equal to Members built one by one', () => {
    const members = Array.from({ length: 300 }, (_, n) =>
      member(user(uid(n), `user${n}`), n % 3 === 0 ? [] : n % 3 === 1 ? [MOD_ROLE] : [MEMBER_ROLE, MOD_ROLE], {
        nick: n % 5 === 0 ? `nick${n}` : null,
        premium_since: n % 50 === 0 ? '2023-03-03T03:03:03.333000+00:00' : null,
        flags: n % 4
      })
    );
    const context = createStructureContext();
    const guild = new Guild(guildCreate(structuredClone(members)), context);
    const reference = new Guild(
      guildCreate(structuredClone(members)),
      createStructureContext({
        users: context.users,
        cache: { members: () => new Collection<string, Member, MemberPayload>(Member) }
      })
    );
    assert.ok(guild.members instanceof MemberStore);
    assertSame(guild, reference);
    // A duplicate in the payload keeps the first (as add does), an entry without user.id is skipped.
    const odd = new Guild(
      guildCreate([
        member(user(uid(1), 'first'), []),
        member(user(uid(1), 'second'), [MOD_ROLE]),
        { roles: [] } as never
      ]),
      createStructureContext()
    );
    assert.deepEqual([...odd.members.keys()], [uid(1)]);
    assert.deepEqual(odd.members.get(uid(1))?.roles, []);
  });
});

describe('MemberStore as an Eris Collection', () => {
  function filled(count: number) {
    const { store } = pair();
    for (let n = 0; n < count; n++) {
      store.members.add(payload(n, { roles: n % 2 ? [MOD_ROLE] : [], nick: n % 3 === 0 ? `n${n}` : null }), store);
    }
    return store;
  }

  test('Map and Collection methods read the columns', () => {
    const guild = filled(10);
    const members = guild.members;
    assert.equal(members.size, 10);
    assert.equal(String(members), '[Collection<Member>]');
    assert.ok(members instanceof Map && members instanceof Collection);
    assert.equal(members.limit, Number.POSITIVE_INFINITY);
    assert.deepEqual(
      [...members.keys()],
      Array.from({ length: 10 }, (_, n) => uid(n))
    );
    assert.deepEqual(
      [...members].map(([id, m]) => [id, m.id]),
      [...members.entries()].map(([id]) => [id, id])
    );
    const seen: string[] = [];
    members.forEach(function (this: unknown, value, key, map) {
      assert.equal(value.id, key);
      assert.equal(map, members);
      assert.equal(this, 'ctx');
      seen.push(key);
    }, 'ctx');
    assert.equal(seen.length, 10);
    assert.equal(members.find((m) => m.nick === 'n3')?.id, uid(3));
    assert.equal(
      members.find((m) => m.nick === 'nobody'),
      undefined
    );
    assert.deepEqual(
      members.filter((m) => m.roles.length > 0).map((m) => m.id),
      [1, 3, 5, 7, 9].map(uid)
    );
    assert.deepEqual(
      members.map((m) => m.nick),
      ['n0', null, null, 'n3', null, null, 'n6', null, null, 'n9']
    );
    assert.ok(members.some((m) => m.id === uid(9)));
    assert.ok(!members.some((m) => m.id === 'x'));
    assert.ok(members.every((m) => m.guild === guild));
    assert.ok(!members.every((m) => m.nick !== null));
    assert.equal(
      members.reduce((count, m) => count + (m.nick ? 1 : 0), 0),
      4
    );
    assert.equal(members.reduce((a, b) => (a.id > b.id ? a : b))?.id, uid(9));
    for (let i = 0; i < 20; i++) assert.ok(members.has(members.random()!.id));
    assert.deepEqual(Object.keys(members.toJSON()), [...members.keys()]);
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(guild)).members), [...members.keys()]);
    assert.match(inspect(members, { depth: 0 }), /^Map\(10\) \{/, 'console.log shows the members');
    assert.equal(members.get('404'), undefined);
    assert.equal(members.peek(uid(2))?.id, uid(2));
    assert.equal(members.remove({ id: '404' }), null);
    assert.equal(members.delete('404'), false);
    members.clear();
    assert.equal(members.size, 0);
    assert.deepEqual([...members.values()], []);
    assert.equal(members.random(), undefined);
    assert.equal(
      members.reduce((a) => a),
      undefined
    );
  });

  test('a bad id, key or limit is a typed error', () => {
    const guild = filled(1);
    assert.throws(() => guild.members.add({ roles: [] } as never, guild), MissingIDError);
    assert.throws(() => guild.members.update({} as never, guild), MissingIDError);
    assert.throws(() => guild.members.set(uid(5), guild.members.get(uid(0))!), InvalidOptionError);
    assert.throws(() => guild.members.set(uid(0), {} as never), InvalidOptionError);
    assert.throws(() => {
      guild.members.limit = 10;
    }, InvalidOptionError);
    guild.members.limit = undefined;
    assert.equal(guild.members.size, 1);
  });

  test('reads are copies: update and field writes go through, an older copy keeps its snapshot', () => {
    const guild = filled(3);
    const first = guild.members.get(uid(1))!;
    const second = guild.members.get(uid(1))!;
    assert.notEqual(first, second, 'no identity across reads (documented)');
    assert.equal(first.user, second.user, 'the one shared User');
    first.update({ nick: 'updated', roles: [MEMBER_ROLE, MOD_ROLE], deaf: true });
    assert.equal(first.nick, 'updated');
    assert.equal(guild.members.get(uid(1))!.nick, 'updated');
    assert.deepEqual(guild.members.get(uid(1))!.roles, [MEMBER_ROLE, MOD_ROLE]);
    assert.equal(guild.members.get(uid(1))!.deaf, true);
    assert.equal(second.nick, null, 'a copy read before is a snapshot');
    second.nick = 'assigned';
    assert.equal(guild.members.get(uid(1))!.nick, 'assigned', 'assignment writes through');
    assert.deepEqual(guild.members.get(uid(1))!.roles, [MEMBER_ROLE, MOD_ROLE], 'only the assigned field');
    second.roles = [];
    assert.deepEqual(guild.members.get(uid(1))!.roles, []);
    // Roles are still shared frozen arrays.
    guild.members.add(payload(5, { roles: [MOD_ROLE] }), guild);
    guild.members.get(uid(0))!.update({ roles: [MOD_ROLE] });
    assert.equal(guild.members.get(uid(0))!.roles, guild.members.get(uid(5))!.roles);
    assert.ok(Object.isFrozen(guild.members.get(uid(0))!.roles));
    // Removed: the returned member and older copies change only themselves from now on.
    const removed = guild.members.remove({ id: uid(1) })!;
    assert.equal(removed.nick, 'assigned');
    removed.update({ nick: 'gone' });
    first.nick = 'also gone';
    assert.equal(removed.nick, 'gone');
    assert.equal(guild.members.has(uid(1)), false);
    // Re-added: at the end, as in a Map, and a stale copy does not write into whoever took a slot.
    guild.members.add(payload(7), guild);
    guild.members.add(payload(1), guild);
    first.update({ nick: 'stale' });
    assert.deepEqual([...guild.members.keys()], [uid(0), uid(2), uid(5), uid(7), uid(1)]);
    assert.equal(guild.members.get(uid(7))!.nick, null);
    assert.equal(guild.members.get(uid(1))!.nick, 'stale', 'the copy finds its member by id again');
  });

  test('grows past many thousands, reuses the room of removed members, keeps insertion order', () => {
    const guild = filled(0);
    const members = guild.members as MemberStore;
    const N = 30_000;
    for (let n = 0; n < N; n++) members.add(payload(n, { roles: n % 3 ? [ROLES[n % 4] as string] : [] }), guild);
    assert.equal(members.size, N);
    const slotsAfterFill = (members as unknown as { ints: Int32Array }).ints.length / 3;
    for (let n = 0; n < N; n += 2) assert.ok(members.delete(uid(n)));
    assert.equal(members.size, N / 2);
    for (let n = 0; n < N; n += 2) assert.equal(members.has(uid(n)), false);
    for (let n = 1; n < N; n += 2) assert.equal(members.get(uid(n))?.id, uid(n));
    // Churn: leave and come back many times over; the columns never grow past the first fill.
    for (let round = 0; round < 4; round++) {
      for (let n = 0; n < N; n += 2) members.add(payload(n), guild);
      for (let n = 0; n < N; n += 2) members.delete(uid(n));
    }
    assert.equal((members as unknown as { ints: Int32Array }).ints.length / 3, slotsAfterFill);
    for (let n = 0; n < N; n += 2) members.add(payload(n), guild);
    assert.equal(members.size, N);
    const keys = [...members.keys()];
    const odd = Array.from({ length: N / 2 }, (_, i) => uid(2 * i + 1));
    const even = Array.from({ length: N / 2 }, (_, i) => uid(2 * i));
    assert.deepEqual(keys, [...odd, ...even], 'stayed first, then re-added in order');
    for (let n = 1; n < N; n += 2) {
      assert.deepEqual(members.get(uid(n))?.roles, n % 3 ? [ROLES[n % 4]] : [], `roles of ${n}`);
    }
  });

  test('iteration is live: members removed meanwhile are skipped, members added meanwhile are reached', () => {
    const guild = filled(6);
    const visited: string[] = [];
    for (const m of guild.members.values()) {
      visited.push(m.id);
      if (m.id === uid(0)) {
        guild.members.delete(uid(1));
        guild.members.add(payload(40), guild);
      }
    }
    assert.deepEqual(visited, [0, 2, 3, 4, 5, 40].map(uid));
    // Updating every member while iterating (GUILD_ROLE_DELETE does) visits each once.
    let count = 0;
    for (const m of guild.members.values()) {
      m.update({ roles: [] });
      count++;
    }
    assert.equal(count, guild.members.size);
  });
});

test('a read copy given another user keeps its own: later writes still reach its own member', () => {
  const guild = new Guild(
    {
      id: '81384788765712384',
      name: 'g',
      roles: [],
      channels: [],
      members: ['80351110224678912', '80351110224678913'].map((id, n) => ({
        user: { id, username: `u${n}`, discriminator: '0', global_name: null, avatar: null },
        roles: [],
        nick: null,
        joined_at: '2020-01-01T00:00:00.000000+00:00',
        deaf: false,
        mute: false,
        flags: 0
      }))
    } as never,
    createStructureContext({ messageLimit: 0 })
  );
  const alice = guild.members.get('80351110224678912')!;
  alice.user = guild.members.get('80351110224678913')!.user;
  alice.nick = 'mine';
  assert.equal(alice.user.id, '80351110224678912');
  assert.equal(guild.members.get('80351110224678912')?.nick, 'mine');
  assert.equal(guild.members.get('80351110224678913')?.nick, null);
});
