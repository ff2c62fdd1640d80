/**
 * Under cache.memberBudget a guild that leaves the cache (GUILD_DELETE, or replaced by a new
 * GUILD_CREATE) stops counting its members in the budget once its event has run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, dispatchHandlers, type Shard } from '../../src/index.js';

const shard = { id: 0, guildsReceived: true } as unknown as Shard;
const feed = (client: Client, t: string, d: unknown) => dispatchHandlers.get(t)!(client, d, shard);
const GUILD = '81384788765712384';

function guildCreate(members: number) {
  return {
    id: GUILD,
    name: 'g',
    owner_id: '80351110224678912',
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
    members: Array.from({ length: members }, (_, n) => ({
      user: {
        id: String(80351110224678912n + BigInt(n) * 4194305n),
        username: `u${n}`,
        discriminator: '0',
        global_name: null,
        avatar: null
      },
      roles: [],
      joined_at: '2020-01-01T00:00:00.000000+00:00',
      deaf: false,
      mute: false,
      flags: 0
    })),
    member_count: members
  };
}

test('GUILD_DELETE and a replacing GUILD_CREATE give the old guild members back to the budget', () => {
  const client = new Client('not-a-real-token', {
    cache: { memberBudget: 1000 },
    rest: { baseURL: 'http://127.0.0.1:9/api/v10' }
  });
  feed(client, 'GUILD_CREATE', guildCreate(50));
  assert.equal(client.memberBudget?.size, 50);
  feed(client, 'GUILD_CREATE', guildCreate(30));
  assert.equal(client.memberBudget?.size, 30, 'the replaced guild no longer counts');
  let seen = -1;
  client.on('guildDelete', (guild) => {
    seen = (guild as { members: { size: number } }).members.size;
  });
  feed(client, 'GUILD_DELETE', { id: GUILD });
  assert.equal(seen, 30, 'the listener still sees the members');
  assert.equal(client.memberBudget?.size, 0);
  assert.equal(client.memberBudget?.evictions, 0);
});
