import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Locale } from 'discord-api-types/v10';
import type { TextChannel } from '../../src/structures/channels/TextChannel.js';
import type { VoiceChannel } from '../../src/structures/channels/VoiceChannel.js';
import { ID_UNPACKED, packedLow, packHigh, unpackID } from '../../src/structures/compactID.js';
import { createStructureContext, Guild } from '../../src/structures/index.js';
import { CATEGORY_ID, GUILD_ID, guildCreate, TEXT_ID, VOICE_ID } from './fixtures.js';

test('compactID packs canonical snowflakes losslessly and refuses the rest', () => {
  for (const id of ['0', '1', '4294967295', '4294967296', '1100000000000000000', '9223372036854775807']) {
    const high = packHigh(id);
    assert.notEqual(high, ID_UNPACKED, id);
    assert.equal(unpackID(high, packedLow()), id);
  }
  for (const id of ['', '01', '12a', '-5', '9223372036854775808', '18446744073709551615']) {
    assert.equal(packHigh(id), ID_UNPACKED, id);
  }
});

test('channels: lastMessageID, rare fields and messages read and write as plain properties', () => {
  const guild = new Guild(guildCreate([]), createStructureContext({ messageLimit: 0 }));
  const text = guild.channels.get(TEXT_ID) as TextChannel;
  assert.equal(text.lastMessageID, '1100000000000000000');
  assert.equal(text.rateLimitPerUser, 5);
  assert.equal(text.lastPinTimestamp, Date.parse('2023-01-02T03:04:05.678Z'));
  text.lastMessageID = '1200000000000000001';
  assert.equal(text.lastMessageID, '1200000000000000001');
  text.lastMessageID = 'not-a-snowflake';
  assert.equal(text.lastMessageID, 'not-a-snowflake');
  text.update({ last_message_id: null, rate_limit_per_user: 0 });
  assert.equal(text.lastMessageID, null);
  assert.equal(text.rateLimitPerUser, 0);
  assert.equal(text.messages, text.messages);

  const voice = guild.channels.get(VOICE_ID) as VoiceChannel;
  assert.equal(voice.lastMessageID, null);
  assert.equal(voice.videoQualityMode, 1);
  assert.equal(voice.rtcRegion, null);
  voice.update({ rtc_region: 'rotterdam', video_quality_mode: 2, status: 'live' });
  assert.deepEqual([voice.rtcRegion, voice.videoQualityMode, voice.status], ['rotterdam', 2, 'live']);
  assert.equal(voice.toJSON().rtcRegion, 'rotterdam');
});

test('a channel synced with its category shares the category overwrite run', () => {
  const data = guildCreate([]);
  const overwrites = [{ id: GUILD_ID, type: 0 as const, allow: '0', deny: '1024' }];
  for (const channel of data.channels) {
    if (channel.id === CATEGORY_ID || channel.id === TEXT_ID) {
      (channel as { permission_overwrites: unknown }).permission_overwrites = overwrites.map((o) => ({ ...o }));
    }
  }
  const guild = new Guild(data, createStructureContext());
  const category = guild.channels.get(CATEGORY_ID);
  const text = guild.channels.get(TEXT_ID);
  assert.ok(category && text);
  assert.notEqual(category.overwriteRun, 0);
  assert.equal(text.overwriteRun, category.overwriteRun);
  text.update({ permission_overwrites: [] });
  assert.equal(text.overwrites.count, 0);
  assert.equal(category.overwrites.count, 1);
});

test('guild settings are shared between guilds with equal values and copied on write', () => {
  const context = createStructureContext();
  const a = new Guild(
    { id: '1', name: 'a', afk_timeout: 300, preferred_locale: Locale.German, rules_channel_id: '5' },
    context
  );
  const b = new Guild({ id: '2', name: 'b', afk_timeout: 300, preferred_locale: Locale.German }, context);
  assert.equal(a.afkTimeout, 300);
  assert.equal(b.preferredLocale, Locale.German);
  assert.equal(a.rulesChannelID, '5');
  assert.equal(b.rulesChannelID, null);
  assert.equal(b.widgetChannelID, undefined);
  b.afkTimeout = 60;
  b.update({ verification_level: 2, banner: 'abc' });
  assert.deepEqual([a.afkTimeout, a.verificationLevel, a.banner], [300, 0, null]);
  assert.deepEqual([b.afkTimeout, b.verificationLevel, b.banner], [60, 2, 'abc']);
  assert.equal(b.toJSON().afkTimeout, 60);
});

