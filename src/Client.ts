/**
 * The Client composes the three parts: the ShardManager (gateway), the RestClient (with Eris's
 * endpoint methods) and the cache (collections built from the `cache` option). Every dispatch a
 * shard delivers goes through `handleDispatch`, which looks its handler up in
 * `gateway/dispatch/` (cache update, then user event).
 *
 * Reads are synchronous against the hot set (`client.users.get`, `guild.members.get`); the async
 * accessors `fetchUser` / `fetchMember` resolve through hot set, remote store, then REST.
 */
import { EventEmitter } from 'node:events';
import type { APIGuildMember, APIUser } from 'discord-api-types/v10';
import type { CacheBudget } from './cache/CacheBudget.js';
import type { Collection } from './cache/Collection.js';
import type { RemoteCacheStore } from './cache/stores/RemoteCacheStore.js';
import { TieredResolver } from './cache/TieredResolver.js';
import { type ClientOptions, resolveCacheOptions } from './client/options.js';
import { type FetchAllMembersOptions, MemberChunkScheduler } from './fleet/MemberChunkScheduler.js';
import { ChannelGuildMap } from './gateway/dispatch/ChannelGuildMap.js';
import type { ClientEvents } from './gateway/dispatch/events.js';
import { type CachedChannel, dispatchHandlers, MalformedDispatchError } from './gateway/dispatch/index.js';
import type { GuildMembersResult, RequestGuildMembersOptions } from './gateway/MemberRequests.js';
import { type Presence, resolveGatewayOptions } from './gateway/options.js';
import type { Shard, ShardDisconnectOptions } from './gateway/Shard.js';
import { ShardManager } from './gateway/ShardManager.js';
import { RESTMethods } from './rest/Endpoints.js';
import { DiscordRESTError } from './rest/errors.js';
import { RestClient } from './rest/RestClient.js';
import type { PrivateChannel } from './structures/channels/PrivateChannel.js';
import type { StructureCacheFactories } from './structures/context.js';
import type { Guild, GuildPayload } from './structures/Guild.js';
import type { Member, MemberPayload } from './structures/Member.js';
import type { User, UserPayload } from './structures/User.js';
import { InvalidOptionError, redact } from './util/errors.js';

/** Discord error codes that mean "no such record": a fetch answers null instead of throwing. */
const UNKNOWN_RECORD_CODES: ReadonlySet<number> = new Set([10004, 10007, 10013]);

/** Counters of the dispatch path. */
export interface ClientDispatchStats {
  /** Dispatches handled. */
  handled: number;
  /** Dispatches with no handler (emitted as `unknown`). */
  unknown: number;
  /** Dispatches whose payload lacked what its handler needs: skipped, counted, reported. */
  malformed: number;
  /** Errors thrown by user event listeners (reported on `error`, never crash the shard). */
  listenerErrors: number;
}

/** The Eris-style Discord client: shards, REST methods, caches and typed events (`ClientEvents`). */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface at the end of this file.
export class Client extends EventEmitter<ClientEvents> {
  readonly options: ClientOptions;
  readonly rest: RestClient;
  readonly shards: ShardManager;
  /** The bot's own user, set by READY. */
  user: User | null = null;
  readonly users: Collection<string, User, UserPayload>;
  readonly guilds: Collection<string, Guild, GuildPayload>;
  readonly unavailableGuilds = new Map<string, number>();
  readonly channelGuildMap: Map<string, string> = new ChannelGuildMap();
  readonly privateChannels = new Map<string, PrivateChannel>();
  /** Factories for per-guild collections (the `cache` option merged over Eris's defaults). */
  readonly cache: StructureCacheFactories;
  /** The shared store of the remote tier, when configured. */
  readonly remoteStore: RemoteCacheStore | undefined;
  /** The process-wide member budget, when `cache.memberBudget` is set. */
  readonly memberBudget: CacheBudget | undefined;
  readonly dispatchStats: ClientDispatchStats = { handled: 0, unknown: 0, malformed: 0, listenerErrors: 0 };
  private readonly token: string;
  /** Whole member lists: per-guild slots, RATE_LIMITED retries, streaming (see fetchAllMembers). */
  readonly memberChunks: MemberChunkScheduler;
  private readonly userResolver: TieredResolver<User, UserPayload>;
  private readonly memberResolvers = new WeakMap<Guild, TieredResolver<Member, MemberPayload>>();

