/**
 * GUILD_MEMBER_REMOVE drops the member's voice state: someone who left the guild is in none of
 * its voice channels, and Discord's VOICE_STATE_UPDATE for the leave may never come. Found by
 * cacheExact.test.ts (members removed while in voice stayed in guild.voiceStates).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '../../src/Client.js';
import { dispatchHandlers } from '../../src/gateway/dispatch/index.js';
import type { Shard } from '../../src/gateway/Shard.js';

const shard = { id: 0, guildsReceived: true } as unknown as Shard;
const GUILD = '100000000000000001';
const VOICE = '100000000000000002';
const USER = '100000000000000003';
const OTHER = '100000000000000004';

function dispatch(client: Client, t: string, d: unknown): void {
  const handler = dispatchHandlers.get(t);
  assert.ok(handler, t);
  handler(client, d, shard);
}

function user(id: string) {
  return { id, username: `u${id.slice(-1)}`, discriminator: '0', global_name: null, avatar: null };
}

function member(id: string) {
  return { user: user(id), roles: [], joined_at: '2024-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 };
}

function voiceState(id: string) {
  return {
    user_id: id,
    channel_id: VOICE,
    session_id: `s${id}`,
    deaf: false,
    mute: false,
    self_deaf: false,
    self_mute: false,
    self_video: false,
    suppress: false,
    request_to_speak_timestamp: null
  };
}

test('a member who leaves while in voice leaves no voice state behind; others keep theirs', () => {
  const client = new Client('token', {});
  dispatch(client, 'GUILD_CREATE', {
    id: GUILD,
    name: 'g',
    owner_id: OTHER,
    roles: [
      {
        id: GUILD,
        name: '@everyone',
        position: 0,
        permissions: '0',
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0
      }
    ],
    channels: [{ id: VOICE, type: 2, name: 'v', position: 0, permission_overwrites: [] }],
    threads: [],
    members: [member(USER), member(OTHER)],
    voice_states: [voiceState(USER), voiceState(OTHER)],
    member_count: 2
  });
  const guild = client.guilds.get(GUILD);
  assert.ok(guild);
  assert.deepEqual([...guild.voiceStates.keys()].sort(), [USER, OTHER]);
  dispatch(client, 'GUILD_MEMBER_REMOVE', { guild_id: GUILD, user: user(USER) });
  assert.equal(guild.members.has(USER), false);
  assert.deepEqual([...guild.voiceStates.keys()], [OTHER]);
  assert.equal(guild.memberCount, 1);
});
