/**
 * The contract between the simulator's world (state), its gateway server and its REST server.
 *
 * The world owns all state: guilds, roles, channels, members, users, messages, voice states,
 * stage instances, threads, presences. The gateway and REST layers never keep their own copy;
 * they read from the world and ask it to change. Every change the world makes is announced as a
 * `WorldDispatch` to its listeners, which the gateway routes to the shard owning `guildID`
 * (shard 0 for events without a guild) and gates by `intent`.
 *
 * Written from Discord's protocol (payload types from discord-api-types), never from Athena's
 * client code: the simulator must stay Discord-shaped.
 */
import type {
  APIChannel,
  APIGuildMember,
  APIMessage,
  APIRole,
  APIUser,
  GatewayDispatchEvents,
  GatewayGuildCreateDispatchData
} from 'discord-api-types/v10';

/**
 * Shape of a generated world: seed, guild count, user pool and guild size distribution. The same options
 * always give the same world.
 */
export interface WorldOptions {
  /** Deterministic seed: the same seed and options give the same world. */
  seed: string | number;
  /** Number of guilds. */
  guilds: number;
  /** Size of the user pool members are drawn from (default: about guilds * 10, at least 100). */
  users?: number;
  /** Average members per guild (default 50); sizes are skewed, a few guilds are large. */
  averageMembers?: number;
  /** Zipf exponent for user popularity (default 1.1): popular users sit in thousands of guilds. */
  zipfExponent?: number;
  /** Fraction of guilds (0..1) generated with more than 250 members, i.e. above any large_threshold. */
  largeGuildFraction?: number;
}

/** Options for building one guild's GUILD_CREATE, as the gateway needs it for a session. */
export interface GuildCreateOptions {
  /** Identify's large_threshold (50..250). Guilds with more members get `large: true` and no full list. */
  largeThreshold: number;
  /** Whether the session has GUILD_PRESENCES (presences are included only then). */
  presences: boolean;
  /** Whether the session has GUILD_MEMBERS / GUILD_VOICE_STATES etc.: pass the intents bitfield. */
  intents: number;
}

/** A change the world made, to be sent as a dispatch to the sessions that should see it. */
export interface WorldDispatch {
  /** Event name, e.g. GUILD_MEMBER_UPDATE. */
  t: `${GatewayDispatchEvents}`;
  /** Event payload exactly as Discord sends it. */
  d: unknown;
  /** Guild the event belongs to, or null (goes to shard 0). */
  guildID: string | null;
  /** Intent bit that gates this event, or 0 if ungated. */
  intent: number;
}

/** A typed failure from a world mutation, mapped by the REST layer to Discord's error body. */
export class WorldError extends Error {
  constructor(
    /** Discord JSON error code, e.g. 10004 Unknown Guild, 10007 Unknown Member, 50013 Missing Permissions. */
    readonly code: number,
    /** HTTP status the REST layer should answer with. */
    readonly status: number,
    message: string
  ) {
    super(message);
    this.name = 'WorldError';
  }
}

/** The world's public surface. Implemented by `World` in ./World.ts. */
export interface WorldLike {
  readonly options: Required<WorldOptions>;
  /** The bot's own user (the application). Member of every guild. */
  readonly botUser: APIUser;
  /** Number of guilds currently in the world. */
  readonly guildCount: number;

  /** All guild ids in a stable order. Generated lazily; cheap to iterate. */
  guildIDs(): Iterable<string>;
  /** Guild ids on a shard: (guild_id >> 22) % shardCount === shardID. */
  guildIDsForShard(shardID: number, shardCount: number): string[];
  /** Whether the guild exists (generated and not removed). */
  hasGuild(guildID: string): boolean;
  /** Total member count of a guild (the live count after adds/removes). */
  memberCount(guildID: string): number;

