/**
 * The user events the dispatch handlers emit, with Eris's names and arguments (old values, where
 * Eris gives them, as plain snapshots of the fields an update may change; `null` when the entry was
 * not cached or nobody listened). The Client's events are these plus its shards' lifecycle events.
 */

import type { AnyThreadChannel } from '../../structures/channels/types.js';
import type { Emoji } from '../../structures/Emoji.js';
import type { Guild } from '../../structures/Guild.js';
import type { Member } from '../../structures/Member.js';
import type { Message, PartialMessage } from '../../structures/Message.js';
import type { PresenceSnapshot } from '../../structures/Presence.js';
import type { Role } from '../../structures/Role.js';
import type { StageInstance } from '../../structures/StageInstance.js';
import type { User } from '../../structures/User.js';
import type { Envelope } from '../frame.js';
import type { CachedChannel } from './context.js';

/** A reaction's emoji as Discord sends it: custom (id and name) or Unicode (id null). */
export interface ReactionEmoji {
  id: string | null;
  name: string | null;
  animated?: boolean;
}

/** An id-only stand-in for something the cache does not hold. */
export interface Uncached {
  id: string;
}

/** A cached Message, or a PartialMessage when the message is not cached. */
export type AnyMessage = Message | PartialMessage;

/** The Client's events built from gateway dispatches (Eris names and arguments). */
export interface DispatchEvents {
  unavailableGuildCreate: [guild: { id: string; unavailable: true }];
  guildCreate: [guild: Guild];
  guildAvailable: [guild: Guild];
  guildUnavailable: [guild: Guild];
  guildUpdate: [guild: Guild, oldGuild: Record<string, unknown> | null];
  guildDelete: [guild: Guild];
  guildEmojisUpdate: [guild: Guild, emojis: Emoji[], oldEmojis: Emoji[] | null];
  guildMemberAdd: [guild: Guild, member: Member];
  guildMemberUpdate: [guild: Guild, member: Member, oldMember: Record<string, unknown> | null];
  guildMemberRemove: [guild: Guild, member: Member | { id: string; user: User | Record<string, unknown> }];
  guildMemberChunk: [guild: Guild, members: Member[]];
  guildRoleCreate: [guild: Guild, role: Role];
  guildRoleUpdate: [guild: Guild, role: Role, oldRole: Record<string, unknown> | null];
  guildRoleDelete: [guild: Guild, role: Role | Uncached];
  channelCreate: [channel: CachedChannel];
  channelUpdate: [channel: CachedChannel, oldChannel: unknown];
  channelDelete: [channel: CachedChannel];
  channelPinUpdate: [channel: CachedChannel, timestamp: number | null, oldTimestamp: number | null];
  threadCreate: [thread: CachedChannel];
  threadUpdate: [thread: CachedChannel, oldThread: unknown];
  threadDelete: [thread: AnyThreadChannel | { id: string; guild: Guild; parentID: string | null; type: unknown }];
  threadListSync: [guild: Guild, threads: CachedChannel[], members: unknown[]];
  threadMemberUpdate: [thread: AnyThreadChannel, member: Record<string, unknown>];
  threadMembersUpdate: [thread: AnyThreadChannel, addedMembers: unknown[], removedMemberIDs: unknown[]];
  messageCreate: [message: Message];
  messageUpdate: [message: Message | Record<string, unknown>, oldMessage: unknown];
  messageDelete: [message: AnyMessage];
  messageDeleteBulk: [messages: AnyMessage[]];
  messageReactionAdd: [message: AnyMessage, emoji: ReactionEmoji, reactor: Member | User | Uncached, burst: boolean];
  messageReactionRemove: [message: AnyMessage, emoji: ReactionEmoji, userID: string, burst: boolean];
  messageReactionRemoveAll: [message: AnyMessage];
  messageReactionRemoveEmoji: [message: AnyMessage, emoji: ReactionEmoji];
  voiceChannelJoin: [member: Member | Uncached, channelID: string];
  voiceChannelLeave: [member: Member | Uncached, channelID: string];
  voiceChannelSwitch: [member: Member | Uncached, channelID: string, oldChannelID: string];
  voiceStateUpdate: [member: Member | Uncached, oldState: unknown];
  stageInstanceCreate: [instance: StageInstance | Uncached];
  stageInstanceUpdate: [instance: StageInstance | Uncached, oldInstance: unknown];
  stageInstanceDelete: [instance: StageInstance | { id: string; guild: Guild }];
  userUpdate: [user: User, oldUser: unknown];
  presenceUpdate: [other: Member | User | Uncached, oldPresence: PresenceSnapshot | null];
  typingStart: [channel: CachedChannel | Uncached, user: Member | User | Uncached, timestamp: number];
}

/** Every event of the Client: the dispatch events and its shards' lifecycle. */
export interface ClientEvents extends DispatchEvents {
  ready: [];
  shardReady: [id: number];
  shardResume: [id: number];
  connect: [id: number];
  shardDisconnect: [error: Error | undefined, id: number];
  debug: [message: string, id?: number];
  warn: [message: string, id?: number];
  error: [error: Error, id?: number];
  rawWS: [packet: Envelope, id: number];
  guildMembersRateLimited: [error: Error, id: number];
  unknown: [packet: { t: string; d: unknown }, id: number];
}
