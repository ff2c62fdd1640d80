/**
 * RoleStore: a guild's roles as columns behind Eris's Collection. Checked against a plain
 * `Collection(Role)` (Role objects in a Map) as the reference: the same operations must leave the
 * same roles, field by field and in the same order; views must write back.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { APIRole } from 'discord-api-types/v10';
import fc from 'fast-check';
import { Collection } from '../../src/cache/Collection.js';
import { MissingIDError } from '../../src/cache/errors.js';
import { createStructureContext } from '../../src/structures/defaults.js';
import { Guild } from '../../src/structures/Guild.js';
import { internName } from '../../src/structures/intern.js';
import { Role } from '../../src/structures/Role.js';
import { RoleStore } from '../../src/structures/roles/RoleStore.js';
import { InvalidOptionError } from '../../src/util/errors.js';
import { GUILD_ID, guildCreate, MEMBER_ROLE, MOD_ROLE, member, OWNER_ID, role, user } from './fixtures.js';

function emptyGuild(): Guild {
  return new Guild({ id: GUILD_ID, name: 'g', owner_id: OWNER_ID, roles: [] }, createStructureContext());
}

const colored = (color: number) => ({ colors: { primary_color: color, secondary_color: null, tertiary_color: null } });

const rid = (n: number) => String(172018499005317100n + BigInt(n));

/** Every readable field of a role, for field-by-field comparison. */
function fields(r: Role): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    color: r.color,
    colors: r.colors,
    permissionBits: r.permissionBits,
    hoist: r.hoist,
    managed: r.managed,
    mentionable: r.mentionable,
    flags: r.flags,
    icon: r.icon,
    unicodeEmoji: r.unicodeEmoji,
    tags: r.tags,
    json: r.toJSON()
  };
}

