/**
 * EmojiStore: a guild's emojis as rows behind Eris's Collection. Checked against a plain
 * `Collection(Emoji)` (Emoji objects in a Map) as the reference: the same operations must leave
 * the same emojis, field by field and in the same order; writes to an emoji read must go back.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { APIEmoji } from 'discord-api-types/v10';
import fc from 'fast-check';
import { Collection } from '../../src/cache/Collection.js';
import { MissingIDError } from '../../src/cache/errors.js';
import { Client, dispatchHandlers, type Shard } from '../../src/index.js';
import { createStructureContext } from '../../src/structures/defaults.js';
import { Emoji } from '../../src/structures/Emoji.js';
import { EmojiStore } from '../../src/structures/emojis/EmojiStore.js';
import { Guild } from '../../src/structures/Guild.js';
import { GUILD_ID, MEMBER_ROLE, MOD_ROLE, OWNER_ID, role, user } from './fixtures.js';

function emptyGuild(): Guild {
  return new Guild(
    {
      id: GUILD_ID,
      name: 'g',
      owner_id: OWNER_ID,
      roles: [role(GUILD_ID, '@everyone', 0n, 0), role(MOD_ROLE, 'Mods', 8n, 1), role(MEMBER_ROLE, 'M', 0n, 2)]
    },
    createStructureContext()
  );
}

const eid = (n: number) => String(881736432150724600n + BigInt(n));

/** Every readable field of an emoji, for field-by-field comparison. */
function fields(e: Emoji): Record<string, unknown> {
  return {
    id: e.id,
    name: e.name,
    roles: [...e.roles],
    user: e.user?.id,
    animated: e.animated,
    managed: e.managed,
    available: e.available,
    requireColons: e.requireColons,
    mention: e.mention,
    url: e.url,
    json: e.toJSON()
  };
}

const blob = (id: string, extra: Partial<APIEmoji> = {}): APIEmoji =>
  ({
    id,
    name: 'blob',
    animated: false,
    available: true,
    require_colons: true,
    managed: false,
    roles: [],
    ...extra
  }) as APIEmoji;

