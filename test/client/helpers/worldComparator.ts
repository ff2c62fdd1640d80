/**
 * Field-by-field comparison of a Client's cache with the simulator's dumped world.
 *
 * The world speaks Discord's JSON (snake_case, ISO timestamps, string bitfields); the cache keeps
 * Eris-shaped structures (camelCase, ms timestamps, bigint permissions, packed overwrites). Each
 * kind below lists the payload field, the structure field and how to bring the two to one form,
 * so a difference reads as "guild 123 › role 456 › color: expected 5, got 7".
 *
 * Collection reads use `peek` (no recency change) so comparing does not disturb a bounded cache.
 */
import type { APIGuildMember, APIOverwrite, APIRole, APIUser } from 'discord-api-types/v10';
import type { Client } from '../../../src/Client.js';
import { NO_OVERWRITES, overwritesToAPI, type PackedOverwrites } from '../../../src/permissions/overwrites.js';
import type { Guild } from '../../../src/structures/Guild.js';
import type { WorldGuildDump } from '../../../src/testing/index.js';

export interface ComparisonReport {
  guilds: number;
  roles: number;
  channels: number;
  threads: number;
  members: number;
  voiceStates: number;
  stageInstances: number;
  emojis: number;
  users: number;
  /** The first differences found (at most `limit`), each a readable path and values. */
  differences: string[];
  /** Differences found in total (may exceed differences.length). */
  differenceCount: number;
  /** Differences by kind (the path with ids removed), to see at a glance what is wrong. */
  byKind: Record<string, number>;
}

type Raw = Record<string, unknown>;
type Convert = (value: unknown) => unknown;

const same: Convert = (v) => v;
const orNull: Convert = (v) => v ?? null;
const orFalse: Convert = (v) => v ?? false;
const ms: Convert = (v) => (typeof v === 'string' ? Date.parse(v) : null);
const bits: Convert = (v) => (typeof v === 'string' ? BigInt(v) : v);
const sortedIDs: Convert = (v) => (Array.isArray(v) ? [...v].map(String).sort() : v);

/** [payload field, structure field, conversion of the payload value]. */
type FieldSpec = readonly [string, string, Convert?];

const GUILD_FIELDS: FieldSpec[] = [
  ['name', 'name'],
  ['icon', 'icon', orNull],
  ['owner_id', 'ownerID'],
  ['member_count', 'memberCount'],
  ['afk_channel_id', 'afkChannelID', orNull],
  ['afk_timeout', 'afkTimeout'],
  ['verification_level', 'verificationLevel'],
  ['default_message_notifications', 'defaultNotifications'],
  ['explicit_content_filter', 'explicitContentFilter'],
  ['mfa_level', 'mfaLevel'],
  ['nsfw_level', 'nsfwLevel'],
  ['premium_tier', 'premiumTier'],
  ['premium_subscription_count', 'premiumSubscriptionCount'],
  ['premium_progress_bar_enabled', 'premiumProgressBarEnabled'],
  ['preferred_locale', 'preferredLocale'],
  ['system_channel_id', 'systemChannelID', orNull],
  ['system_channel_flags', 'systemChannelFlags'],
  ['rules_channel_id', 'rulesChannelID', orNull],
  ['public_updates_channel_id', 'publicUpdatesChannelID', orNull],
  ['safety_alerts_channel_id', 'safetyAlertsChannelID', orNull],
  ['application_id', 'applicationID', orNull],
  ['description', 'description', orNull],
  ['vanity_url_code', 'vanityURL', orNull],
  ['banner', 'banner', orNull],
  ['splash', 'splash', orNull],
  ['discovery_splash', 'discoverySplash', orNull],
  ['features', 'features', (v) => (Array.isArray(v) ? [...v] : v)],
  ['max_members', 'maxMembers'],
  ['max_video_channel_users', 'maxVideoChannelUsers'],
  ['max_stage_video_channel_users', 'maxStageVideoChannelUsers'],
  ['widget_enabled', 'widgetEnabled'],
  ['widget_channel_id', 'widgetChannelID']
];

const ROLE_FIELDS: FieldSpec[] = [
  ['name', 'name'],
  ['position', 'position'],
  ['color', 'color'],
  ['permissions', 'permissionBits', bits],
  ['hoist', 'hoist'],
  ['managed', 'managed'],
  ['mentionable', 'mentionable'],
  ['icon', 'icon', orNull],
  ['unicode_emoji', 'unicodeEmoji', orNull],
  ['flags', 'flags', (v) => v ?? 0]
];