describe('RoleStore as a Collection', () => {
  test('is the default roles cache, and is a Collection and a Map', () => {
    const guild = emptyGuild();
    assert.ok(guild.roles instanceof RoleStore);
    assert.ok(guild.roles instanceof Collection);
    assert.ok(guild.roles instanceof Map);
    assert.equal(String(guild.roles), '[Collection<Role>]');
  });

  test('add builds a role from a payload, returns the existing one unless replace', () => {
    const { roles } = emptyGuild();
    const a = roles.add(role(MOD_ROLE, 'Mods', 8n, 2, { ...colored(0xff0000), hoist: true }));
    assert.ok(a instanceof Role);
    assert.equal(a.name, 'Mods');
    assert.equal(a.color, 0xff0000);
    assert.equal(a.hoist, true);
    assert.equal(a.permissionBits, 8n);
    const again = roles.add(role(MOD_ROLE, 'Other', 0n, 9));
    assert.equal(again.name, 'Mods');
    assert.equal(roles.size, 1);
    roles.add(role(MEMBER_ROLE, 'Members', 0n, 1));
    const replaced = roles.add({ id: MOD_ROLE, name: 'New' } as APIRole, undefined, true);
    // Replace builds from the payload alone (absent fields default) and keeps the Map position.
    assert.equal(replaced.name, 'New');
    assert.equal(replaced.color, 0);
    assert.equal(replaced.hoist, false);
    assert.equal(replaced.permissionBits, 0n);
    assert.deepEqual([...roles.keys()], [MOD_ROLE, MEMBER_ROLE]);
  });

  test('get/peek/has/size/keys/values/entries/iterator/forEach in insertion order', () => {
    const { roles } = emptyGuild();
    for (let i = 0; i < 5; i++) roles.add(role(rid(i), `r${i}`, BigInt(i), i));
    assert.equal(roles.size, 5);
    assert.equal(roles.get(rid(3))?.name, 'r3');
    assert.equal(roles.peek(rid(3))?.name, 'r3');
    assert.equal(roles.get('404'), undefined);
    assert.equal(roles.has(rid(4)), true);
    assert.equal(roles.has('404'), false);
    const ids = [0, 1, 2, 3, 4].map(rid);
    assert.deepEqual([...roles.keys()], ids);
    assert.deepEqual(
      [...roles.values()].map((r) => r.name),
      ['r0', 'r1', 'r2', 'r3', 'r4']
    );
    assert.deepEqual(
      [...roles.entries()].map(([k, v]) => k === v.id),
      [true, true, true, true, true]
    );
    assert.deepEqual(
      [...roles].map(([k]) => k),
      ids
    );
    const seen: string[] = [];
    roles.forEach(function (this: unknown, value, key, map) {
      assert.equal(map, roles);
      assert.equal(this, 'ctx');
      seen.push(`${key}:${value.position}`);
    }, 'ctx');
    assert.deepEqual(
      seen,
      ids.map((id, i) => `${id}:${i}`)
    );
    assert.deepEqual([...new Map(roles).keys()], ids);
  });

  test('find, filter, map, some, every, reduce, random, toJSON', () => {
    const { roles } = emptyGuild();
    for (let i = 1; i <= 5; i++) roles.add(role(rid(i), `r${i}`, BigInt(i), i));
    assert.equal(roles.find((r) => r.name === 'r3')?.id, rid(3));
    assert.deepEqual(
      roles.filter((r) => r.position % 2 === 1).map((r) => r.name),
      ['r1', 'r3', 'r5']
    );
    assert.deepEqual(
      roles.map((r) => r.position),
      [1, 2, 3, 4, 5]
    );
    assert.equal(
      roles.some((r) => r.name === 'r4'),
      true
    );
    assert.equal(
      roles.every((r) => r.permissionBits > 0n),
      true
    );
    assert.equal(
      roles.reduce((sum, r) => sum + r.position, 0),
      15
    );
    assert.equal(roles.reduce((a, b) => (a.position > b.position ? a : b))?.name, 'r5');
    assert.ok(roles.has(roles.random()!.id));
    assert.deepEqual(Object.keys(roles.toJSON()), [1, 2, 3, 4, 5].map(rid));
    const json = JSON.parse(JSON.stringify({ roles }));
    assert.equal(json.roles[rid(2)].name, 'r2');
    assert.equal(json.roles[rid(2)].permissions.allow, '2');
  });

  test('remove returns a snapshot that keeps its values; delete and clear', () => {
    const guild = emptyGuild();
    const { roles } = guild;
    for (let i = 1; i <= 4; i++) roles.add(role(rid(i), `r${i}`, BigInt(i), i, { icon: `icon${i}` }));
    const removed = roles.remove({ id: rid(2) });
    assert.ok(removed instanceof Role);
    assert.equal(removed.name, 'r2');
    assert.equal(removed.icon, 'icon2');
    assert.equal(removed.guild, guild);
    assert.equal(roles.remove({ id: rid(2) }), null);
    assert.equal(roles.has(rid(2)), false);
    // The rows after it moved up; their extras moved with them.
    assert.equal(roles.get(rid(3))?.icon, 'icon3');
    assert.equal(roles.delete(rid(3)), true);
    assert.equal(roles.delete(rid(3)), false);
    assert.deepEqual([...roles.keys()], [rid(1), rid(4)]);
    assert.equal(roles.get(rid(4))?.icon, 'icon4');
    roles.clear();
    assert.equal(roles.size, 0);
    assert.deepEqual([...roles.values()], []);
    roles.add(role(rid(9), 'again', 0n, 0));
    assert.deepEqual([...roles.keys()], [rid(9)]);
  });

  test('bad input is a typed error; a guild keeps all its roles (no finite limit)', () => {
    const { roles } = emptyGuild();
    assert.throws(() => roles.add({ name: 'x' } as unknown as APIRole), MissingIDError);
    assert.throws(() => roles.add(null as unknown as APIRole), MissingIDError);
    assert.throws(() => roles.update({} as unknown as APIRole), MissingIDError);
    assert.equal(roles.remove({} as unknown as { id: string }), null);
    assert.throws(() => {
      roles.limit = 10;
    }, InvalidOptionError);
    roles.limit = undefined;
    assert.equal(roles.limit, Number.POSITIVE_INFINITY);
    assert.equal(roles.evictions, 0);
  });

  test('iteration tolerates deletes and adds while it runs, as a Map does', () => {
    const { roles } = emptyGuild();
    const reference = new Map<string, number>();
    for (let i = 0; i < 8; i++) {
      roles.add(role(rid(i), `r${i}`, 0n, i));
      reference.set(rid(i), i);
    }
    const visit = (map: { keys(): IterableIterator<string>; delete(k: string): boolean }, add: (k: string) => void) => {
      const seen: string[] = [];
      for (const key of map.keys()) {
        seen.push(key);
        if (key === rid(2)) map.delete(key); // the current one
        if (key === rid(3)) map.delete(rid(1)); // an earlier one
        if (key === rid(4)) map.delete(rid(6)); // a later one
        if (key === rid(5)) add(rid(20)); // a new one: visited
      }
      return seen;
    };
    const expected = visit(reference, (k) => reference.set(k, 0));
    const actual = visit(roles, (k) => roles.add(role(k, 'new', 0n, 0)));
    assert.deepEqual(actual, expected);
    assert.deepEqual([...roles.keys()], [...reference.keys()]);
  });

  test('an iterator is its own iterable and, once done, stays done (as a Map iterator)', () => {
    const { roles } = emptyGuild();
    roles.add(role(rid(1), 'a', 0n, 1));
    const it = roles.values();
    assert.equal(it[Symbol.iterator](), it);
    assert.equal(it.next().value?.name, 'a');
    assert.equal(it.next().done, true);
    roles.add(role(rid(2), 'b', 0n, 2));
    assert.equal(it.next().done, true);
    const live = roles.entries();
    roles.add(role(rid(3), 'c', 0n, 3));
    assert.deepEqual(
      [...live].map(([id, r]) => `${id === r.id}:${r.name}`),
      ['true:a', 'true:b', 'true:c']
    );
  });

  test('console.log shows the roles', async () => {
    const { inspect } = await import('node:util');
    const { roles } = emptyGuild();
    roles.add(role(MOD_ROLE, 'Moderators', 8n, 1));
    assert.match(inspect(roles, { depth: 3 }), /Moderators/);
  });
});

