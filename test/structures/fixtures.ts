/** Realistic payloads, typed with discord-api-types so they stay Discord-shaped. */
import {
  type APIGuildCategoryChannel,
  type APIGuildForumChannel,
  type APIGuildMember,
  type APIGuildStageVoiceChannel,
  type APIGuildVoiceChannel,
  type APINewsChannel,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  type ChannelFlags,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  OverwriteType,
  type RoleFlags
} from 'discord-api-types/v10';

export const GUILD_ID = '81384788765712384';
export const OWNER_ID = '53905483156684800';
export const MOD_ROLE = '172018499005317120';
export const MEMBER_ROLE = '172018499005317121';
export const CATEGORY_ID = '381870553235193857';
export const TEXT_ID = '381870553235193858';
export const VOICE_ID = '381870553235193859';

export function user(id: string, username: string, extra: Partial<APIUser> = {}): APIUser {
  return { id, username, discriminator: '0', global_name: null, avatar: null, ...extra };
}

export function role(
  id: string,
  name: string,
  permissions: bigint,
  position: number,
  extra: Partial<APIRole> = {}
): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...extra
  };
}

export function member(u: APIUser, roles: string[], extra: Partial<APIGuildMember> = {}): APIGuildMember {
  return {
    user: u,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: '2019-04-01T17:12:02.271000+00:00',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
    ...extra
  };
}

export function guildCreate(members: APIGuildMember[]): GatewayGuildCreateDispatchData {
  const category: APIGuildCategoryChannel = {
    id: CATEGORY_ID,
    type: ChannelType.GuildCategory,
    guild_id: GUILD_ID,
    name: 'Text Channels',
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    flags: 0 as ChannelFlags,
    parent_id: null
  };
  const text: APITextChannel = {
    id: TEXT_ID,
    type: ChannelType.GuildText,
    guild_id: GUILD_ID,
    name: 'general',
    position: 1,
    parent_id: CATEGORY_ID,
    topic: 'hello',
    nsfw: false,
    last_message_id: '1100000000000000000',
    rate_limit_per_user: 5,
    flags: 0 as ChannelFlags,
    last_pin_timestamp: '2023-01-02T03:04:05.678000+00:00',
    permission_overwrites: [
      { id: GUILD_ID, type: OverwriteType.Role, allow: '0', deny: '2048' },
      { id: MEMBER_ROLE, type: OverwriteType.Role, allow: '2048', deny: '0' }
    ]
  };
  const voice: APIGuildVoiceChannel = {
    id: VOICE_ID,
    type: ChannelType.GuildVoice,
    guild_id: GUILD_ID,
    name: 'Voice',
    position: 2,
    parent_id: CATEGORY_ID,
    bitrate: 64000,
    user_limit: 0,
    rtc_region: null,
    nsfw: false,
    rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
    last_message_id: null,
    permission_overwrites: [{ id: GUILD_ID, type: OverwriteType.Role, allow: '0', deny: String(1n << 20n) }]
  };
  const news: APINewsChannel = {
    id: '381870553235193860',
    type: ChannelType.GuildAnnouncement,
    guild_id: GUILD_ID,
    name: 'news',
    position: 3,
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    flags: 0 as ChannelFlags,
    permission_overwrites: []
  };
  const stage: APIGuildStageVoiceChannel = {
    id: '381870553235193861',
    type: ChannelType.GuildStageVoice,
    guild_id: GUILD_ID,
    name: 'stage',
    position: 4,
    parent_id: null,
    bitrate: 64000,
    user_limit: 0,
    rtc_region: null,
    nsfw: false,
    rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
    last_message_id: null,
    permission_overwrites: [],
    topic: 'talk'
  } as unknown as APIGuildStageVoiceChannel;
  const forum: APIGuildForumChannel = {
    id: '381870553235193862',
    type: ChannelType.GuildForum,
    guild_id: GUILD_ID,
    name: 'forum',
    position: 5,
    parent_id: null,
    topic: null,
    nsfw: false,
    flags: 0 as ChannelFlags,
    last_message_id: null,
    rate_limit_per_user: 0,
    permission_overwrites: [],
    available_tags: [{ id: '1', name: 'bug', moderated: false, emoji_id: null, emoji_name: '🐛' }],
    default_reaction_emoji: null,
    default_sort_order: null,
    default_forum_layout: 0,
    default_thread_rate_limit_per_user: 0
  } as unknown as APIGuildForumChannel;
  const thread: APIThreadChannel = {
    id: '381870553235193863',
    type: ChannelType.PublicThread,
    guild_id: GUILD_ID,
    name: 'a thread',
    parent_id: TEXT_ID,
    owner_id: OWNER_ID,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 3,
    member_count: 2,
    total_message_sent: 3,
    flags: 0 as ChannelFlags,
    applied_tags: [],
    thread_metadata: {
      archived: false,
      auto_archive_duration: 1440,
      archive_timestamp: '2023-01-02T03:04:05.000000+00:00',
      locked: false
    }
  } as unknown as APIThreadChannel;
  return {
    id: GUILD_ID,
    name: 'Discord API',
    icon: 'a_0123456789abcdef0123456789abcdef',
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    owner_id: OWNER_ID,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    roles: [
      role(GUILD_ID, '@everyone', (1n << 10n) | (1n << 11n) | (1n << 16n), 0),
      role(MOD_ROLE, 'mod', (1n << 13n) | (1n << 1n), 2, {
        hoist: true,
        color: 0xff0000,
        colors: { primary_color: 0xff0000, secondary_color: null, tertiary_color: null },
        mentionable: true
      }),
      role(MEMBER_ROLE, 'member', 0n, 1)
    ],
    emojis: [],
    features: ['COMMUNITY', 'NEWS'],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: TEXT_ID,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    stickers: [],
    hub_type: null,
    incidents_data: null,
    joined_at: '2020-01-01T00:00:00.000000+00:00',
    large: false,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members,
    channels: [text, voice, category, news, stage, forum],
    threads: [thread],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: []
  } as unknown as GatewayGuildCreateDispatchData;
}