  /** The full GUILD_CREATE payload for one guild as a given session should receive it. */
  guildCreate(guildID: string, options: GuildCreateOptions): GatewayGuildCreateDispatchData;
  /** REST GET /guilds/:id shape (no channels/members). */
  getGuild(guildID: string): GatewayGuildCreateDispatchData | undefined;
  /** Copies of a guild's roles, or undefined for an unknown guild. */
  getRoles(guildID: string): APIRole[] | undefined;
  /** A channel or thread as REST returns it, or undefined. */
  getChannel(channelID: string): APIChannel | undefined;
  /** A user of the pool (or the bot), or undefined for an id the world never generated. */
  getUser(userID: string): APIUser | undefined;
  /** A member as REST returns it, or undefined when the guild or membership does not exist. */
  getMember(guildID: string, userID: string): APIGuildMember | undefined;
  /** Members ordered by user id, strictly after `after` (default "0"), at most `limit`. */
  listMembers(guildID: string, limit: number, after?: string): APIGuildMember[];
  /** Members whose username starts with `query` (case-insensitive), or the given user ids. */
  searchMembers(
    guildID: string,
    query: string | undefined,
    userIDs: string[] | undefined,
    limit: number
  ): APIGuildMember[];

  // Mutations. Each applies to the world state and emits the matching WorldDispatch(es).
  // Each throws WorldError for unknown guild/member/role/channel/message (10004/10007/10011/10003/10008).
  /**
   * The bot adds a role to a member (REST PUT member role). Needs MANAGE_ROLES and a role below the bot's
   * highest; emits GUILD_MEMBER_UPDATE only if the member lacked it.
   */
  addMemberRole(guildID: string, userID: string, roleID: string): APIGuildMember;
  /**
   * The bot removes a role from a member (REST DELETE member role), under the same rules as addMemberRole.
   */
  removeMemberRole(guildID: string, userID: string, roleID: string): APIGuildMember;
  /**
   * The bot edits a member (REST PATCH member): nick, roles, mute, deaf or timeout, each checked against the
   * permission and hierarchy rules Discord applies.
   */
  editMember(
    guildID: string,
    userID: string,
    patch: {
      nick?: string | null;
      roles?: string[];
      mute?: boolean;
      deaf?: boolean;
      communication_disabled_until?: string | null;
    }
  ): APIGuildMember;
  /**
   * Post a message as `authorID` (the bot needs VIEW_CHANNEL and SEND_MESSAGES; others must be members) and
   * emit MESSAGE_CREATE.
   */
  createMessage(channelID: string, authorID: string, content: string): APIMessage;
  /** A message of that channel (generated, created or edited), or undefined when deleted or elsewhere. */
  getMessage(channelID: string, messageID: string): APIMessage | undefined;
  /**
   * A channel's messages newest first, at most `limit`, filtered by `before`/`after` ids as REST GET messages
   * does.
   */
  listMessages(channelID: string, limit: number, before?: string, after?: string): APIMessage[];
  /** The bot edits its own message (50005 for another author's) and emits MESSAGE_UPDATE. */
  editMessage(channelID: string, messageID: string, content: string): APIMessage;
  /** Delete a message (another author's needs MANAGE_MESSAGES) and emit MESSAGE_DELETE. */
  deleteMessage(channelID: string, messageID: string): void;
  /** Reaction by `userID` (the bot for REST, anyone for the traffic driver) on a message. */
  addReaction(channelID: string, messageID: string, userID: string, emoji: string): void;
  /** Remove `userID`'s `emoji` reaction on a message, emitting MESSAGE_REACTION_REMOVE if it was there. */
  removeReaction(channelID: string, messageID: string, userID: string, emoji: string): void;

  /** Listen to every change. Returns an unsubscribe function. */
  onDispatch(listener: (dispatch: WorldDispatch) => void): () => void;

  /**
   * The world's live state, for comparison with a client's cache: every guild with its roles,
   * channels (with overwrites), threads, members (with role ids), voice states, stage instances,
   * and every user referenced. Plain JSON-able data. Streams guild by guild to bound memory.
   */
  dump(): Iterable<WorldGuildDump>;
}

/** One guild's live state in a world dump: the GUILD_CREATE-shaped guild and every member. */
export interface WorldGuildDump {
  guild: GatewayGuildCreateDispatchData;
  members: APIGuildMember[];
}
