import type {
  APIGuildForumDefaultReactionEmoji,
  APIGuildForumTag,
  APIOverwrite,
  APIThreadMember,
  APIThreadMetadata,
  APIUser
} from 'discord-api-types/v10';
import type { CategoryChannel } from './CategoryChannel.js';
import type { ForumChannel } from './ForumChannel.js';
import type { GuildChannel } from './GuildChannel.js';
import type { MediaChannel } from './MediaChannel.js';
import type { NewsChannel } from './NewsChannel.js';
import type { PrivateChannel } from './PrivateChannel.js';
import type { StageChannel } from './StageChannel.js';
import type { TextChannel } from './TextChannel.js';
import type { ThreadChannel } from './ThreadChannel.js';
import type { VoiceChannel } from './VoiceChannel.js';

/**
 * Every field a channel payload of any type may carry (discord-api-types' channel shapes are all
 * assignable to it). Structures read what their type uses and keep nothing else.
 */
export interface ChannelPayload {
  id: string;
  type: number;
  guild_id?: string;
  name?: string | null;
  position?: number;
  permission_overwrites?: APIOverwrite[];
  topic?: string | null;
  nsfw?: boolean;
  last_message_id?: string | null;
  bitrate?: number;
  user_limit?: number;
  rate_limit_per_user?: number;
  recipients?: APIUser[];
  icon?: string | null;
  owner_id?: string;
  parent_id?: string | null;
  last_pin_timestamp?: string | null;
  rtc_region?: string | null;
  video_quality_mode?: number;
  message_count?: number;
  member_count?: number;
  thread_metadata?: APIThreadMetadata;
  member?: APIThreadMember;
  default_auto_archive_duration?: number;
  flags?: number;
  total_message_sent?: number;
  available_tags?: APIGuildForumTag[];
  applied_tags?: string[];
  default_reaction_emoji?: APIGuildForumDefaultReactionEmoji | null;
  default_thread_rate_limit_per_user?: number;
  default_sort_order?: number | null;
  default_forum_layout?: number;
  /** Voice channel status (VOICE_CHANNEL_STATUS_UPDATE). */
  status?: string | null;
}

/** A channel payload that belongs to a guild. */
export type GuildChannelPayload = ChannelPayload;

/** Any channel a guild's `channels` collection holds (threads live in `threads`). */
export type AnyGuildChannel =
  | GuildChannel
  | TextChannel
  | NewsChannel
  | VoiceChannel
  | StageChannel
  | CategoryChannel
  | ForumChannel
  | MediaChannel;

/** Any thread channel structure. */
export type AnyThreadChannel = ThreadChannel;

/** Channels with a `messages` collection. */
export type TextableChannel = TextChannel | NewsChannel | VoiceChannel | StageChannel | ThreadChannel | PrivateChannel;