describe('EmojiStore as a Collection', () => {
  test('is the default emojis cache, and is a Collection and a Map; GUILD_CREATE emojis load into it', () => {
    const guild = new Guild(
      {
        id: GUILD_ID,
        name: 'g',
        owner_id: OWNER_ID,
        roles: [role(MOD_ROLE, 'Mods', 8n, 1)],
        emojis: [blob(eid(1)), blob(eid(2), { name: 'wave', animated: true, roles: [MOD_ROLE] }), blob(eid(1))]
      },
      createStructureContext()
    );
    const emojis = guild.emojis;
    assert.ok(emojis instanceof EmojiStore);
    assert.ok(emojis instanceof Collection);
    assert.ok(emojis instanceof Map);
    assert.equal(String(emojis), '[Collection<Emoji>]');
    assert.deepEqual([...emojis.keys()], [eid(1), eid(2)]);
    const wave = emojis.get(eid(2));
    assert.ok(wave instanceof Emoji);
    assert.equal(wave.mention, `<a:wave:${eid(2)}>`);
    assert.deepEqual(wave.roles, [MOD_ROLE]);
    // Role ids are the role cache's strings (the guild's interned role set).
    assert.equal(wave.roles, guild.internRoles([MOD_ROLE]));
    assert.equal(emojis.get('1'), undefined);
    assert.equal(emojis.limit, Number.POSITIVE_INFINITY);
  });

  test('a guild without emojis builds no emojis collection', () => {
    const guild = emptyGuild();
    assert.equal((guild as unknown as { _emojis: unknown })._emojis, null);
  });

  test('add returns the existing emoji unless replace; ids that do not pack are kept as strings', () => {
    const { emojis } = emptyGuild();
    const a = emojis.add(blob(eid(1), { name: 'a' }));
    assert.equal(emojis.add(blob(eid(1), { name: 'b' })).name, 'a');
    assert.equal(emojis.add(blob(eid(1), { name: 'b' }), undefined, true).name, 'b');
    assert.equal(a.name, 'a', 'a copy taken at the read');
    for (const odd of ['abc', '007', '99999999999999999999', '0', '9223372036854775808']) {
      assert.equal(emojis.add(blob(odd, { name: odd })).id, odd);
    }
    assert.deepEqual([...emojis.keys()], [eid(1), 'abc', '007', '99999999999999999999', '0', '9223372036854775808']);
    for (const key of emojis.keys()) assert.equal(emojis.get(key)?.id, key);
    assert.equal(emojis.has('7'), false);
    assert.throws(() => emojis.add({ name: 'x' } as APIEmoji), MissingIDError);
    assert.throws(() => emojis.update({ id: '' } as APIEmoji), MissingIDError);
    assert.equal(emojis.remove({ id: 'missing' }), null);
    assert.equal(emojis.remove(null as unknown as { id: string }), null);
  });

  test('writes to an emoji read go to the cache; a removed emoji and an old copy do not change', () => {
    const guild = emptyGuild();
    const { emojis } = guild;
    emojis.add(blob(eid(1)));
    const a = emojis.get(eid(1)) as Emoji;
    const b = emojis.get(eid(1)) as Emoji;
    assert.notEqual(a, b);
    a.name = 'renamed';
    assert.equal(emojis.get(eid(1))?.name, 'renamed');
    assert.equal(b.name, 'blob', 'b was read before the write');
    b.update({ roles: [MOD_ROLE], animated: true });
    const now = emojis.get(eid(1)) as Emoji;
    assert.equal(now.name, 'renamed', "b's update wrote only what it changed");
    assert.deepEqual(now.roles, [MOD_ROLE]);
    assert.equal(now.animated, true);
    const creator = guild.context.users.add(user('53905483156684800', 'maker'));
    now.user = creator;
    assert.equal(emojis.get(eid(1))?.user, creator);
    emojis.update({ id: eid(1), name: 'again', available: false });
    assert.deepEqual(fields(emojis.get(eid(1)) as Emoji), {
      ...fields(now),
      name: 'again',
      available: false,
      mention: `<a:again:${eid(1)}>`,
      json: { ...now.toJSON(), name: 'again', available: false }
    });
    const removed = emojis.remove({ id: eid(1) }) as Emoji;
    assert.equal(removed.name, 'again');
    removed.name = 'ghost';
    emojis.add(blob(eid(1)));
    assert.equal(emojis.get(eid(1))?.name, 'blob', 'a removed emoji writes nowhere');
  });

  test("GUILD_EMOJIS_UPDATE's clear-and-add keeps the old emojis' values", () => {
    const { emojis } = emptyGuild();
    emojis.add(blob(eid(1), { name: 'one' }));
    emojis.add(blob(eid(2), { name: 'two' }));
    const old = [...emojis.values()];
    emojis.clear();
    emojis.add({ ...blob(eid(2), { name: 'deux' }), id: eid(2) });
    assert.deepEqual(
      old.map((e) => e.name),
      ['one', 'two']
    );
    assert.deepEqual(
      [...emojis.values()].map((e) => e.name),
      ['deux']
    );
    assert.equal(emojis.size, 1);
  });

  test('an Emoji built on its own is stored by add, and its writes then reach the cache', () => {
    const guild = emptyGuild();
    const own = new Emoji(blob(eid(5), { name: 'own' }), guild);
    assert.equal(guild.emojis.add(own), own);
    own.name = 'changed';
    assert.equal(guild.emojis.get(eid(5))?.name, 'changed');
    const other = emptyGuild();
    const foreign = new Emoji(blob(eid(6)), other);
    const stored = guild.emojis.add(foreign);
    assert.notEqual(stored, foreign, "another guild's emoji is copied");
    guild.emojis.set(eid(7), new Emoji(blob(eid(8), { name: 'set' }), guild));
    assert.equal(guild.emojis.get(eid(7))?.name, 'set');
    assert.equal(guild.emojis.delete(eid(7)), true);
    assert.equal(guild.emojis.delete(eid(7)), false);
  });

  test('iteration tolerates deletes and adds while it runs; helpers; console.log shows the emojis', async () => {
    const { emojis } = emptyGuild();
    for (let i = 0; i < 5; i++) emojis.add(blob(eid(i), { name: `e${i}` }));
    const seen: string[] = [];
    for (const [id] of emojis) {
      seen.push(id);
      if (id === eid(1)) {
        emojis.delete(eid(1));
        emojis.delete(eid(3));
        emojis.add(blob(eid(9)));
      }
    }
    assert.deepEqual(seen, [eid(0), eid(1), eid(2), eid(4), eid(9)]);
    const forEach: string[] = [];
    emojis.forEach((e, key, map) => {
      assert.equal(map, emojis);
      forEach.push(`${key}=${e.name}`);
    });
    assert.equal(forEach.length, 4);
    assert.equal(emojis.find((e) => e.name === 'e2')?.id, eid(2));
    assert.deepEqual(
      emojis.filter((e) => e.name.startsWith('e')).map((e) => e.id),
      [eid(0), eid(2), eid(4)]
    );
    assert.deepEqual(
      emojis.map((e) => e.name),
      ['e0', 'e2', 'e4', 'blob']
    );
    assert.equal(
      emojis.some((e) => e.name === 'blob'),
      true
    );
    assert.equal(
      emojis.every((e) => e.available),
      true
    );
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(emojis))), [eid(0), eid(2), eid(4), eid(9)]);
    const { inspect } = await import('node:util');
    assert.match(inspect(emojis), /e0/);
  });

  test('a user-supplied emojis factory keeps working', () => {
    const context = createStructureContext({ cache: { emojis: () => new Collection<string, Emoji, APIEmoji>(Emoji) } });
    const guild = new Guild(
      { id: GUILD_ID, name: 'g', owner_id: OWNER_ID, roles: [], emojis: [blob(eid(1)), blob(eid(2), { name: 'x' })] },
      context
    );
    assert.ok(!(guild.emojis instanceof EmojiStore));
    const a = guild.emojis.get(eid(2)) as Emoji;
    assert.equal(a, guild.emojis.get(eid(2)), 'a Map keeps identity');
    a.update({ name: 'y' });
    assert.equal(guild.emojis.get(eid(2))?.name, 'y');
  });
});