describe('RoleStore views write back', () => {
  test('field writes, role.update and roles.update change the cache; two reads are two objects', () => {
    const { roles } = emptyGuild();
    roles.add(role(MOD_ROLE, 'Mods', 8n, 2));
    const a = roles.get(MOD_ROLE)!;
    const b = roles.get(MOD_ROLE)!;
    assert.notEqual(a, b);
    a.color = 0x123456;
    a.name = 'Moderators';
    a.position = 7;
    a.permissionBits = 16n;
    assert.deepEqual(fields(b), fields(a));
    assert.equal(b.color, 0x123456);
    b.update({ hoist: true, mentionable: true, flags: 1 });
    assert.equal(a.hoist, true);
    assert.equal(a.mentionable, true);
    assert.equal(a.managed, false);
    assert.equal(a.flags, 1);
    assert.equal(a.position, 7);
    const updated = roles.update({ id: MOD_ROLE, name: 'Staff', permissions: '32' });
    assert.equal(a.name, 'Staff');
    assert.equal(updated.permissionBits, 32n);
    assert.equal(a.color, 0x123456, 'absent fields keep their values');
    const added = roles.update(role(MEMBER_ROLE, 'Members', 0n, 1));
    assert.equal(roles.get(MEMBER_ROLE)?.name, added.name);
  });

  test('a Role built on its own is the cached role once added; a snapshot is not', () => {
    const guild = emptyGuild();
    const own = new Role(role(MOD_ROLE, 'Mods', 8n, 2, { unicode_emoji: '🛡️' }), guild);
    assert.equal(guild.roles.add(own), own);
    own.name = 'Renamed';
    assert.equal(guild.roles.get(MOD_ROLE)?.name, 'Renamed');
    assert.equal(guild.roles.get(MOD_ROLE)?.unicodeEmoji, '🛡️');
    const snapshot = guild.roles.remove({ id: MOD_ROLE })!;
    snapshot.name = 'gone';
    assert.equal(guild.roles.has(MOD_ROLE), false);
    // Map set: the fields are stored under the key.
    guild.roles.set(MOD_ROLE, snapshot);
    assert.equal(guild.roles.get(MOD_ROLE)?.name, 'gone');
    // A view put back into its own row (replace, Map set) keeps every value.
    guild.roles.get(MOD_ROLE)!.update({ icon: 'kept', hoist: true });
    guild.roles.add(guild.roles.get(MOD_ROLE)!, undefined, true);
    guild.roles.set(MOD_ROLE, guild.roles.get(MOD_ROLE)!);
    assert.deepEqual(
      [guild.roles.get(MOD_ROLE)?.name, guild.roles.get(MOD_ROLE)?.icon, guild.roles.get(MOD_ROLE)?.hoist],
      ['gone', 'kept', true]
    );
    // Adding a view of another guild's store copies it.
    const other = emptyGuild();
    const copy = other.roles.add(guild.roles.get(MOD_ROLE)!);
    copy.name = 'only here';
    assert.equal(guild.roles.get(MOD_ROLE)?.name, 'gone');
  });

  test('a view follows its role when earlier roles are deleted; a deleted role reads empty', () => {
    const { roles } = emptyGuild();
    for (let i = 0; i < 4; i++) roles.add(role(rid(i), `r${i}`, BigInt(i + 1), i));
    const last = roles.get(rid(3))!;
    const gone = roles.get(rid(1))!;
    roles.delete(rid(0));
    roles.delete(rid(1));
    assert.equal(last.name, 'r3');
    last.color = 5;
    assert.equal(roles.get(rid(3))?.color, 5);
    assert.equal(gone.name, '');
    assert.equal(gone.permissionBits, 0n);
    gone.name = 'written nowhere';
    assert.deepEqual(
      roles.map((r) => r.name),
      ['r2', 'r3']
    );
  });

  test('values beyond the packed ranges are kept exactly, and go back to packed', () => {
    const { roles } = emptyGuild();
    const r = roles.add(
      role(MOD_ROLE, 'wide', 0n, 70_000, { ...colored(0x1000000), flags: 5000 as never, hoist: true })
    );
    assert.equal(r.position, 70_000);
    assert.equal(r.color, 0x1000000);
    assert.equal(r.flags, 5000);
    assert.equal(r.hoist, true);
    r.position = -3;
    assert.equal(roles.get(MOD_ROLE)?.position, -3);
    r.position = 1.5;
    assert.equal(r.position, 1.5);
    r.update({ position: 4, color: 0xffffff, flags: 1 as never, mentionable: true });
    assert.deepEqual(
      [r.position, r.color, r.flags, r.hoist, r.mentionable, r.managed],
      [4, 0xffffff, 1, true, true, false]
    );
    r.update({ icon: 'abc', colors: { primary_color: 1, secondary_color: 2, tertiary_color: 3 } });
    assert.deepEqual(r.colors, { primaryColor: 1, secondaryColor: 2, tertiaryColor: 3 });
    r.update({ tags: { bot_id: '1', premium_subscriber: null } });
    assert.deepEqual(r.tags, { bot_id: '1', premium_subscriber: true });
    assert.match(r.iconURL ?? '', new RegExp(`/role-icons/${MOD_ROLE}/abc`));
  });

  test('a large guild (an id index) gives the same answers through adds and deletes', () => {
    const { roles } = emptyGuild();
    const reference = new Map<string, string>();
    for (let i = 0; i < 60; i++) {
      roles.add(role(rid(i), `r${i}`, BigInt(i), i));
      reference.set(rid(i), `r${i}`);
    }
    for (let i = 0; i < 60; i += 3) {
      roles.delete(rid(i));
      reference.delete(rid(i));
    }
    // Back below the index threshold and up again.
    for (let i = 1; i < 60; i += 3) {
      roles.delete(rid(i));
      reference.delete(rid(i));
    }
    for (let i = 100; i < 130; i++) {
      roles.add(role(rid(i), `r${i}`, 0n, 0));
      reference.set(rid(i), `r${i}`);
    }
    assert.deepEqual([...roles.keys()], [...reference.keys()]);
    for (const [id, name] of reference) assert.equal(roles.get(id)?.name, name);
    for (let i = 0; i < 60; i += 3) assert.equal(roles.has(rid(i)), false);
  });
});

