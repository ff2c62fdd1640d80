/**
 * What structures need from the client, without importing it (structures sit below the Client).
 * The Client implements `StructureContext`; tests and benchmarks use `createStructureContext`.
 */

import type { APIEmoji, APIRole, APIStageInstance } from 'discord-api-types/v10';
import type { Collection } from '../cache/Collection.js';
import type { FetchAllMembersOptions } from '../fleet/MemberChunkScheduler.js';
import type { AnyGuildChannel, AnyThreadChannel, GuildChannelPayload, TextableChannel } from './channels/types.js';
import type { Emoji } from './Emoji.js';
import type { Guild } from './Guild.js';
import type { Member, MemberPayload } from './Member.js';
import type { Message, MessagePayload } from './Message.js';
import type { MemberPresence, PresencePayload } from './Presence.js';
import type { Role } from './Role.js';
import type { StageInstance } from './StageInstance.js';
import type { User, UserPayload } from './User.js';
import type { VoiceState, VoiceStatePayload } from './VoiceState.js';

/**
 * One factory per cache kind, as the spec's `cache` client option. Each returns a Collection or a
 * NullCollection; members/roles/… receive their guild, messages their channel.
 */
export interface StructureCacheFactories {
  /** The members collection of a new guild. */
  members(guild: Guild): Collection<string, Member, MemberPayload>;
  /** The roles collection of a new guild. */
  roles(guild: Guild): Collection<string, Role, APIRole>;
  /** The channels collection of a new guild. */
  channels(guild: Guild): Collection<string, AnyGuildChannel, GuildChannelPayload>;
  /** The threads collection of a new guild. */
  threads(guild: Guild): Collection<string, AnyThreadChannel, GuildChannelPayload>;
  /** The voice states collection of a new guild. */
  voiceStates(guild: Guild): Collection<string, VoiceState, VoiceStatePayload>;
  /** The presences collection of a guild, built on first use (only guilds that receive presences hold one). */
  presences(guild: Guild): Collection<string, MemberPresence, PresencePayload>;
  /** The stage instances collection of a new guild. */
  stageInstances(guild: Guild): Collection<string, StageInstance, APIStageInstance>;
  /** The emojis collection of a new guild. */
  emojis(guild: Guild): Collection<string, Emoji, APIEmoji>;
  /** Called on first use of a channel's `messages` (a channel that never sees messages holds none). */
  messages(channel: TextableChannel): Collection<string, Message, MessagePayload>;
}

/** The client as structures see it. */
export interface StructureContext {
  /** Every User, one instance per id, shared by all members of it. */
  readonly users: Collection<string, User, UserPayload>;
  readonly cache: StructureCacheFactories;
  /** `guild.fetchMember(id)`: hot set, then remote store, then REST. Null when no such member. */
  fetchMember(guild: Guild, memberID: string): Promise<Member | null>;
  /** `guild.fetchAllMembers()`: every member streamed into the guild's members; resolves with the count. */
  fetchAllMembersOf?(guild: Guild, options?: FetchAllMembersOptions): Promise<number>;
}
