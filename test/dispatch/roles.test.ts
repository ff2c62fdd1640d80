/**
 * GUILD_ROLE_CREATE/UPDATE/DELETE on a Client that never connects, with the default roles cache
 * (a RoleStore): the cache stays exact and the events carry what Eris's do.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, dispatchHandlers, type Role, type Shard } from '../../src/index.js';
import { RoleStore } from '../../src/structures/roles/RoleStore.js';

const shard = { id: 0, guildsReceived: true } as unknown as Shard;
const GUILD = '81384788765712384';
const USER = '80351110224678912';
const ROLE = '81384788765712390';

function feed(client: Client, t: string, d: unknown): void {
  dispatchHandlers.get(t)!(client, d, shard);
}

function client(): Client {
  const c = new Client('not-a-real-token', { messageLimit: 0, rest: { baseURL: 'http://127.0.0.1:9/api/v10' } });
  feed(c, 'GUILD_CREATE', {
    id: GUILD,
    name: 'g',
    owner_id: '1',
    roles: [
      {
        id: GUILD,
        name: '@everyone',
        position: 0,
        permissions: '1024',
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0
      }
    ],
    channels: [],
    members: [],
    member_count: 1
  });
  return c;
}

const rolePayload = {
  id: ROLE,
  name: 'Blue',
  position: 1,
  permissions: '2048',
  color: 255,
  hoist: true,
  managed: false,
  mentionable: false,
  flags: 0
};

test('GUILD_ROLE_CREATE, UPDATE and DELETE keep the role store exact', () => {
  const c = client();
  const guild = c.guilds.get(GUILD)!;
  assert.ok(guild.roles instanceof RoleStore);
  const events: unknown[][] = [];
  c.on('guildRoleCreate', (...args) => events.push(['create', ...args]));
  c.on('guildRoleUpdate', (...args) => events.push(['update', ...args]));
  c.on('guildRoleDelete', (...args) => events.push(['delete', ...args]));

  feed(c, 'GUILD_ROLE_CREATE', { guild_id: GUILD, role: rolePayload });
  const created = events[0]?.[2] as Role;
  assert.equal(created.name, 'Blue');
  assert.equal(guild.roles.get(ROLE)?.color, 255);

  feed(c, 'GUILD_MEMBER_ADD', {
    guild_id: GUILD,
    user: { id: USER, username: 'u', discriminator: '0', global_name: null, avatar: null },
    roles: [ROLE],
    joined_at: '2020-01-01T00:00:00.000000+00:00',
    deaf: false,
    mute: false,
    flags: 0
  });
  assert.deepEqual(guild.members.get(USER)?.roles, [ROLE]);

  feed(c, 'GUILD_ROLE_UPDATE', {
    guild_id: GUILD,
    role: { ...rolePayload, name: 'Navy', color: 128, permissions: '16' }
  });
  const [, , updated, old] = events[1] as [string, unknown, Role, Record<string, unknown>];
  assert.equal(updated.name, 'Navy');
  assert.equal(old.name, 'Blue');
  assert.equal(old.color, 255);
  // The view the create event gave reads the store: it sees the update.
  assert.equal(created.name, 'Navy');
  assert.equal(guild.permissionsOf(USER).allow, 16n | 1024n);

  feed(c, 'GUILD_ROLE_DELETE', { guild_id: GUILD, role_id: ROLE });
  const removed = events[2]?.[2] as Role;
  assert.equal(removed.name, 'Navy', 'the deleted role keeps its values');
  assert.equal(removed.permissionBits, 16n);
  assert.equal(guild.roles.has(ROLE), false);
  assert.deepEqual(guild.members.get(USER)?.roles, []);
  assert.equal(guild.permissionsOf(USER).allow, 1024n);
  assert.equal(c.dispatchStats.malformed, 0);
});