  constructor(token: string, options: ClientOptions = {}) {
    super();
    if (typeof token !== 'string' || token.trim().length === 0) {
      // Never echo the value: it may be a token with a typo.
      throw new InvalidOptionError('token', 'a non-empty string', typeof token === 'string' ? '(empty)' : typeof token);
    }
    if (options === null || typeof options !== 'object') throw new InvalidOptionError('options', 'an object', options);
    this.token = token.replace(/^Bot\s+/i, '');
    this.options = options;
    const cache = resolveCacheOptions(options.cache, options.messageLimit);
    this.users = cache.users;
    this.guilds = cache.guilds;
    this.cache = cache.factories;
    this.remoteStore = cache.remoteStore;
    this.memberBudget = cache.memberBudget;

    this.rest = new RestClient(this.token, {
      ...options.rest,
      // ATHENA_REST_BASE_URL points an unchanged bot at a simulator or a REST proxy.
      baseURL: options.rest?.baseURL ?? (process.env.ATHENA_REST_BASE_URL || undefined),
      logger: (level, message) => {
        options.rest?.logger?.(level, message);
        this.emit(level, message);
      }
    });
    this.shards = new ShardManager(this.token, resolveGatewayOptions(options), {
      sink: (shard, t, d) => this.handleDispatch(shard, t, d),
      sessionStore: options.sessionStore,
      identifyQueue: options.identifyQueue
    });
    this.forwardShardEvents();
    this.memberChunks = new MemberChunkScheduler(this.shards, options.memberRequestSlots);

    this.userResolver = new TieredResolver<User, UserPayload>(this.users, (id) =>
      this.loadOrNull<APIUser>(() => this.getRESTUser(id))
    );
  }

  /** Look up the gateway on the REST base URL, then connect every shard of this process. */
  async connect(): Promise<void> {
    const info = await this.getBotGateway();
    await this.shards.connect({
      url: info.url,
      shards: info.shards,
      maxConcurrency: info.session_start_limit?.max_concurrency
    });
  }

  /**
   * Close every shard of this process; with `reconnect: true` they reconnect (and resume) at once. Unlike
   * destroy(), the REST pool stays open.
   */
  disconnect(options: ShardDisconnectOptions = {}): void {
    this.shards.disconnect(options);
  }

  /** Close shards and the REST connection pool (and flush nothing else: writes are fire-and-forget). */
  async destroy(): Promise<void> {
    this.shards.disconnect({ reconnect: false });
    await this.rest.destroy();
  }

  /** Set the bot's presence on every shard now (op 3) and for their future identifies. */
  editStatus(presence: Presence): void {
    this.shards.editStatus(presence);
  }

  /** Op 8: members of a guild by query or ids; they also enter the guild's members cache. */
  requestGuildMembers(guildID: string, options?: RequestGuildMembersOptions): Promise<GuildMembersResult> {
    return this.shards.requestGuildMembers(guildID, options);
  }

  /**
   * Every member of a guild (op 8, whole list), scheduled within the one-request-per-guild-per-30 s
   * limit (`memberRequestSlots`: fleet-wide with RedisMemberRequestSlots), retried after
   * RATE_LIMITED, and streamed into the guild's members collection by default (the result counts them).
   */
  fetchAllMembers(guildID: string, options?: FetchAllMembersOptions): Promise<GuildMembersResult> {
    return this.memberChunks.fetchAllMembers(guildID, options);
  }

  /** A cached guild channel, thread or private channel by id. */
  getChannel(channelID: string): CachedChannel | undefined {
    const guild = this.guilds.get(this.channelGuildMap.get(channelID) ?? '');
    if (guild) return guild.channels.get(channelID) ?? guild.threads.get(channelID);
    return this.privateChannels.get(channelID);
  }

