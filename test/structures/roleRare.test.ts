/**
 * Roles' rare fields (icon, emoji, gradient colours, tags) shared across guilds (roles/rare.ts),
 * and the packed numbers' small-integer range (roles/packing.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIRole } from 'discord-api-types/v10';
import { createStructureContext } from '../../src/structures/defaults.js';
import { Guild } from '../../src/structures/Guild.js';
import { packNumbers } from '../../src/structures/roles/packing.js';
import type { RoleStore } from '../../src/structures/roles/RoleStore.js';
import { internRare, internTags } from '../../src/structures/roles/rare.js';
import { EMPTY_ROLE_EXTRA, withExtra } from '../../src/structures/roles/source.js';
import { role } from './fixtures.js';

const BOT_ID = '323625785753602783';

function botRole(id: string, position: number, extra: Partial<APIRole> = {}): APIRole {
  return {
    ...role(id, 'Athena Test Bot', 1099926957120n, position),
    managed: true,
    tags: { bot_id: String(BigInt(BOT_ID)) },
    ...extra
  };
}

function guildWith(id: string, roles: APIRole[]): Guild {
  return new Guild({ id, name: 'g', owner_id: '1', roles }, createStructureContext());
}

/** The object a row keeps its rare fields in (internal). */
function rareOf(guild: Guild, roleID: string): unknown {
  const store = guild.roles as RoleStore;
  const row = [...store.keys()].indexOf(roleID);
  return store.extraAt(row);
}

test("every guild's role for the same bot shares one frozen object for its name and tags", () => {
  const guilds = [0, 1, 2].map((n) =>
    guildWith(String(900 + n), [role(String(900 + n), '@everyone', 0n, 0), botRole(String(800 + n), n + 1)])
  );
  const rares = guilds.map((g, n) => rareOf(g, String(800 + n)));
  assert.ok(rares[0] !== undefined);
  assert.equal(rares[1], rares[2]);
  assert.ok(Object.isFrozen(rares[2]));
  for (const [n, g] of guilds.entries()) {
    const bot = g.roles.get(String(800 + n));
    assert.ok(bot);
    assert.equal(bot.name, 'Athena Test Bot');
    assert.equal(bot.position, n + 1, 'the position stays per guild');
    assert.equal(bot.managed, true);
    assert.deepEqual(bot.tags, { bot_id: BOT_ID });
  }
  // The rare role's name is not left behind in the name text.
  const store = guilds[0]?.roles as unknown as { text: string };
  assert.equal(store.text, '');
});

test('a rare role can be renamed, lose its rare fields and get them back; the name follows', () => {
  const guild = guildWith('1', [
    role('1', '@everyone', 0n, 0),
    role('2', 'plain name one', 0n, 1),
    role('3', 'unicode role', 0n, 2, { icon: 'abc', unicode_emoji: '🙂' } as Partial<APIRole>),
    role('4', 'plain name two', 0n, 3)
  ]);
  const r = guild.roles.get('3');
  assert.ok(r);
  assert.equal(r.icon, 'abc');
  r.name = 'renamed role';
  assert.equal(guild.roles.get('3')?.name, 'renamed role');
  assert.equal(guild.roles.get('3')?.unicodeEmoji, '🙂');
  r.update({ icon: null, unicode_emoji: null });
  assert.equal(r.icon, null);
  assert.equal(rareOf(guild, '3'), undefined, 'no rare fields left: a plain name slot again');
  assert.equal(r.name, 'renamed role');
  r.update({ colors: { primary_color: 5, secondary_color: 6, tertiary_color: null } });
  assert.deepEqual(r.colors, { primaryColor: 5, secondaryColor: 6, tertiaryColor: null });
  assert.equal(r.name, 'renamed role');
  assert.deepEqual(
    guild.roles.map((x) => x.name),
    ['@everyone', 'plain name one', 'renamed role', 'plain name two']
  );
  // Numbers beyond the packed form live with the rare fields, and go back.
  r.position = 70_000;
  assert.equal(guild.roles.get('3')?.position, 70_000);
  assert.equal(guild.roles.get('3')?.colors.secondaryColor, 6);
  r.position = 4;
  assert.equal(guild.roles.get('3')?.position, 4);
  assert.equal(guild.roles.get('3')?.name, 'renamed role');
});

test('tags are interned only when their values are plain; odd tags are kept as given', () => {
  const a = internTags({ bot_id: '5', premium_subscriber: null });
  assert.equal(internTags({ bot_id: '5', premium_subscriber: null }), a);
  assert.notEqual(internTags({ premium_subscriber: null, bot_id: '5' }), a, 'key order is shown by role.tags');
  const odd = { bot_id: 5 } as unknown as { bot_id: string };
  assert.equal(internTags(odd), odd);
  const withOdd = internRare('x', withExtra(EMPTY_ROLE_EXTRA, { tags: odd }));
  assert.notEqual(internRare('x', withExtra(EMPTY_ROLE_EXTRA, { tags: odd })), withOdd, 'not shared');
  assert.equal(withOdd.tags, odd);
  const guild = guildWith('1', [role('2', 'weird', 0n, 1, { tags: { integration_id: '7', x: 1n } } as never)]);
  assert.deepEqual(guild.roles.get('2')?.tags, { integration_id: '7', x: 1n });
});

test('a shared rare object is never handed to a role whose fields differ (key collisions are checked)', () => {
  const a = internRare('a\u0000b', withExtra(EMPTY_ROLE_EXTRA, { icon: 'c' }));
  const b = internRare('a', withExtra(EMPTY_ROLE_EXTRA, { icon: 'b\u0000c' }));
  assert.notEqual(a, b);
  assert.equal(b.name, 'a');
  assert.equal(b.icon, 'b\u0000c');
});

test('packed numbers: position below 16 without flags is a small integer (below 2^31)', () => {
  for (const booleans of [0, 7]) {
    assert.ok(packNumbers(15, 0xffffff, booleans, 0) < 2 ** 31);
    assert.ok(packNumbers(16, 0, booleans, 0) >= 2 ** 31);
  }
  assert.ok(packNumbers(0, 0, 0, 1) >= 2 ** 31);
});