/** Fields every guild channel and thread has. */
const CHANNEL_FIELDS: FieldSpec[] = [
  ['type', 'type'],
  ['name', 'name'],
  ['parent_id', 'parentID', orNull],
  ['flags', 'flags', (v) => v ?? 0]
];

/** Type-specific fields, compared when the payload carries them. */
const OPTIONAL_CHANNEL_FIELDS: FieldSpec[] = [
  ['position', 'position'],
  ['topic', 'topic', orNull],
  ['nsfw', 'nsfw', orFalse],
  ['rate_limit_per_user', 'rateLimitPerUser'],
  ['last_message_id', 'lastMessageID', orNull],
  ['bitrate', 'bitrate'],
  ['user_limit', 'userLimit'],
  ['rtc_region', 'rtcRegion', orNull],
  ['owner_id', 'ownerID', orNull],
  ['message_count', 'messageCount'],
  ['member_count', 'memberCount'],
  ['total_message_sent', 'totalMessageSent'],
  ['default_thread_rate_limit_per_user', 'defaultThreadRateLimitPerUser'],
  ['default_forum_layout', 'defaultForumLayout'],
  ['default_sort_order', 'defaultSortOrder', orNull]
];

const THREAD_METADATA_FIELDS: FieldSpec[] = [
  ['archived', 'archived'],
  ['locked', 'locked'],
  ['auto_archive_duration', 'autoArchiveDuration'],
  ['archive_timestamp', 'archiveTimestamp', ms],
  ['create_timestamp', 'createTimestamp', ms]
];

const MEMBER_FIELDS: FieldSpec[] = [
  ['roles', 'roles', sortedIDs],
  ['nick', 'nick', orNull],
  ['joined_at', 'joinedAt', ms],
  ['premium_since', 'premiumSince', ms],
  ['communication_disabled_until', 'communicationDisabledUntil', ms],
  ['deaf', 'deaf', orFalse],
  ['mute', 'mute', orFalse],
  ['pending', 'pending', orFalse],
  ['flags', 'flags', (v) => v ?? 0],
  ['avatar', 'avatar', orNull]
];

const USER_FIELDS: FieldSpec[] = [
  ['username', 'username'],
  ['global_name', 'globalName', orNull],
  ['avatar', 'avatar', orNull],
  ['discriminator', 'discriminator'],
  ['bot', 'bot', orFalse],
  ['public_flags', 'publicFlags', (v) => v ?? 0]
];

const VOICE_FIELDS: FieldSpec[] = [
  ['channel_id', 'channelID', orNull],
  ['session_id', 'sessionID', orNull],
  ['deaf', 'deaf'],
  ['mute', 'mute'],
  ['self_deaf', 'selfDeaf'],
  ['self_mute', 'selfMute'],
  ['self_video', 'selfVideo'],
  ['suppress', 'suppress'],
  ['request_to_speak_timestamp', 'requestToSpeakTimestamp', ms]
];

const STAGE_FIELDS: FieldSpec[] = [
  ['channel_id', 'channelID'],
  ['topic', 'topic'],
  ['privacy_level', 'privacyLevel'],
  ['discoverable_disabled', 'discoverableDisabled'],
  ['guild_scheduled_event_id', 'guildScheduledEventID', orNull]
];

const EMOJI_FIELDS: FieldSpec[] = [
  ['name', 'name'],
  ['roles', 'roles', sortedIDs],
  ['animated', 'animated', orFalse],
  ['managed', 'managed', orFalse],
  ['available', 'available', (v) => v ?? true],
  ['require_colons', 'requireColons', (v) => v ?? true]
];

export interface CompareOptions {
  /** How many differences to keep (default 20). */
  limit?: number;
  /**
   * Which members to compare for a guild: 'all' (the member set must be equal) or 'cached' (only
   * members the cache holds are compared, and each must exist in the world). Default 'all'.
   */
  members?: (guildID: string) => 'all' | 'cached';
}

class Differences {
  readonly list: string[] = [];
  readonly byKind: Record<string, number> = {};
  count = 0;
  constructor(private readonly limit: number) {}

  add(path: string, message: string): void {
    this.count++;
    const kind = `${path.replace(/ \d+/g, '')}: ${message.replace(/\d+/g, 'N').slice(0, 40)}`;
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    if (this.list.length < this.limit) this.list.push(`${path}: ${message}`);
  }
}

function show(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  return JSON.stringify(value) ?? String(value);
}

