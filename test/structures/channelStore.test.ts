/**
 * The columnar channel store: Collection/Map behaviour served from the table, write-back through
 * channel objects and `update`, messages kept across reads, tombstones and compaction, threads,
 * the overwrite pool under churn, custom (plain Collection) factories, and a random model check.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Collection } from '../../src/cache/Collection.js';
import { overwritesToAPI } from '../../src/permissions/overwrites.js';
import { ChannelStore } from '../../src/structures/channels/ChannelStore.js';
import { createGuildChannel } from '../../src/structures/channels/factory.js';
import { GuildChannel } from '../../src/structures/channels/GuildChannel.js';
import type { TextChannel } from '../../src/structures/channels/TextChannel.js';
import type { ThreadChannel } from '../../src/structures/channels/ThreadChannel.js';
import type { ChannelPayload } from '../../src/structures/channels/types.js';
import type { VoiceChannel } from '../../src/structures/channels/VoiceChannel.js';
import { createStructureContext, Guild } from '../../src/structures/index.js';
import type { MessagePayload } from '../../src/structures/Message.js';
import { CATEGORY_ID, GUILD_ID, guildCreate, TEXT_ID, VOICE_ID } from './fixtures.js';

const newGuild = (messageLimit = 0) => new Guild(guildCreate([]), createStructureContext({ messageLimit }));

const text = (id: string, extra: Partial<ChannelPayload> = {}): ChannelPayload => ({
  id,
  type: 0,
  guild_id: GUILD_ID,
  name: `text-${id}`,
  position: 1,
  parent_id: null,
  permission_overwrites: [],
  ...extra
});

test('the default channels collection is a ChannelStore: a Collection and a Map with an empty Map table', () => {
  const guild = newGuild();
  const channels = guild.channels;
  assert.ok(channels instanceof ChannelStore);
  assert.ok(channels instanceof Collection);
  assert.ok(channels instanceof Map);
  // The fixture: a category, text, voice, announcement, stage and forum channel (categories load first).
  assert.equal(channels.size, 6);
  assert.throws(() => Map.prototype.get.call(channels, TEXT_ID), TypeError, 'no Map storage underneath');
  assert.deepEqual([...channels.keys()].slice(0, 3), [CATEGORY_ID, TEXT_ID, VOICE_ID]);
  assert.deepEqual(
    [...channels.values()].map((c) => c.id),
    [...channels.keys()]
  );
  assert.ok([...channels].every(([key, value]) => key === value.id));
  const seen: string[] = [];
  channels.forEach((value, key, map) => {
    assert.equal(map, channels);
    seen.push(`${key}:${value.type}`);
  });
  assert.deepEqual(seen.slice(0, 3), [`${CATEGORY_ID}:4`, `${TEXT_ID}:0`, `${VOICE_ID}:2`]);
  assert.equal(seen.length, 6);
  assert.equal(channels.has(TEXT_ID), true);
  assert.equal(channels.has('123'), false);
  assert.equal(channels.get('123'), undefined);
  assert.equal(channels.find((c) => c.type === 2)?.id, VOICE_ID);
  assert.deepEqual(
    channels.filter((c) => c.type <= 2).map((c) => c.id),
    [TEXT_ID, VOICE_ID]
  );
  assert.deepEqual(
    channels.map((c) => c.type),
    [4, 0, 2, 5, 13, 15]
  );
  assert.equal(
    channels.some((c) => c.type === 2),
    true
  );
  assert.equal(
    channels.every((c) => c.type === 2),
    false
  );
  assert.equal(
    channels.reduce((n, c) => n + c.type, 0),
    39
  );
  assert.ok(channels.has(channels.random()?.id ?? ''));
  assert.deepEqual(Object.keys(channels.toJSON()), [...channels.keys()]);
  assert.equal(JSON.parse(JSON.stringify(channels))[TEXT_ID].name, channels.get(TEXT_ID)?.name);
});

test('reads build equal objects of the right class; writes through any of them reach the table', () => {
  const guild = newGuild();
  const a = guild.channels.get(TEXT_ID) as TextChannel;
  const b = guild.channels.get(TEXT_ID) as TextChannel;
  assert.notEqual(a, b);
  assert.deepEqual(a.toJSON(), b.toJSON());
  assert.equal(a.constructor.name, 'TextChannel');
  assert.equal(guild.channels.get(VOICE_ID)?.constructor.name, 'VoiceChannel');
  a.name = 'renamed';
  a.topic = 'a topic';
  a.rateLimitPerUser = 30;
  a.nsfw = true;
  a.lastMessageID = '1300000000000000000';
  a.position = 2 ** 40; // not an int32: kept aside, read back exactly
  assert.deepEqual(
    [b.name, b.topic, b.rateLimitPerUser, b.nsfw, b.lastMessageID, b.position],
    ['renamed', 'a topic', 30, true, '1300000000000000000', 2 ** 40]
  );
  b.position = 3;
  assert.equal(a.position, 3);
  // An unknown type beyond a byte: the generic class, the type read back exactly.
  guild.channels.add({ id: '100000000000000300', type: 300, name: 'future' });
  const future = guild.channels.get('100000000000000300');
  assert.deepEqual([future?.constructor.name, future?.type, future?.name], ['GuildChannel', 300, 'future']);
  future?.update({ type: 254 });
  assert.equal(guild.channels.get('100000000000000300')?.type, 254);
  const voice = guild.channels.get(VOICE_ID) as VoiceChannel;
  voice.update({ bitrate: 96000, user_limit: 5, rtc_region: 'rotterdam' });
  const again = guild.channels.get(VOICE_ID) as VoiceChannel;
  assert.deepEqual([again.bitrate, again.userLimit, again.rtcRegion], [96000, 5, 'rotterdam']);
});

test('collection update and add: update writes back, add returns the cached entry, add with replace starts over', () => {
  const guild = newGuild();
  const updated = guild.channels.update({ id: TEXT_ID, name: 'via-update', topic: null }) as TextChannel;
  assert.equal(updated.name, 'via-update');
  assert.equal((guild.channels.get(TEXT_ID) as TextChannel).name, 'via-update');
  assert.equal(guild.channels.get(TEXT_ID)?.parentID, CATEGORY_ID, 'absent fields kept');
  const kept = guild.channels.add(text(TEXT_ID, { name: 'ignored' }));
  assert.equal(kept.name, 'via-update');
  const replaced = guild.channels.add(text(TEXT_ID, { name: 'fresh' }), undefined, true);
  assert.equal(replaced.name, 'fresh');
  assert.equal(guild.channels.get(TEXT_ID)?.parentID, null);
  assert.equal(guild.channels.size, 6);
  const added = guild.channels.update(text('900000000000000001', { name: 'new' }));
  assert.equal(added.name, 'new');
  assert.equal(guild.channels.size, 7);
});

test('remove detaches: the removed channel keeps its data, overwrites and messages after its slot is reused', () => {
  const guild = newGuild(10);
  const channel = guild.channels.get(TEXT_ID) as TextChannel;
  channel.messages.add({ id: '1', channel_id: TEXT_ID, content: 'hi' } as unknown as MessagePayload, channel);
  const overwrites = overwritesToAPI(channel.overwrites);
  const before = { name: channel.name, topic: channel.topic };
  const removed = guild.channels.remove({ id: TEXT_ID }) as TextChannel;
  assert.equal(guild.channels.remove({ id: TEXT_ID }), null);
  assert.equal(guild.channels.has(TEXT_ID), false);
  assert.equal(guild.channels.size, 5);
  // Churn: the table compacts and the guild's overwrite pool reuses the run.
  for (let i = 0; i < 40; i++) {
    const id = String(800000000000000000n + BigInt(i));
    guild.channels.add(text(id, { permission_overwrites: [{ id: GUILD_ID, type: 0, allow: String(i), deny: '0' }] }));
    if (i % 2 === 0) guild.channels.delete(id);
  }
  assert.deepEqual({ name: removed.name, topic: removed.topic }, before);
  // An object read before the removal and held past the table's compaction reads as an empty channel.
  assert.equal(channel.name, '');
  assert.deepEqual(overwritesToAPI(removed.overwrites), overwrites);
  assert.equal(removed.messages.get('1')?.content, 'hi');
  assert.equal(removed.guild, guild);
  assert.equal(guild.channels.size, 25);
});

test('messages persist across reads and follow a channel through compaction', () => {
  const guild = newGuild(10);
  const first = guild.channels.get(TEXT_ID) as TextChannel;
  assert.equal(first.messages, (guild.channels.get(TEXT_ID) as TextChannel).messages);
  first.messages.add({ id: '5', channel_id: TEXT_ID, content: 'kept' } as unknown as MessagePayload, first);
  guild.channels.delete(CATEGORY_ID);
  for (let i = 0; i < 20; i++) guild.channels.add(text(String(700000000000000000n + BigInt(i))));
  const later = guild.channels.get(TEXT_ID) as TextChannel;
  assert.equal(later.messages.get('5')?.content, 'kept');
  assert.equal(first.messages, later.messages);
  assert.equal(first.name, later.name, 'a view held across compaction finds its slot again');
  assert.equal(later.parentID, CATEGORY_ID, 'a deleted parent keeps its id');
});

test('delete leaves a readable tombstone; set and add of a channel object move it in (identity kept)', () => {
  const guild = newGuild();
  const held = guild.channels.get(VOICE_ID) as VoiceChannel;
  assert.equal(guild.channels.delete(VOICE_ID), true);
  assert.equal(guild.channels.delete(VOICE_ID), false);
  assert.equal(held.bitrate, 64000);
  assert.equal(held.name, 'Voice');
  const standalone = createGuildChannel(text('600000000000000001', { name: 'outside', topic: 't' }), guild);
  assert.equal(guild.channels.add(standalone as GuildChannel), standalone);
  assert.equal(guild.channels.get('600000000000000001')?.name, 'outside');
  (standalone as TextChannel).topic = 'changed';
  assert.equal((guild.channels.get('600000000000000001') as TextChannel).topic, 'changed');
  const other = createGuildChannel(text('600000000000000002'), guild);
  guild.channels.set(other.id, other as GuildChannel);
  assert.equal(guild.channels.has(other.id), true);
  guild.channels.clear();
  assert.equal(guild.channels.size, 0);
  assert.deepEqual([...guild.channels.keys()], []);
  guild.channels.add(text('600000000000000003'));
  assert.equal(guild.channels.size, 1);
});

test('threads live in a ChannelStore too: fields, metadata and member write back', () => {
  const guild = newGuild();
  const thread = guild.addChannel({
    id: '500000000000000001',
    type: 11,
    guild_id: GUILD_ID,
    name: 'thread',
    parent_id: TEXT_ID,
    owner_id: '42',
    member_count: 3,
    message_count: 7,
    thread_metadata: {
      archived: false,
      auto_archive_duration: 60,
      archive_timestamp: '2024-01-01T00:00:00.000Z',
      locked: false
    }
  }) as ThreadChannel;
  assert.ok(guild.threads instanceof ChannelStore);
  assert.equal(guild.channels.has(thread.id), false);
  const read = guild.threads.get(thread.id) as ThreadChannel;
  assert.deepEqual([read.ownerID, read.memberCount, read.messageCount], ['42', 3, 7]);
  assert.equal(read.threadMetadata.autoArchiveDuration, 60);
  assert.equal(read.parent?.id, TEXT_ID);
  read.memberCount = 4;
  guild.threads.update({
    id: thread.id,
    thread_metadata: {
      archived: true,
      auto_archive_duration: 60,
      archive_timestamp: '2024-01-02T00:00:00.000Z',
      locked: true
    }
  });
  const again = guild.threads.get(thread.id) as ThreadChannel;
  assert.equal(again.memberCount, 4);
  assert.equal(again.threadMetadata.archived, true);
  assert.equal(again.toJSON().permissionOverwrites, undefined);
});

test('overwrites under churn: every channel exact, the pool bounded, synced channels share the run', () => {
  const guild = newGuild();
  const ids = Array.from({ length: 30 }, (_, i) => String(400000000000000000n + BigInt(i)));
  for (const id of ids) guild.addChannel(text(id, { parent_id: CATEGORY_ID }));
  const expected = new Map<string, unknown>();
  for (let round = 0; round < 20; round++) {
    for (const [i, id] of ids.entries()) {
      const raw = Array.from({ length: (i + round) % 4 }, (_, k) => ({
        id: k === 0 ? GUILD_ID : String(300000000000000000n + BigInt(k * 7 + round)),
        type: (k % 2) as 0 | 1,
        allow: String(BigInt(i + round) << 33n),
        deny: String(k + 1)
      }));
      guild.channels.update({ id, permission_overwrites: raw });
      expected.set(id, raw);
    }
  }
  for (const id of ids)
    assert.deepEqual(overwritesToAPI(guild.channels.get(id)?.overwrites ?? ({} as never)), expected.get(id));
  assert.ok(guild.overwritePool.stats.words < 1200, `pool bounded: ${guild.overwritePool.stats.words} words`);
  const category = guild.channels.get(CATEGORY_ID) as GuildChannel;
  const synced = overwritesToAPI(category.overwrites);
  guild.channels.update({ id: ids[0] as string, permission_overwrites: synced });
  assert.equal(guild.channels.get(ids[0] as string)?.overwriteRun, category.overwriteRun);
});

test('a custom plain Collection factory still works (standalone channels in the guild pool)', () => {
  const guild = new Guild(
    guildCreate([]),
    createStructureContext({
      cache: { channels: () => new Collection<string, GuildChannel, ChannelPayload>(GuildChannel) }
    })
  );
  assert.ok(!(guild.channels instanceof ChannelStore));
  const channel = guild.channels.get(TEXT_ID) as TextChannel;
  assert.equal(channel, guild.channels.get(TEXT_ID), 'a plain Collection keeps identity');
  for (let round = 0; round < 30; round++) {
    guild.channels.update({
      id: TEXT_ID,
      permission_overwrites: [{ id: GUILD_ID, type: 0, allow: String(round), deny: '0' }]
    });
  }
  assert.deepEqual(overwritesToAPI(channel.overwrites), [{ id: GUILD_ID, type: 0, allow: '29', deny: '0' }]);
  assert.ok(guild.overwritePool.stats.words < 120);
});

test('random create/update/delete sequences match channels built fresh from the merged payloads', () => {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const guild = newGuild();
  const reference = newGuild();
  const model = new Map<string, ChannelPayload>();
  for (const channel of guild.channels.values()) model.set(channel.id, { id: channel.id, type: channel.type });
  for (const id of [...model.keys()]) guild.channels.delete(id);
  model.clear();
  // Snowflakes (packed in the rows) and ids that do not pack (kept in the side object).
  const ids = Array.from({ length: 20 }, (_, i) => String(200000000000000000n + BigInt(i * 4099)));
  ids.push('0x1f', '01', '0', '7', '9223372036854775808', '18446744073709551616');
  const types = [0, 2, 4, 5, 13, 15];
  for (let step = 0; step < 3000; step++) {
    const id = pick(ids);
    const roll = random();
    if (roll < 0.15) {
      guild.channels.delete(id);
      model.delete(id);
    } else if (!model.has(id) || roll < 0.3) {
      const payload: ChannelPayload = { id, type: pick(types), name: `c${step}`, position: step % 50 };
      guild.channels.add(payload, undefined, true);
      model.set(id, { ...payload });
    } else {
      const patch: Partial<ChannelPayload> = pick([
        { name: `n${step}` },
        { position: Math.floor(random() * 100) },
        { topic: random() < 0.5 ? null : `topic ${step}` },
        { nsfw: random() < 0.5 },
        { flags: Math.floor(random() * 64) },
        { parent_id: random() < 0.3 ? null : pick(ids) },
        { bitrate: 8000 * Math.floor(1 + random() * 40), user_limit: Math.floor(random() * 99) },
        { rate_limit_per_user: Math.floor(random() * 21600) },
        { last_message_id: random() < 0.2 ? null : String(1100000000000000000n + BigInt(step)) },
        { rtc_region: random() < 0.5 ? null : 'rotterdam', video_quality_mode: 2 },
        { permission_overwrites: [{ id: pick(ids), type: 0, allow: String(step), deny: '8' }] },
        { default_sort_order: random() < 0.5 ? null : 1 }
      ]);
      guild.channels.update({ id, ...patch });
      Object.assign(model.get(id) as ChannelPayload, patch);
    }
    if (step % 100 === 99) {
      assert.deepEqual([...guild.channels.keys()].sort(), [...model.keys()].sort(), `ids at step ${step}`);
      assert.deepEqual([...guild.channels.values()].map((c) => c.id).sort(), [...model.keys()].sort());
      for (const [key, payload] of model) {
        const fresh = createGuildChannel(payload, reference).toJSON();
        const cached = guild.channels.get(key)?.toJSON();
        assert.deepEqual(cached, fresh, `channel ${key} at step ${step}`);
      }
    }
  }
});

test('names and topics: unicode, empty, oversized (kept aside), unchanged writes free, renames bounded', () => {
  const guild = newGuild();
  const id = '100000000000000001';
  guild.channels.add(text(id, { name: 'général 🎉', topic: '' }));
  let channel = guild.channels.get(id) as TextChannel;
  assert.deepEqual([channel.name, channel.topic], ['général 🎉', '']);
  channel.topic = null;
  assert.equal(channel.topic, null);
  const huge = 'x'.repeat(70_000);
  channel.update({ name: huge, topic: 'y'.repeat(40_000) });
  channel = guild.channels.get(id) as TextChannel;
  assert.equal(channel.name.length, 70_000);
  assert.equal(channel.topic?.length, 40_000);
  channel.name = 'short';
  assert.deepEqual([channel.name, channel.topic?.length], ['short', 40_000]);
  channel.topic = 't';
  const table = (guild.channels as ChannelStore).table;
  const before = (table as unknown as { text: { length: number } }).text.length;
  for (let i = 0; i < 100; i++) guild.channels.update({ id, name: 'short', topic: 't' });
  assert.equal((table as unknown as { text: { length: number } }).text.length, before, 'no-op updates append nothing');
  for (let i = 0; i < 5000; i++) channel.name = `name-${i}`;
  assert.ok((table as unknown as { text: { length: number } }).text.length < 2000, 'dead names reclaimed');
  assert.equal(channel.name, 'name-4999');
  assert.equal(channel.topic, 't');
  assert.equal(guild.channels.get(TEXT_ID)?.name, 'general', 'other channels intact after rebuilds');
  assert.equal((guild.channels.get(TEXT_ID) as TextChannel).topic, 'hello');
});

test('a channel deleted and added again under its id: fresh messages, and compaction keeps the new one intact', () => {
  const guild = newGuild(10);
  const old = guild.channels.get(TEXT_ID) as TextChannel;
  old.messages.add({ id: '1', channel_id: TEXT_ID, content: 'old' } as unknown as MessagePayload, old);
  guild.channels.delete(TEXT_ID);
  guild.channels.add(text(TEXT_ID, { name: 'again' }));
  const again = guild.channels.get(TEXT_ID) as TextChannel;
  assert.equal(again.messages.get('1'), undefined);
  again.messages.add({ id: '2', channel_id: TEXT_ID, content: 'new' } as unknown as MessagePayload, again);
  for (let i = 0; i < 30; i++) guild.channels.add(text(String(910000000000000000n + BigInt(i))));
  const after = guild.channels.get(TEXT_ID) as TextChannel;
  assert.equal(after.name, 'again');
  assert.equal(after.messages.get('2')?.content, 'new');
  assert.equal(old.name, 'again', 'an object of the deleted channel follows its id to the new channel');
});

test('adding channel objects: a deleted one back into a full store, and one from another store (which keeps it)', () => {
  const guild = newGuild();
  const held = guild.channels.get(TEXT_ID) as TextChannel;
  guild.channels.delete(TEXT_ID);
  // Fill the table so that taking the channel back has to make room (compacting the tombstone away).
  const table = (guild.channels as ChannelStore).table;
  for (let i = 0; table.used < table.capacity; i++) guild.channels.add(text(String(920000000000000000n + BigInt(i))));
  assert.equal(guild.channels.add(held as GuildChannel), held);
  assert.deepEqual([held.name, held.topic], ['general', 'hello']);
  assert.deepEqual(overwritesToAPI(held.overwrites).length, 2);
  assert.equal((guild.channels.get(TEXT_ID) as TextChannel).topic, 'hello');
  const other = newGuild();
  const moving = other.channels.get(VOICE_ID) as VoiceChannel;
  guild.channels.delete(VOICE_ID);
  guild.channels.add(moving as GuildChannel);
  assert.equal(moving.guild, guild, 'the object now reads the store it was added to');
  assert.equal(other.channels.has(VOICE_ID), true, 'the other store keeps its channel');
  assert.equal((guild.channels.get(VOICE_ID) as VoiceChannel).bitrate, 64000);
});

test('after a GUILD_CREATE the channel rows and the overwrite pool share one ArrayBuffer; growth parts them intact', () => {
  const guild = newGuild();
  const table = (guild.channels as ChannelStore).table;
  const poolWords = () => (guild.overwritePool as unknown as { words: Int32Array }).words;
  assert.equal(table.words.buffer, poolWords().buffer);
  const before = overwritesToAPI((guild.channels.get(TEXT_ID) as TextChannel).overwrites);
  for (let i = 0; i < 10; i++) {
    guild.channels.add(
      text(String(930000000000000000n + BigInt(i)), {
        permission_overwrites: [{ id: GUILD_ID, type: 0, allow: String(i + 1), deny: '0' }]
      })
    );
  }
  assert.notEqual(table.words.buffer, poolWords().buffer);
  assert.deepEqual(overwritesToAPI((guild.channels.get(TEXT_ID) as TextChannel).overwrites), before);
  assert.equal(guild.channels.get(VOICE_ID)?.name, 'Voice');
  assert.deepEqual(overwritesToAPI(guild.channels.get('930000000000000009')?.overwrites ?? ({} as never)), [
    { id: GUILD_ID, type: 0, allow: '10', deny: '0' }
  ]);
});

test('position and flags share a word; values past 16 bits, negative or not integers are kept aside exactly', () => {
  const guild = newGuild();
  const values = [0, 1, 65534, 65535, 65536, -1, 2 ** 31, 1.5, 32768, 0];
  for (const [i, position] of values.entries()) {
    const flags = values[values.length - 1 - i] as number;
    const channel = guild.channels.add(text(String(940000000000000000n + BigInt(i)), { position, flags }));
    assert.equal(channel.position, position);
    assert.equal(channel.flags, flags);
  }
  for (const [i, position] of values.entries()) {
    const channel = guild.channels.get(String(940000000000000000n + BigInt(i))) as TextChannel;
    assert.equal(channel.position, position, `position ${i}`);
    assert.equal(channel.flags, values[values.length - 1 - i], `flags ${i}`);
    // Back inline after an aside value, and the other half untouched.
    channel.position = 7;
    assert.equal(channel.position, 7);
    assert.equal(channel.flags, values[values.length - 1 - i]);
    channel.flags = 3;
    assert.equal(guild.channels.get(channel.id)?.flags, 3);
    assert.equal(guild.channels.get(channel.id)?.position, 7);
  }
});

test('a payload filling a name then a topic leaves no dead text; rewriting the last channel takes its text back', () => {
  const guild = newGuild();
  const table = (guild.channels as ChannelStore).table as unknown as { text: string | string[]; textSize: number };
  const live = () =>
    [...guild.channels.values()].reduce((n, c) => n + c.name.length + ((c as TextChannel).topic?.length ?? 0), 0);
  const snapshot = () => [...guild.channels.values()].map((c) => [c.id, c.name, (c as TextChannel).topic ?? null]);
  const before = snapshot();
  assert.equal(table.textSize, live(), 'after the GUILD_CREATE');
  const last = guild.channels.add(text('950000000000000001', { name: 'last', topic: 'its topic' })) as TextChannel;
  assert.equal(table.textSize, live());
  last.topic = 'a longer topic than before';
  last.name = 'renamed';
  last.topic = null;
  assert.equal(table.textSize, live());
  assert.equal(guild.channels.get(last.id)?.name, 'renamed');
  assert.equal((guild.channels.get(last.id) as TextChannel).topic, null);
  last.topic = 'back';
  assert.equal((guild.channels.get(last.id) as TextChannel).topic, 'back');
  // The other channels' text is untouched.
  assert.deepEqual(snapshot().slice(0, before.length), before);
});

test('a thread keeps its owner and parent ids packed: snowflakes, ids that do not pack, null, and a moving parent', () => {
  const guild = newGuild();
  const ids = ['1129416238470545448', '42', '0', '01', 'not-a-snowflake', '9223372036854775808'];
  for (const [i, owner] of ids.entries()) {
    const parent = ids[(i + 1) % ids.length] as string;
    const thread = guild.addChannel({
      id: String(510000000000000000n + BigInt(i)),
      type: 11,
      guild_id: GUILD_ID,
      name: `t${i}`,
      parent_id: parent,
      owner_id: owner
    }) as ThreadChannel;
    assert.deepEqual([thread.ownerID, thread.parentID], [owner, parent]);
  }
  for (const [i, owner] of ids.entries()) {
    const thread = guild.threads.get(String(510000000000000000n + BigInt(i))) as ThreadChannel;
    assert.deepEqual([thread.ownerID, thread.parentID], [owner, ids[(i + 1) % ids.length]]);
    thread.ownerID = null;
    thread.parentID = TEXT_ID;
    assert.deepEqual([thread.ownerID, thread.parentID], [null, TEXT_ID]);
    thread.parentID = null;
    assert.equal(guild.threads.get(thread.id)?.parentID, null);
  }
  // A thread whose parent is a thread of the same table (a slot), then deleted (kept aside by id).
  const first = String(510000000000000000n);
  const second = guild.threads.get(String(510000000000000001n)) as ThreadChannel;
  second.parentID = first;
  guild.threads.delete(first);
  for (let i = 0; i < 8; i++) guild.addChannel({ id: String(520000000000000000n + BigInt(i)), type: 11, name: 'x' });
  assert.equal(guild.threads.get(second.id)?.parentID, first);
});

test('a channel with 255 overwrites or more keeps its run aside; parents past the slot bits are kept by id', () => {
  const guild = newGuild();
  const many = Array.from({ length: 300 }, (_, i) => ({
    id: String(960000000000000000n + BigInt(i)),
    type: 0 as const,
    allow: String(i + 1),
    deny: '0'
  }));
  const big = guild.channels.add(text('960000000000001000', { permission_overwrites: many })) as TextChannel;
  assert.deepEqual(overwritesToAPI(big.overwrites), many);
  const small = guild.channels.add(text('960000000000001001', { permission_overwrites: many.slice(0, 254) }));
  assert.equal(small.overwrites.count, 254);
  // Churn the pool (compaction relocates every run, the aside one included).
  for (let i = 0; i < 40; i++) {
    guild.channels.update({
      id: TEXT_ID,
      permission_overwrites: [{ id: GUILD_ID, type: 0, allow: String(i), deny: '1' }]
    });
  }
  assert.deepEqual(overwritesToAPI((guild.channels.get(big.id) as TextChannel).overwrites), many);
  guild.channels.update({ id: big.id, permission_overwrites: many.slice(0, 3) });
  assert.equal(guild.channels.get(big.id)?.overwrites.count, 3);
  const removed = guild.channels.remove({ id: small.id });
  assert.equal(removed?.overwrites.count, 254);
});

test('threads: a parent in the same table beyond the 14 parent bits is kept by id', () => {
  const guild = newGuild();
  const count = 0x3fff + 4;
  for (let i = 0; i < count; i++)
    guild.addChannel({ id: String(970000000000000000n + BigInt(i)), type: 11, name: 'x' });
  const last = String(970000000000000000n + BigInt(count - 1));
  const low = String(970000000000000000n);
  const a = guild.threads.get(String(970000000000000001n)) as ThreadChannel;
  a.parentID = last;
  const b = guild.threads.get(String(970000000000000002n)) as ThreadChannel;
  b.parentID = low;
  assert.equal(guild.threads.get(a.id)?.parentID, last);
  assert.equal(guild.threads.get(b.id)?.parentID, low);
});

test('a forum without tags keeps no side object; one with tags reads them back', () => {
  const guild = newGuild();
  const forum = (id: string, tags: unknown[]) =>
    guild.channels.add({
      id,
      type: 15,
      name: 'forum',
      available_tags: tags,
      default_reaction_emoji: null,
      default_sort_order: null,
      default_forum_layout: 0,
      default_thread_rate_limit_per_user: 0
    } as ChannelPayload) as unknown as { availableTags: unknown[]; _slot: number };
  const bare = forum('980000000000000001', []);
  const table = (guild.channels as ChannelStore).table;
  assert.deepEqual(bare.availableTags, []);
  assert.equal(table.rare?.[table.slotOf('980000000000000001')], undefined);
  const tagged = forum('980000000000000002', [
    { id: '1', name: 'bug', moderated: false, emoji_id: null, emoji_name: null }
  ]);
  assert.deepEqual(guild.channels.get('980000000000000002')?.toJSON().availableTags, [
    { id: '1', name: 'bug', moderated: false, emojiID: null, emojiName: null }
  ]);
  assert.equal(tagged.availableTags.length, 1);
});