describe('RoleStore in a guild', () => {
  test("members' role ids are the store's strings; @everyone's id is the guild's", () => {
    const data = guildCreate([member(user('1', 'a'), [MOD_ROLE]), member(user('2', 'b'), [MOD_ROLE, MEMBER_ROLE])]);
    const guild = new Guild(data, createStructureContext());
    const stored = new Map([...guild.roles.keys()].map((id) => [id, id]));
    for (const m of guild.members.values()) {
      for (const id of m.roles) assert.ok(Object.is(id, stored.get(id)), 'same value');
    }
    const ids = [...guild.roles.keys()];
    const mod = ids.find((id) => id === MOD_ROLE);
    // Same instance: the member's array holds exactly the string the store keeps.
    assert.ok(guild.members.get('1')!.roles.includes(mod!));
    assert.equal(guild.internRoleID(`${MOD_ROLE}`.slice(0)), mod);
    assert.equal(guild.roles.get(GUILD_ID)?.name, '@everyone');
  });

  test('permission math reads the permissions column, building no Role', () => {
    const data = guildCreate([member(user('1', 'a'), [MOD_ROLE])]);
    const guild = new Guild(data, createStructureContext());
    const expected = guild.permissionsOf('1').allow;
    const original = Role.ofRow;
    let built = 0;
    Role.ofRow = (...args) => {
      built++;
      return original(...args);
    };
    try {
      assert.equal(guild.permissionsOf('1').allow, expected);
      for (const channel of guild.channels.values()) channel.permissionsOf('1');
    } finally {
      Role.ofRow = original;
    }
    assert.equal(built, 0);
  });
});