function equal(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => equal(v, b[i]));
  return Object.is(a, b);
}

function compareFields(diff: Differences, path: string, raw: Raw, cached: object, specs: FieldSpec[]): void {
  for (const [from, to, convert = same] of specs) {
    const expected = convert(raw[from]);
    let actual = (cached as Raw)[to];
    if (Array.isArray(expected) && Array.isArray(actual)) actual = [...actual].map(String).sort();
    if (convert === sortedIDs && Array.isArray(actual)) actual = [...actual].sort();
    if (!equal(expected, actual)) diff.add(`${path} › ${to}`, `expected ${show(expected)}, got ${show(actual)}`);
  }
}

function compareOptional(diff: Differences, path: string, raw: Raw, cached: object, specs: FieldSpec[]): void {
  compareFields(
    diff,
    path,
    raw,
    cached,
    specs.filter(([from]) => from in raw)
  );
}

function compareKeySets(diff: Differences, path: string, expected: Iterable<string>, actual: Iterable<string>): void {
  const want = new Set(expected);
  const have = new Set(actual);
  for (const id of want) if (!have.has(id)) diff.add(path, `missing ${id}`);
  for (const id of have) if (!want.has(id)) diff.add(path, `unexpected ${id}`);
}

function sortOverwrites(list: readonly APIOverwrite[]): APIOverwrite[] {
  return list
    .map((o) => ({ id: o.id, type: o.type, allow: String(o.allow), deny: String(o.deny) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function compareChannel(diff: Differences, path: string, raw: Raw, cached: object): void {
  compareFields(diff, path, raw, cached, CHANNEL_FIELDS);
  compareOptional(diff, path, raw, cached, OPTIONAL_CHANNEL_FIELDS);
  if (Array.isArray(raw.permission_overwrites)) {
    const packed = (cached as { overwrites?: PackedOverwrites }).overwrites ?? NO_OVERWRITES;
    const expected = sortOverwrites(raw.permission_overwrites as APIOverwrite[]);
    const actual = sortOverwrites(overwritesToAPI(packed));
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      diff.add(`${path} › overwrites`, `expected ${show(expected)}, got ${show(actual)}`);
    }
  }
  const metadata = raw.thread_metadata as Raw | undefined;
  if (metadata) {
    const actual = (cached as { threadMetadata?: object }).threadMetadata;
    if (!actual) diff.add(`${path} › threadMetadata`, 'missing');
    else compareOptional(diff, `${path} › threadMetadata`, metadata, actual, THREAD_METADATA_FIELDS);
  }
}

function compareUser(diff: Differences, client: Client, raw: APIUser, seen: Set<string>): void {
  if (seen.has(raw.id)) return;
  seen.add(raw.id);
  const cached = client.users.peek(raw.id);
  if (!cached) {
    diff.add(`user ${raw.id}`, 'not cached');
    return;
  }
  compareFields(diff, `user ${raw.id}`, raw as unknown as Raw, cached, USER_FIELDS);
}

function compareMember(diff: Differences, client: Client, guild: Guild, raw: APIGuildMember, seen: Set<string>) {
  const user = raw.user as APIUser;
  const path = `guild ${guild.id} › member ${user.id}`;
  const member = guild.members.peek(user.id);
  if (!member) {
    diff.add(path, 'not cached');
    return;
  }
  compareFields(diff, path, raw as unknown as Raw, member, MEMBER_FIELDS);
  // One User per id, shared by the user cache and every member of it.
  const shared = client.users.peek(user.id);
  if (shared !== undefined && member.user !== shared) diff.add(`${path} › user`, 'not the shared User instance');
  compareUser(diff, client, user, seen);
}

/** Compare one guild of the dump with the cache; returns counts of what was compared. */
function compareGuild(
  diff: Differences,
  client: Client,
  dump: WorldGuildDump,
  memberMode: 'all' | 'cached',
  report: ComparisonReport,
  seenUsers: Set<string>
): void {
  const raw = dump.guild as unknown as Raw;
  const id = raw.id as string;
  const guild = client.guilds.peek(id);
  const path = `guild ${id}`;
  if (!guild) {
    diff.add(path, 'not cached');
    return;
  }
  report.guilds++;
  if (guild.unavailable) diff.add(`${path} › unavailable`, 'expected false, got true');
  compareFields(diff, path, raw, guild, GUILD_FIELDS);

  const roles = raw.roles as APIRole[];
  compareKeySets(
    diff,
    `${path} › roles`,
    roles.map((r) => r.id),
    guild.roles.keys()
  );
  for (const role of roles) {
    const cached = guild.roles.peek(role.id);
    if (cached) compareFields(diff, `${path} › role ${role.id}`, role as unknown as Raw, cached, ROLE_FIELDS);
  }
  report.roles += roles.length;

  const channels = raw.channels as Raw[];
  compareKeySets(
    diff,
    `${path} › channels`,
    channels.map((c) => c.id as string),
    guild.channels.keys()
  );
  for (const channel of channels) {
    const cached = guild.channels.peek(channel.id as string);
    if (cached) compareChannel(diff, `${path} › channel ${channel.id}`, channel, cached);
    if (client.channelGuildMap.get(channel.id as string) !== id) {
      diff.add(`${path} › channelGuildMap ${channel.id}`, 'not mapped to its guild');
    }
  }
  report.channels += channels.length;

  const threads = raw.threads as Raw[];
  compareKeySets(
    diff,
    `${path} › threads`,
    threads.map((t) => t.id as string),
    guild.threads.keys()
  );
  for (const thread of threads) {
    const cached = guild.threads.peek(thread.id as string);
    if (cached) compareChannel(diff, `${path} › thread ${thread.id}`, thread, cached);
  }
  report.threads += threads.length;

  const voice = raw.voice_states as Raw[];
  compareKeySets(
    diff,
    `${path} › voiceStates`,
    voice.map((v) => v.user_id as string),
    guild.voiceStates.keys()
  );
  for (const state of voice) {
    const cached = guild.voiceStates.peek(state.user_id as string);
    if (cached) compareFields(diff, `${path} › voiceState ${state.user_id}`, state, cached, VOICE_FIELDS);
  }
  report.voiceStates += voice.length;

  const stages = raw.stage_instances as Raw[];
  compareKeySets(
    diff,
    `${path} › stageInstances`,
    stages.map((s) => s.id as string),
    guild.stageInstances.keys()
  );
  for (const stage of stages) {
    const cached = guild.stageInstances.peek(stage.id as string);
    if (cached) compareFields(diff, `${path} › stageInstance ${stage.id}`, stage, cached, STAGE_FIELDS);
  }
  report.stageInstances += stages.length;

  const emojis = raw.emojis as Raw[];
  compareKeySets(
    diff,
    `${path} › emojis`,
    emojis.map((e) => e.id as string),
    guild.emojis.keys()
  );
  for (const emoji of emojis) {
    const cached = guild.emojis.peek(emoji.id as string);
    if (cached) compareFields(diff, `${path} › emoji ${emoji.id}`, emoji, cached, EMOJI_FIELDS);
  }
  report.emojis += emojis.length;

  const byID = new Map(dump.members.map((m) => [(m.user as APIUser).id, m]));
  if (memberMode === 'all') {
    compareKeySets(diff, `${path} › members`, byID.keys(), guild.members.keys());
    for (const member of dump.members) compareMember(diff, client, guild, member, seenUsers);
    report.members += dump.members.length;
  } else {
    for (const userID of guild.members.keys()) {
      const member = byID.get(userID);
      if (!member) diff.add(`${path} › members`, `unexpected ${userID}`);
      else {
        compareMember(diff, client, guild, member, seenUsers);
        report.members++;
      }
    }
  }
}

/** Compare the whole dumped world with the client's cache. */
export function compareWorld(
  client: Client,
  dump: Iterable<WorldGuildDump>,
  options: CompareOptions = {}
): ComparisonReport {
  const diff = new Differences(options.limit ?? 20);
  const report: ComparisonReport = {
    guilds: 0,
    roles: 0,
    channels: 0,
    threads: 0,
    members: 0,
    voiceStates: 0,
    stageInstances: 0,
    emojis: 0,
    users: 0,
    differences: diff.list,
    differenceCount: 0,
    byKind: diff.byKind
  };
  const seenUsers = new Set<string>();
  const worldGuilds = new Set<string>();
  for (const guildDump of dump) {
    const id = (guildDump.guild as unknown as Raw).id as string;
    worldGuilds.add(id);
    compareGuild(diff, client, guildDump, options.members?.(id) ?? 'all', report, seenUsers);
  }
  for (const id of client.guilds.keys()) if (!worldGuilds.has(id)) diff.add('guilds', `unexpected ${id}`);
  report.users = seenUsers.size;
  report.differenceCount = diff.count;
  return report;
}
