/** The Client's options: gateway options plus REST, cache and session wiring, validated up front. */
import type { APIEmoji, APIRole, APIStageInstance } from 'discord-api-types/v10';
import { CacheBudget } from '../cache/CacheBudget.js';
import { Collection } from '../cache/Collection.js';
import type { RemoteCacheStore } from '../cache/stores/RemoteCacheStore.js';
import type { MemberRequestSlots } from '../fleet/MemberRequestSlots.js';
import type { IdentifyQueue } from '../gateway/IdentifyQueue.js';
import type { GatewayOptions } from '../gateway/options.js';
import type { SessionStore } from '../gateway/SessionStore.js';
import type { RestOptions } from '../rest/options.js';
import type {
  AnyGuildChannel,
  AnyThreadChannel,
  ChannelPayload,
  TextableChannel
} from '../structures/channels/types.js';
import type { StructureCacheFactories } from '../structures/context.js';
import { defaultCacheFactories } from '../structures/defaults.js';
import type { Emoji } from '../structures/Emoji.js';
import type { Guild, GuildPayload } from '../structures/Guild.js';
import { Guild as GuildClass } from '../structures/Guild.js';
import type { Member, MemberPayload } from '../structures/Member.js';
import type { Message, MessagePayload } from '../structures/Message.js';
import { MemberStore } from '../structures/members/MemberStore.js';
import type { MemberPresence, PresencePayload } from '../structures/Presence.js';
import type { Role } from '../structures/Role.js';
import type { StageInstance } from '../structures/StageInstance.js';
import type { User, UserPayload } from '../structures/User.js';
import { UserStore } from '../structures/users/UserStore.js';
import type { VoiceState, VoiceStatePayload } from '../structures/VoiceState.js';
import { InvalidOptionError } from '../util/errors.js';

/**
 * The `cache` option, as the spec shows it: one factory per kind, each returning a Collection
 * (bounded or not, remote-backed or not) or a NullCollection. Per-guild kinds receive their guild,
 * `messages` its channel.
 */
export interface ClientCacheOptions {
  /** The shared store behind RemoteBackedCollections; `fetchUser`/`fetchMember` read it. */
  remoteStore?: RemoteCacheStore;
  /** The client-wide users collection, built once (default: unbounded). */
  users?: () => Collection<string, User, UserPayload>;
  /** The client-wide guilds collection, built once (default: unbounded). */
  guilds?: () => Collection<string, Guild, GuildPayload>;
  /**
   * Each guild's members collection (default: a columnar `MemberStore`, whose reads build a Member
   * each time; unbounded, or with `memberBudget` set, counted against that process-wide budget).
   */
  members?: (guild: Guild) => Collection<string, Member, MemberPayload>;
  /** Each guild's roles collection (default: unbounded). */
  roles?: (guild: Guild) => Collection<string, Role, APIRole>;
  /** Each guild's channels collection (default: unbounded). */
  channels?: (guild: Guild) => Collection<string, AnyGuildChannel, ChannelPayload>;
  /** Each guild's threads collection (default: unbounded). */
  threads?: (guild: Guild) => Collection<string, AnyThreadChannel, ChannelPayload>;
  /** Each guild's voice states collection (default: unbounded). */
  voiceStates?: (guild: Guild) => Collection<string, VoiceState, VoiceStatePayload>;
  /** Each guild's presences collection, built on its first presence (default: unbounded). */
  presences?: (guild: Guild) => Collection<string, MemberPresence, PresencePayload>;
  /** Each guild's stage instances collection (default: unbounded). */
  stageInstances?: (guild: Guild) => Collection<string, StageInstance, APIStageInstance>;
  /** Each guild's emojis collection (default: unbounded). */
  emojis?: (guild: Guild) => Collection<string, Emoji, APIEmoji>;
  /** Each channel's messages collection, built on first use (default: the newest `messageLimit` messages). */
  messages?: (channel: TextableChannel) => Collection<string, Message, MessagePayload>;
  /**
   * A process-wide bound on cached members across every guild (the default members factory uses
   * it; with your own factory pass `client.memberBudget` as the collection's `budget`).
   */
  memberBudget?: number;
}