test('a role name repeated across guilds is kept once; names that never repeat are kept as they are', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = () => {
    for (let i = 0; i < 3; i++) gc();
    return process.memoryUsage().heapUsed;
  };
  // A new string instance per call, as JSON.parse gives one per payload.
  const fresh = (text: string) => text.split('').join('');
  const name = 'Moderators of the server, a long role name';
  const COUNT = 20_000;
  let before = heap();
  const shared = Array.from({ length: COUNT }, () => internName(fresh(name)));
  const sharedBytes = heap() - before;
  before = heap();
  const unique = Array.from({ length: COUNT }, (_, i) => internName(fresh(`${name} ${i}`)));
  const uniqueBytes = heap() - before;
  assert.equal(shared[COUNT - 1], name);
  assert.equal(unique[7], `${name} 7`);
  // Shared: the array's slots only (8 B each). Unique: each keeps its ~64 B string.
  assert.ok(sharedBytes < COUNT * 20, `shared names took ${sharedBytes} B`);
  assert.ok(uniqueBytes > COUNT * 50, `unique names took ${uniqueBytes} B`);
});

test("unshared names live in the guild's name text: unchanged writes append nothing, renames are compacted", () => {
  const { roles } = emptyGuild();
  const store = roles as unknown as { text: string };
  const long = 'L'.repeat(200);
  roles.add(role(rid(1), 'alpha-unique-name-1', 0n, 1));
  roles.add(role(rid(2), long, 0n, 2));
  roles.add(role(rid(3), '', 0n, 3));
  roles.add(role(rid(4), '😀 émoji', 0n, 4));
  const textLength = store.text.length;
  roles.update({ id: rid(1), name: 'alpha-unique-name-1' });
  assert.equal(store.text.length, textLength, 'an unchanged name appends nothing');
  assert.deepEqual(
    roles.map((r) => r.name),
    ['alpha-unique-name-1', long, '', '😀 émoji']
  );
  for (let i = 0; i < 500; i++) roles.get(rid(1))!.name = `renamed-unique-${i}-${'x'.repeat(20)}`;
  assert.equal(roles.get(rid(1))?.name, `renamed-unique-499-${'x'.repeat(20)}`);
  assert.equal(roles.get(rid(4))?.name, '😀 émoji');
  assert.ok(store.text.length < 1000, `name text kept compact: ${store.text.length} characters`);
  roles.delete(rid(1));
  assert.deepEqual(
    roles.map((r) => r.name),
    [long, '', '😀 émoji']
  );
});

