import type { APIStageInstance } from 'discord-api-types/v10';
import { Collection } from '../cache/Collection.js';
import { NullCollection } from '../cache/NullCollection.js';
import { InvalidOptionError } from '../util/errors.js';
import { ChannelStore } from './channels/ChannelStore.js';
import { GuildChannel } from './channels/GuildChannel.js';
import { ThreadChannel } from './channels/ThreadChannel.js';
import type { AnyGuildChannel, AnyThreadChannel, TextableChannel } from './channels/types.js';
import type { StructureCacheFactories, StructureContext } from './context.js';
import { EmojiStore } from './emojis/EmojiStore.js';
import type { Guild } from './Guild.js';
import { Message, type MessagePayload } from './Message.js';
import { MemberStore } from './members/MemberStore.js';
import { MemberPresence, type PresencePayload } from './Presence.js';
import { RoleStore } from './roles/RoleStore.js';
import { StageInstance } from './StageInstance.js';
import type { User, UserPayload } from './User.js';
import { UserStore } from './users/UserStore.js';
import { VoiceState, type VoiceStatePayload } from './VoiceState.js';

/** One NullCollection serves every channel when messageLimit is 0: it stores nothing, so it can be shared. */
let sharedNoMessages: NullCollection<Message, MessagePayload> | null = null;

/**
 * Eris's defaults: unbounded collections for everything, `messageLimit` messages per channel
 * (Eris's default is 100; 0 keeps none). The Client merges the user's `cache` option over these.
 */
export function defaultCacheFactories(messageLimit = 100): StructureCacheFactories {
  if (!Number.isInteger(messageLimit) || messageLimit < 0) {
    throw new InvalidOptionError('messageLimit', 'a non-negative integer', messageLimit);
  }
  return {
    // Columnar per-guild store (members/MemberStore.ts): Member objects are made on read.
    members: (guild: Guild) => new MemberStore(guild),
    roles: (guild: Guild) => new RoleStore(guild),
    // Columnar per-guild stores (channels/ChannelStore.ts): channel objects are made on read.
    channels: (guild: Guild) => new ChannelStore<AnyGuildChannel>(guild, GuildChannel),
    threads: (guild: Guild) => new ChannelStore<AnyThreadChannel>(guild, ThreadChannel),
    voiceStates: (_guild: Guild) => new Collection<string, VoiceState, VoiceStatePayload>(VoiceState),
    presences: (_guild: Guild) => new Collection<string, MemberPresence, PresencePayload>(MemberPresence),
    stageInstances: (_guild: Guild) => new Collection<string, StageInstance, APIStageInstance>(StageInstance),
    // Rows of one array (emojis/EmojiStore.ts): Emoji objects are made on read.
    emojis: (guild: Guild) => new EmojiStore(guild),
    messages:
      messageLimit === 0
        ? noMessages
        : (_channel: TextableChannel) => new Collection<string, Message, MessagePayload>(Message, messageLimit)
  };
}

/**
 * The `messages` factory of `messageLimit: 0`: every channel shares one NullCollection. Dispatch
 * compares a context's factory with this one to know that no message can be cached, so a reaction
 * on a message needs no channel lookup before its handler runs.
 */
export function noMessages(_channel: TextableChannel): NullCollection<Message, MessagePayload> {
  return (sharedNoMessages ??= new NullCollection<Message, MessagePayload>(Message));
}

/** The options structures read from their context (message limit and cache factories). */
export interface StructureContextOptions {
  users?: Collection<string, User, UserPayload>;
  cache?: Partial<StructureCacheFactories>;
  messageLimit?: number;
  /**
   * How `guild.fetchMember` finds a member that is not cached (default: the guild's cached members only, else
   * null).
   */
  fetchMember?: StructureContext['fetchMember'];
}

/**
 * A context without a client, for tests, benchmarks and tools that build structures from
 * payloads. `fetchMember` defaults to the hot set only.
 */
export function createStructureContext(options: StructureContextOptions = {}): StructureContext {
  return {
    users: options.users ?? new UserStore(),
    cache: { ...defaultCacheFactories(options.messageLimit), ...options.cache },
    fetchMember:
      options.fetchMember ?? ((guild: Guild, memberID: string) => Promise.resolve(guild.members.get(memberID) ?? null))
  };
}