/** One operation on both collections. */
type Op =
  | { kind: 'add'; id: number; data: Partial<APIEmoji>; replace: boolean }
  | { kind: 'update'; id: number; data: Partial<APIEmoji> }
  | { kind: 'remove'; id: number }
  | { kind: 'delete'; id: number }
  | { kind: 'write'; id: number; name: string; roles: string[] }
  | { kind: 'viewUpdate'; id: number; data: Partial<APIEmoji> }
  | { kind: 'clear' };

const payload = fc.record(
  {
    name: fc.oneof(fc.constantFrom('blob', 'kekw', ''), fc.string({ maxLength: 32 }), fc.constant(null)),
    animated: fc.boolean(),
    managed: fc.boolean(),
    available: fc.boolean(),
    require_colons: fc.boolean(),
    roles: fc.subarray([MOD_ROLE, MEMBER_ROLE]),
    user: fc.constantFrom(user('1', 'one'), user('2', 'two'))
  },
  { requiredKeys: [] }
) as fc.Arbitrary<Partial<APIEmoji>>;

const anyID = fc.nat(20);
const idOf = (n: number) =>
  (n >= 18 ? ['007', '99999999999999999999', '9223372036854775808'][n - 18] : eid(n)) as string;

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), id: anyID, data: payload, replace: fc.boolean() }),
  fc.record({ kind: fc.constant('update' as const), id: anyID, data: payload }),
  fc.record({ kind: fc.constant('remove' as const), id: anyID }),
  fc.record({ kind: fc.constant('delete' as const), id: anyID }),
  fc.record({
    kind: fc.constant('write' as const),
    id: anyID,
    name: fc.string({ maxLength: 8 }),
    roles: fc.subarray([MOD_ROLE, MEMBER_ROLE])
  }),
  fc.record({ kind: fc.constant('viewUpdate' as const), id: anyID, data: payload }),
  fc.record({ kind: fc.constant('clear' as const) })
);

