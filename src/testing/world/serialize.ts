/** Turns the world's records into payloads exactly as Discord sends them. */
import type {
  APIChannel,
  APIGuildMember,
  APIUser,
  GatewayGuildCreateDispatchData,
  GatewayPresenceUpdate,
  GatewayVoiceState,
  GuildMemberFlags
} from 'discord-api-types/v10';
import type { ChannelRecord, GuildData, MemberRecord, VoiceStateRecord } from './model.js';

export interface UserSource {
  user(userID: string): APIUser;
}

export function memberPayload(record: MemberRecord, users: UserSource, withUser = true): APIGuildMember {
  const member: Omit<APIGuildMember, 'user'> & { user?: APIUser } = {
    nick: record.nick,
    avatar: null,
    banner: null,
    roles: record.roles.slice(),
    joined_at: new Date(record.joinedAt).toISOString(),
    premium_since: null,
    deaf: record.deaf,
    mute: record.mute,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: record.communicationDisabledUntil
  };
  // MESSAGE_CREATE's member carries no `user` (the author is the message's `author`).
  if (withUser) member.user = users.user(record.userID);
  return member as APIGuildMember;
}

/** A channel; `guildID` is omitted inside GUILD_CREATE, as Discord does for non-thread channels. */
export function channelPayload(record: ChannelRecord, guildID: string | undefined): APIChannel {
  const out: Record<string, unknown> = {
    id: record.id,
    type: record.type,
    name: record.name,
    parent_id: record.parent_id,
    flags: record.flags,
    ...record.extra
  };
  if (guildID !== undefined) out.guild_id = guildID;
  if (record.type < 10 || record.type > 12) {
    out.position = record.position;
    out.permission_overwrites = record.permission_overwrites.map((o) => ({ ...o }));
  }
  return out as unknown as APIChannel;
}

export function voiceStatePayload(
  state: VoiceStateRecord,
  guild: GuildData,
  users: UserSource,
  withGuild: boolean
): GatewayVoiceState {
  const member = guild.members.get(state.userID);
  const out: GatewayVoiceState = {
    channel_id: state.channelID,
    user_id: state.userID,
    session_id: state.sessionID,
    deaf: false,
    mute: false,
    self_deaf: state.selfDeaf,
    self_mute: state.selfMute,
    self_video: false,
    suppress: false,
    request_to_speak_timestamp: null
  };
  if (withGuild) {
    out.guild_id = guild.id;
    if (member) out.member = memberPayload(member, users);
  }
  return out;
}

export type PresenceStatus = 'online' | 'idle' | 'dnd' | 'offline';

export function presencePayload(userID: string, status: PresenceStatus, guildID?: string): GatewayPresenceUpdate {
  const out: GatewayPresenceUpdate = {
    user: { id: userID },
    status,
    activities: [],
    client_status: status === 'offline' ? {} : { desktop: status }
  } as unknown as GatewayPresenceUpdate;
  if (guildID) out.guild_id = guildID;
  return out;
}

/** The Guild object without GUILD_CREATE extras (REST GET /guilds/:id, GUILD_UPDATE). */
export function guildPayload(guild: GuildData): GatewayGuildCreateDispatchData {
  const out = {
    id: guild.id,
    name: guild.name,
    icon: guild.icon,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerID,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 1,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: [...guild.roles.values()].map((r) => ({ ...r })),
    emojis: guild.emojis.map((e) => ({ ...e })),
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: guild.systemChannelID,
    system_channel_flags: 0,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: 0,
    stickers: [],
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    incidents_data: null,
    hub_type: null
  };
  return out as unknown as GatewayGuildCreateDispatchData;
}