  /** StructureContext: what `guild.fetchAllMembers()` runs. */
  async fetchAllMembersOf(guild: Guild, options?: FetchAllMembersOptions): Promise<number> {
    return (await this.memberChunks.fetchAllMembers(guild.id, options)).received;
  }

  /** A user: hot set, then the remote store, then REST. `null` when Discord knows no such user. */
  fetchUser(userID: string): Promise<User | null> {
    return this.userResolver.resolve(userID);
  }

  /**
   * A member of a guild: hot set, then the remote store, then REST. `null` when the user is not a
   * member. A member rebuilt from the store carries only its user's id: its user is resolved too.
   */
  async fetchMember(guild: Guild, memberID: string): Promise<Member | null> {
    let resolver = this.memberResolvers.get(guild);
    if (resolver === undefined) {
      resolver = new TieredResolver<Member, MemberPayload>(
        guild.members,
        (id) => this.loadOrNull<APIGuildMember>(() => this.getRESTGuildMember(guild.id, id)),
        { extra: guild }
      );
      this.memberResolvers.set(guild, resolver);
    }
    const member = await resolver.resolve(memberID);
    if (member !== null && member.user.username === undefined) {
      const user = await this.fetchUser(memberID);
      if (user !== null) member.user = user;
    }
    return member;
  }

  /** Counters of the user resolver (per tier). */
  get fetchStats(): TieredResolver<User, UserPayload>['stats'] {
    return this.userResolver.stats;
  }

  private async loadOrNull<T>(load: () => Promise<T>): Promise<T | null> {
    try {
      return await load();
    } catch (error) {
      if (error instanceof DiscordRESTError && UNKNOWN_RECORD_CODES.has(error.code)) return null;
      throw error;
    }
  }

  /** Where a gateway frame becomes a cache entry and a user event. */
  private handleDispatch(shard: Shard, t: string, d: unknown): void {
    const handler = dispatchHandlers.get(t);
    if (handler === undefined) {
      this.dispatchStats.unknown++;
      this.emit('unknown', { t, d }, shard.id);
      return;
    }
    try {
      handler(this, d, shard);
      this.dispatchStats.handled++;
    } catch (error) {
      if (error instanceof MalformedDispatchError) {
        this.dispatchStats.malformed++;
        this.emit('warn', redact(error.message, this.token), shard.id);
        return;
      }
      // A user listener threw: report it without taking the shard down.
      this.dispatchStats.listenerErrors++;
      if (this.listenerCount('error') > 0)
        this.emit('error', error instanceof Error ? error : new Error(String(error)), shard.id);
      else console.error(`athena: a listener for ${t} threw:`, error);
    }
  }

  private forwardShardEvents(): void {
    const shards = this.shards;
    shards.on('ready', () => this.emit('ready'));
    shards.on('shardReady', (id) => this.emit('shardReady', id));
    shards.on('shardResume', (id) => this.emit('shardResume', id));
    shards.on('connect', (id) => this.emit('connect', id));
    shards.on('shardDisconnect', (error, id) => this.emit('shardDisconnect', error, id));
    shards.on('debug', (message, id) => this.emit('debug', message, id));
    shards.on('warn', (message, id) => this.emit('warn', message, id));
    shards.on('rawWS', (packet, id) => this.emit('rawWS', packet, id));
    shards.on('guildMembersRateLimited', (error, id) => this.emit('guildMembersRateLimited', error, id));
    // An unhandled 'error' would throw from emit: without a listener it is reported, not thrown.
    shards.on('error', (error, id) => {
      if (this.listenerCount('error') > 0) this.emit('error', error, id);
      else console.error(`athena: shard ${id}:`, redact(String(error), this.token));
    });
  }
}

// Eris's REST methods (getRESTUser, addGuildMemberRole, createMessage, …) live on RESTMethods,
// which reads `this.rest`: the Client has the same field, so the methods are shared, not wrapped.
export interface Client extends Omit<RESTMethods, 'rest'> {}
for (const name of Object.getOwnPropertyNames(RESTMethods.prototype)) {
  if (name === 'constructor') continue;
  const descriptor = Object.getOwnPropertyDescriptor(RESTMethods.prototype, name);
  if (descriptor) Object.defineProperty(Client.prototype, name, descriptor);
}
