/**
 * client.channelGuildMap is filled lazily: a GUILD_CREATE defers its guild's channels and threads
 * (ChannelGuildMap.defer) and the first use of the map maps them. Whatever happens in between
 * (channel and thread events, a guild deleted or sent again), the map then answers as the eagerly
 * filled map did, in the same order.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChannelGuildMap } from '../../src/gateway/dispatch/ChannelGuildMap.js';
import { Client, dispatchHandlers, type Shard } from '../../src/index.js';

const shard = { id: 0, guildsReceived: true } as unknown as Shard;
const GUILD_A = '81384788765712384';
const GUILD_B = '81384788765712999';

function feed(client: Client, t: string, d: unknown): void {
  dispatchHandlers.get(t)!(client, d, shard);
}

function channel(id: string, guildID: string, type = 0): Record<string, unknown> {
  return { id, guild_id: guildID, type, name: `c${id.slice(-3)}`, position: 0, permission_overwrites: [] };
}

function thread(id: string, guildID: string, parentID: string): Record<string, unknown> {
  return {
    id,
    guild_id: guildID,
    parent_id: parentID,
    type: 11,
    name: `t${id.slice(-3)}`,
    owner_id: '1',
    thread_metadata: {
      archived: false,
      auto_archive_duration: 60,
      archive_timestamp: '2024-01-01T00:00:00+00:00',
      locked: false
    }
  };
}

function guildCreate(client: Client, id: string, channelIDs: string[], threadIDs: string[] = []): void {
  feed(client, 'GUILD_CREATE', {
    id,
    name: 'g',
    owner_id: '1',
    roles: [],
    channels: channelIDs.map((c) => channel(c, id)),
    threads: threadIDs.map((t) => thread(t, id, channelIDs[0]!)),
    members: [],
    member_count: 1
  });
}

function newClient(): Client {
  return new Client('not-a-real-token', { messageLimit: 0, rest: { baseURL: 'http://127.0.0.1:9/api/v10' } });
}

test('ChannelGuildMap.defer: fills run on first use, in order; cancel drops one; clear drops all', () => {
  const map = new ChannelGuildMap();
  const ran: string[] = [];
  const fill = (m: ChannelGuildMap, owner: { guild: string; ids: string[] }) => {
    ran.push(owner.guild);
    for (const id of owner.ids) m.set(id, owner.guild);
  };
  const a = { guild: '100000000000000001', ids: ['200000000000000001', '200000000000000002'] };
  const b = { guild: '100000000000000002', ids: ['200000000000000003'] };
  const c = { guild: '100000000000000003', ids: ['200000000000000004'] };
  map.defer(a, fill);
  map.defer(b, fill);
  map.defer(c, fill);
  assert.equal(map.cancel(b), true);
  assert.equal(map.cancel(b), false);
  assert.deepEqual(ran, [], 'nothing runs before the map is used');
  assert.equal(map.size, 3);
  assert.deepEqual(ran, [a.guild, c.guild]);
  assert.deepEqual([...map.keys()], ['200000000000000001', '200000000000000002', '200000000000000004']);
  assert.equal(map.cancel(a), false, 'a fill that ran cannot be cancelled');
  map.size;
  assert.deepEqual(ran, [a.guild, c.guild], 'fills run once');

  // Every entry point settles first: here `get`, then a fresh map's `set`.
  const other = new ChannelGuildMap();
  other.defer(a, fill);
  assert.equal(other.get('200000000000000002'), a.guild);
  const third = new ChannelGuildMap();
  third.defer(a, fill);
  third.set('200000000000000009', '100000000000000009');
  assert.deepEqual([...third.keys()], ['200000000000000001', '200000000000000002', '200000000000000009']);
  const cleared = new ChannelGuildMap();
  cleared.defer(a, fill);
  cleared.clear();
  assert.equal(cleared.size, 0);
});

test('GUILD_CREATE defers its channels and threads; the first read maps them', () => {
  const client = newClient();
  guildCreate(client, GUILD_A, ['81384788765712385', '81384788765712386'], ['81384788765712387']);
  guildCreate(client, GUILD_B, ['81384788765713000']);
  assert.equal(client.channelGuildMap.get('81384788765712387'), GUILD_A);
  assert.deepEqual(
    [...client.channelGuildMap],
    [
      ['81384788765712385', GUILD_A],
      ['81384788765712386', GUILD_A],
      ['81384788765712387', GUILD_A],
      ['81384788765713000', GUILD_B]
    ]
  );
  assert.equal(client.getChannel('81384788765713000')?.id, '81384788765713000');
});

test('channel, thread and guild events before the first read leave the map as the eager fill would', () => {
  const client = newClient();
  guildCreate(client, GUILD_A, ['81384788765712385', '81384788765712386']);
  guildCreate(client, GUILD_B, ['81384788765713000', '81384788765713001']);
  // A channel created, one deleted, a thread created in a guild that came without threads.
  feed(client, 'CHANNEL_CREATE', channel('81384788765712390', GUILD_A));
  feed(client, 'CHANNEL_DELETE', channel('81384788765712385', GUILD_A));
  feed(client, 'THREAD_CREATE', { ...thread('81384788765713005', GUILD_B, '81384788765713000'), newly_created: true });
  // Guild A sent again (an outage that ended): its old channels go, the new payload's come.
  guildCreate(client, GUILD_A, ['81384788765712386', '81384788765712391']);
  // Guild B removed before anything read the map: none of its channels are left.
  const deleted = newClient();
  guildCreate(deleted, GUILD_B, ['81384788765713000']);
  feed(deleted, 'GUILD_DELETE', { id: GUILD_B });
  assert.equal(deleted.channelGuildMap.size, 0);

  const entries = new Map(client.channelGuildMap);
  assert.equal(entries.get('81384788765712385'), undefined, 'deleted channel');
  assert.equal(entries.get('81384788765712390'), undefined, 'channel of the guild payload that replaced it');
  assert.equal(entries.get('81384788765712386'), GUILD_A);
  assert.equal(entries.get('81384788765712391'), GUILD_A);
  assert.equal(entries.get('81384788765713000'), GUILD_B);
  assert.equal(entries.get('81384788765713001'), GUILD_B);
  assert.equal(entries.get('81384788765713005'), GUILD_B, 'thread created after GUILD_CREATE');
  assert.equal(entries.size, 5);
  // Every mapped id resolves to a cached channel or thread of that guild.
  for (const [id, guildID] of entries) assert.equal(client.guilds.get(guildID)?.id, guildID, id);
  for (const id of entries.keys()) assert.ok(client.getChannel(id), id);
});

test('deferred fills run in the background once no fill has been deferred for idleMs, a slice at a time', async () => {
  const map = new ChannelGuildMap(null, { idleMs: 300 });
  const ran: number[] = [];
  // Each fill takes ~3 ms, so a 4 ms slice runs two and leaves the rest to the next timer.
  const slowFill = (m: ChannelGuildMap, owner: { n: number }) => {
    const until = performance.now() + 3;
    while (performance.now() < until) {}
    ran.push(owner.n);
    m.set(`30000000000000000${owner.n}`, '100000000000000001');
  };
  const owners = Array.from({ length: 8 }, (_, n) => ({ n }));
  for (const owner of owners.slice(0, 4)) map.defer(owner, slowFill);
  await new Promise((resolve) => setTimeout(resolve, 150));
  // Deferring again pushes the background start back.
  for (const owner of owners.slice(4)) map.defer(owner, slowFill);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(ran, [], 'nothing ran within idleMs of the last defer');
  const deadline = Date.now() + 2000;
  while (ran.length === 0 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(ran.length > 0 && ran.length < 8, `one slice ran a part (${ran.length})`);
  // A read in between runs the rest at once, still in order.
  assert.equal(map.size, 8);
  assert.deepEqual(ran, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(
    [...map.keys()],
    owners.map((o) => `30000000000000000${o.n}`)
  );

  // Left alone, every fill runs in the background.
  const idle = new ChannelGuildMap(null, { idleMs: 5 });
  const done: number[] = [];
  for (const owner of owners) idle.defer(owner, (_m, o) => void done.push(o.n));
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(done, [0, 1, 2, 3, 4, 5, 6, 7]);
});

test('a fill that throws: not from a timer; at a read it throws to the reader; the rest stay deferred', async () => {
  const map = new ChannelGuildMap(null, { idleMs: 5 });
  const ran: string[] = [];
  const fill = (m: ChannelGuildMap, owner: { id: string; bad?: boolean }) => {
    if (owner.bad) throw new Error('bad fill');
    ran.push(owner.id);
    m.set(owner.id, '100000000000000001');
  };
  map.defer({ id: '200000000000000001' }, fill);
  const bad = { id: '200000000000000002', bad: true };
  map.defer(bad, fill);
  map.defer({ id: '200000000000000003' }, fill);
  // The background run stops at the throw without ending the process.
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(ran, ['200000000000000001']);
  assert.equal(map.cancel(bad), false, 'the throwing fill was taken off before it ran');
  // What is left runs at the next use.
  assert.equal(map.get('200000000000000003'), '100000000000000001');
  assert.deepEqual(ran, ['200000000000000001', '200000000000000003']);

  // Run by a read instead: the reader gets the error, and the next read runs what follows.
  const read = new ChannelGuildMap();
  read.defer({ id: '200000000000000004', bad: true }, fill);
  read.defer({ id: '200000000000000005' }, fill);
  assert.throws(() => read.size, /bad fill/);
  assert.equal(read.get('200000000000000005'), '100000000000000001');
});