test("widget_channel_id null (Discord's usual value) and unavailable live in the shared settings, no side object", () => {
  const context = createStructureContext();
  const extraOf = (g: Guild) => (g as unknown as { _extra: unknown })._extra;
  const settingsOf = (g: Guild) => (g as unknown as { _settings: unknown })._settings;
  const a = new Guild({ id: '1', name: 'a', widget_channel_id: null, unavailable: false }, context);
  const b = new Guild({ id: '2', name: 'b', widget_channel_id: null }, context);
  assert.equal(a.widgetChannelID, null);
  assert.equal(extraOf(a), null);
  assert.equal(settingsOf(a), settingsOf(b));
  const c = new Guild({ id: '3', name: 'c' }, context);
  assert.equal(c.widgetChannelID, undefined);
  assert.equal(c.unavailable, false);
  c.update({ widget_channel_id: '42' });
  assert.equal(c.widgetChannelID, '42');
  c.update({ widget_channel_id: null });
  assert.equal(c.widgetChannelID, null);
  c.widgetChannelID = '43';
  assert.equal(c.widgetChannelID, '43');
  c.widgetChannelID = undefined;
  assert.equal(c.widgetChannelID, undefined);
  c.widgetChannelID = null;
  assert.equal(c.widgetChannelID, null);
  assert.equal(c.toJSON().widgetChannelID, undefined, 'not in the JSON (as before)');
  const gone = new Guild({ id: '4', unavailable: true }, context);
  assert.equal(gone.unavailable, true);
  assert.equal(a.unavailable, false, 'another guild is unchanged');
  gone.update({ unavailable: false });
  assert.equal(gone.unavailable, false);
  gone.unavailable = true;
  assert.equal(gone.unavailable, true);
  assert.equal(gone.toJSON().unavailable, true);
});

test('systemChannelID is kept packed and reads back as given; ownerID is the cached user string', () => {
  const context = createStructureContext();
  const guild = new Guild({ id: '1', name: 'a', system_channel_id: '381870553235193858', owner_id: '5' }, context);
  assert.equal(guild.systemChannelID, '381870553235193858');
  for (const id of ['0', '007', 'not-a-snowflake', '9223372036854775808', '1']) {
    guild.update({ system_channel_id: id });
    assert.equal(guild.systemChannelID, id);
  }
  guild.update({ system_channel_id: null });
  assert.equal(guild.systemChannelID, null);
  guild.systemChannelID = '12';
  assert.equal(guild.toJSON().systemChannelID, '12');
  guild.systemChannelID = null;
  assert.equal('systemChannelID' in guild.toJSON(), true);
  assert.equal(guild.toJSON().systemChannelID, null);
  assert.equal(guild.ownerID, '5');
  guild.update({ owner_id: '6' });
  assert.equal(guild.ownerID, '6');
});

test('guild name and icon share one string; the join time is two small integers; both read back exactly', () => {
  const context = createStructureContext();
  const guild = new Guild(
    { id: '1', name: 'Café ☕', icon: 'a_0123456789abcdef0123456789abcdef', joined_at: '2018-01-02T00:03:27.995Z' },
    context
  );
  assert.equal(guild.name, 'Café ☕');
  assert.equal(guild.icon, 'a_0123456789abcdef0123456789abcdef');
  assert.equal(guild.joinedAt, Date.parse('2018-01-02T00:03:27.995Z'));
  for (const icon of [null, '', 'x', 'y'.repeat(250), 'z'.repeat(251), `${'9'.repeat(300)}:`]) {
    for (const name of ['', 'n', '\u0000\u00ff:12', '名前']) {
      guild.update({ name, icon });
      assert.deepEqual([guild.name, guild.icon], [name, icon]);
    }
  }
  guild.update({ icon: 'abc' });
  assert.deepEqual([guild.name, guild.icon], ['名前', 'abc']);
  guild.update({ name: 'only the name' });
  assert.deepEqual([guild.name, guild.icon], ['only the name', 'abc']);
  guild.icon = null;
  guild.name = 'set';
  assert.deepEqual([guild.name, guild.icon, guild.iconURL], ['set', null, null]);
  assert.equal(guild.toJSON().name, 'set');
  for (const at of [null, 0, 1, 999, 1514851407995, -5, 1.5, 2 ** 53, 0x7fffffff * 1000, 0x7fffffff * 1000 - 1]) {
    guild.joinedAt = at;
    assert.equal(guild.joinedAt, at);
  }
  guild.update({ joined_at: null as unknown as string });
  assert.equal(guild.joinedAt, null);
  assert.equal(new Guild({ id: '2' }, context).joinedAt, null);
});