test('any sequence of operations leaves the same emojis as a Collection of Emoji objects', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 100 }), (ops) => {
      const guild = emptyGuild();
      const store = guild.emojis as EmojiStore;
      const reference = new Collection<string, Emoji, APIEmoji>(Emoji);
      for (const o of ops) {
        if (o.kind === 'clear') {
          store.clear();
          reference.clear();
          continue;
        }
        const id = idOf(o.id);
        if (o.kind === 'add') {
          const a = store.add({ ...o.data, id } as APIEmoji, guild, o.replace);
          const b = reference.add({ ...o.data, id } as APIEmoji, guild, o.replace);
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
        } else if (o.kind === 'write') {
          const a = store.get(id);
          const b = reference.get(id);
          assert.equal(a === undefined, b === undefined);
          if (a && b) {
            a.name = b.name = o.name;
            a.roles = b.roles = guild.internRoles(o.roles);
          }
        } else {
          const a = store.get(id);
          const b = reference.get(id);
          a?.update(o.data);
          b?.update(o.data);
        }
      }
      assert.deepEqual([...store.keys()], [...reference.keys()]);
      assert.equal(store.size, reference.size);
      assert.deepEqual(store.map(fields), reference.map(fields));
      assert.deepEqual(JSON.parse(JSON.stringify(store)), JSON.parse(JSON.stringify(reference)));
    }),
    { numRuns: 300 }
  );
});

test('GUILD_EMOJIS_UPDATE through the dispatcher: the store holds the new set, listeners get new and old', () => {
  const shard = { id: 0, guildsReceived: true } as unknown as Shard;
  const feed = (c: Client, t: string, d: unknown) => dispatchHandlers.get(t)?.(c, d, shard);
  const c = new Client('not-a-real-token', { messageLimit: 0, rest: { baseURL: 'http://127.0.0.1:9/api/v10' } });
  feed(c, 'GUILD_CREATE', {
    id: GUILD_ID,
    name: 'g',
    owner_id: OWNER_ID,
    roles: [role(GUILD_ID, '@everyone', 0n, 0), role(MOD_ROLE, 'Mods', 8n, 1)],
    channels: [],
    members: [],
    emojis: [blob(eid(1), { name: 'one' }), blob(eid(2), { name: 'two', roles: [MOD_ROLE] })],
    member_count: 1
  });
  const guild = c.guilds.get(GUILD_ID);
  assert.ok(guild?.emojis instanceof EmojiStore);
  let seen: [string[], string[] | null] | null = null;
  c.on('guildEmojisUpdate', (g, emojis, old) => {
    assert.equal(g, guild);
    seen = [emojis.map((e) => `${e.id}=${e.name}`), old === null ? null : old.map((e) => `${e.id}=${e.name}`)];
  });
  feed(c, 'GUILD_EMOJIS_UPDATE', {
    guild_id: GUILD_ID,
    emojis: [blob(eid(2), { name: 'deux', roles: [MOD_ROLE] }), blob(eid(3), { name: 'trois' }), { name: 'no id' }]
  });
  assert.deepEqual(seen, [
    [`${eid(2)}=deux`, `${eid(3)}=trois`],
    [`${eid(1)}=one`, `${eid(2)}=two`]
  ]);
  assert.deepEqual([...guild.emojis.keys()], [eid(2), eid(3)]);
  assert.deepEqual(guild.emojis.get(eid(2))?.roles, [MOD_ROLE]);
});
