/**
 * The world's internal state for one guild. Compact where it is numerous (members keep a user id,
 * role ids and a join time in ms); API-shaped where it is few (roles, emojis).
 */
import type { APIEmoji, APIMessage, APIOverwrite, APIRole, APIStageInstance } from 'discord-api-types/v10';

export interface MemberRecord {
  userID: string;
  nick: string | null;
  roles: string[];
  /** Milliseconds since the Unix epoch. */
  joinedAt: number;
  mute: boolean;
  deaf: boolean;
  communicationDisabledUntil: string | null;
}

/** A guild channel or thread: the common fields plus the type-specific ones in `extra`. */
export interface ChannelRecord {
  id: string;
  type: number;
  name: string;
  position: number;
  parent_id: string | null;
  permission_overwrites: APIOverwrite[];
  flags: number;
  extra: Record<string, unknown>;
}

export interface VoiceStateRecord {
  userID: string;
  channelID: string;
  sessionID: string;
  selfMute: boolean;
  selfDeaf: boolean;
}

/** The generated "pick a role" message: reacting with `emoji` should give `roleID`. */
export interface ReactionRoleSetup {
  channelID: string;
  messageID: string;
  pairs: { emoji: string; roleID: string }[];
}

export interface GuildData {
  index: number;
  id: string;
  name: string;
  icon: string | null;
  ownerID: string;
  /** When the bot joined, ms since the Unix epoch. */
  joinedAt: number;
  systemChannelID: string | null;
  roles: Map<string, APIRole>;
  channels: Map<string, ChannelRecord>;
  threads: Map<string, ChannelRecord>;
  emojis: APIEmoji[];
  members: Map<string, MemberRecord>;
  /** Member user ids sorted by snowflake; rebuilt lazily after adds/removes. */
  sortedMemberIDs: string[] | null;
  voiceStates: Map<string, VoiceStateRecord>;
  stageInstances: APIStageInstance[];
  reactionRoles: ReactionRoleSetup;
  /** The messages a guild starts with (the reaction-role message, a welcome message). */
  generatedMessages: APIMessage[];
  botRoleID: string;
  nextChannelSlot: number;
  nextRoleSlot: number;
}