/**
 * Options of `new Client(token, options)`: the gateway options plus REST, cache, messages, sessions and
 * identify coordination.
 */
export interface ClientOptions extends GatewayOptions {
  /** REST client options; `rest.baseURL` also decides where the gateway is looked up. */
  rest?: RestOptions;
  cache?: ClientCacheOptions;
  /** Messages cached per channel (default 100; 0 keeps none). */
  messageLimit?: number;
  /** Where shard sessions are kept so a restarted process resumes (default in memory). */
  sessionStore?: SessionStore;
  /** Identify coordination across processes (default: one queue for this process). */
  identifyQueue?: IdentifyQueue;
  /** Per-guild slots of whole member lists (op 8), fleet-wide with RedisMemberRequestSlots (default: this process). */
  memberRequestSlots?: MemberRequestSlots;
}

const FACTORY_KEYS = [
  'users',
  'guilds',
  'members',
  'roles',
  'channels',
  'threads',
  'voiceStates',
  'presences',
  'stageInstances',
  'emojis',
  'messages'
] as const;

export interface ResolvedCache {
  remoteStore: RemoteCacheStore | undefined;
  users: Collection<string, User, UserPayload>;
  guilds: Collection<string, Guild, GuildPayload>;
  factories: StructureCacheFactories;
  memberBudget: CacheBudget | undefined;
}

/** Check the cache option and build the client-level collections and per-guild factories. */
export function resolveCacheOptions(
  cache: ClientCacheOptions | undefined,
  messageLimit: number | undefined
): ResolvedCache {
  if (cache !== undefined && (cache === null || typeof cache !== 'object')) {
    throw new InvalidOptionError('cache', 'an object of collection factories', cache);
  }
  const options = cache ?? {};
  for (const key of FACTORY_KEYS) {
    const value = options[key];
    if (value !== undefined && typeof value !== 'function') {
      throw new InvalidOptionError(`cache.${key}`, 'a function returning a Collection', value);
    }
  }
  const store = options.remoteStore;
  if (store !== undefined && (store === null || typeof store !== 'object' || typeof store.getEntity !== 'function')) {
    throw new InvalidOptionError('cache.remoteStore', 'a RemoteCacheStore', store);
  }
  let memberBudget: CacheBudget | undefined;
  if (options.memberBudget !== undefined) {
    if (!Number.isInteger(options.memberBudget) || options.memberBudget < 1) {
      throw new InvalidOptionError('cache.memberBudget', 'a positive integer', options.memberBudget);
    }
    memberBudget = new CacheBudget(options.memberBudget);
  }
  const defaults = defaultCacheFactories(messageLimit ?? 100);
  const budgeted = memberBudget;
  const factories: StructureCacheFactories = {
    members: options.members ?? (budgeted ? (guild: Guild) => new MemberStore(guild, budgeted) : defaults.members),
    roles: options.roles ?? defaults.roles,
    channels: options.channels ?? defaults.channels,
    threads: options.threads ?? defaults.threads,
    voiceStates: options.voiceStates ?? defaults.voiceStates,
    presences: options.presences ?? defaults.presences,
    stageInstances: options.stageInstances ?? defaults.stageInstances,
    emojis: options.emojis ?? defaults.emojis,
    messages: options.messages ?? defaults.messages
  };
  return {
    remoteStore: store,
    users: checkCollection('cache.users', options.users ? options.users() : new UserStore()),
    guilds: checkCollection('cache.guilds', options.guilds ? options.guilds() : new Collection(GuildClass)),
    factories,
    memberBudget
  };
}

function checkCollection<T>(name: string, value: T): T {
  if (!(value instanceof Collection)) throw new InvalidOptionError(name, 'a factory returning a Collection', value);
  return value;
}