/** One operation on both collections. */
type Op =
  | { kind: 'add'; id: number; data: Partial<APIRole>; replace: boolean }
  | { kind: 'update'; id: number; data: Partial<APIRole> }
  | { kind: 'remove'; id: number }
  | { kind: 'delete'; id: number }
  | { kind: 'write'; id: number; field: 'name' | 'color' | 'position' | 'permissionBits'; value: number }
  | { kind: 'clear' };

const payload = fc.record(
  {
    name: fc.oneof(
      fc.constantFrom('@everyone', 'Moderator', 'Members', ''),
      fc.string({ maxLength: 140 }),
      fc.string({ unit: 'grapheme', maxLength: 12 })
    ),
    position: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 60_000, max: 80_000 })),
    color: fc.oneof(fc.integer({ min: 0, max: 0xffffff }), fc.constant(0x1000001)),
    permissions: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String),
    hoist: fc.boolean(),
    managed: fc.boolean(),
    mentionable: fc.boolean(),
    flags: fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 5000 })),
    icon: fc.option(fc.constantFrom('a1', 'b2')),
    unicode_emoji: fc.option(fc.constantFrom('🙂', '🛡️')),
    tags: fc.constantFrom({ bot_id: '9' }, { premium_subscriber: null })
  },
  { requiredKeys: [] }
) as fc.Arbitrary<Partial<APIRole>>;

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), id: fc.nat(40), data: payload, replace: fc.boolean() }),
  fc.record({ kind: fc.constant('update' as const), id: fc.nat(40), data: payload }),
  fc.record({ kind: fc.constant('remove' as const), id: fc.nat(40) }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.nat(40) }),
  fc.record({
    kind: fc.constant('write' as const),
    id: fc.nat(40),
    field: fc.constantFrom('name' as const, 'color' as const, 'position' as const, 'permissionBits' as const),
    value: fc.integer({ min: 0, max: 70_000 })
  }),
  fc.record({ kind: fc.constant('clear' as const) })
);

test('any sequence of operations leaves the same roles as a Collection of Role objects', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
      const guild = emptyGuild();
      const store = guild.roles as RoleStore;
      const reference = new Collection<string, Role, APIRole>(Role);
      for (const o of ops) {
        if (o.kind === 'clear') {
          store.clear();
          reference.clear();
          continue;
        }
        const id = rid(o.id);
        if (o.kind === 'add') {
          const a = store.add({ ...o.data, id } as APIRole, guild, o.replace);
          const b = reference.add({ ...o.data, id } as APIRole, guild, o.replace);
          assert.deepEqual(fields(a), fields(b));
        } else if (o.kind === 'update') {
          assert.deepEqual(
            fields(store.update({ ...o.data, id }, guild)),
            fields(reference.update({ ...o.data, id }, guild))
          );
        } else if (o.kind === 'remove') {
          const a = store.remove({ id });
          const b = reference.remove({ id });
          assert.deepEqual(a && fields(a), b && fields(b));
        } else if (o.kind === 'delete') {
          assert.equal(store.delete(id), reference.delete(id));
        } else {
          const a = store.get(id);
          const b = reference.get(id);
          if (a && b) {
            if (o.field === 'name') a.name = b.name = `n${o.value}`;
            else if (o.field === 'permissionBits') a.permissionBits = b.permissionBits = BigInt(o.value);
            else a[o.field] = b[o.field] = o.value;
          }
        }
      }
      assert.deepEqual([...store.keys()], [...reference.keys()]);
      assert.deepEqual(store.map(fields), reference.map(fields));
      for (const id of reference.keys()) assert.equal(store.permissionsOf(id), reference.get(id)?.permissionBits);
    }),
    { numRuns: 300 }
  );
});
