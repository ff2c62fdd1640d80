/**
 * The simulator's world: every guild, member, role, channel and message, deterministic from a
 * seed. Clean guilds are regenerated on demand (a small LRU keeps the recently used ones); a guild
 * that was changed is kept as live state. So a world of 100,000 guilds costs memory only for what
 * was touched.
 */
import type {
  APIChannel,
  APIGuildMember,
  APIMessage,
  APIRole,
  APIUser,
  GatewayGuildCreateDispatchData,
  RoleFlags,
  UserFlags
} from 'discord-api-types/v10';
import { ChannelTypes, Intents, Permissions } from '../../util/constants.js';
import { compareSnowflakes } from '../../util/snowflake.js';
import { type GenerationParams, generateGuild, generateUser, guildIDFor, guildSize, message } from './generate.js';
import { decodeID, encodeID, IdKind, shardOfGuildIndex } from './ids.js';
import { MessageStore } from './MessageStore.js';
import type { ChannelRecord, GuildData, MemberRecord, ReactionRoleSetup } from './model.js';
import { basePermissions, channelPermissions, highestPosition } from './permissions.js';
import { hashString, mix, ZipfSampler } from './random.js';
import {
  channelPayload,
  guildPayload,
  memberPayload,
  type PresenceStatus,
  presencePayload,
  type UserSource,
  voiceStatePayload
} from './serialize.js';
import {
  type GuildCreateOptions,
  type WorldDispatch,
  WorldError,
  type WorldGuildDump,
  type WorldLike,
  type WorldOptions
} from './types.js';

const GUILD_CACHE_SIZE = 1024;
const USER_CACHE_SIZE = 50_000;
const MESSAGES_PER_CHANNEL = 100;

export type MemberPatch = Parameters<WorldLike['editMember']>[2];

export class World implements WorldLike, UserSource {
  readonly options: Required<WorldOptions>;
  readonly botUser: APIUser;
  private readonly params: GenerationParams;
  /** Guilds changed since generation: the only guild state kept for good. */
  private readonly live = new Map<number, GuildData>();
  private readonly cache = new Map<number, GuildData>();
  private readonly userCache = new Map<string, APIUser>();
  private readonly presences = new Map<string, PresenceStatus>();
  private readonly messages = new MessageStore(MESSAGES_PER_CHANNEL);
  private readonly listeners = new Set<(dispatch: WorldDispatch) => void>();

  constructor(options: WorldOptions) {
    this.options = validateOptions(options);
    const seedHash = typeof this.options.seed === 'number' ? mix(this.options.seed) : hashString(this.options.seed);
    const botUserID = encodeID(IdKind.Application, 0, seedHash & 0xfff);
    this.botUser = {
      id: botUserID,
      username: 'athena-sim-bot',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
      public_flags: 0 as UserFlags,
      flags: 0 as UserFlags
    };
    this.params = {
      seedHash,
      guilds: this.options.guilds,
      users: this.options.users,
      averageMembers: this.options.averageMembers,
      largeGuildFraction: this.options.largeGuildFraction,
      zipf: new ZipfSampler(this.options.users, this.options.zipfExponent),
      botUserID
    };
  }

  get guildCount(): number {
    return this.options.guilds;
  }

  /** Number of guilds holding live (changed) state; the rest are regenerated on demand. */
  get liveGuildCount(): number {
    return this.live.size;
  }

  *guildIDs(): Iterable<string> {
    for (let i = 0; i < this.options.guilds; i++) yield guildIDFor(this.params.seedHash, i);
  }

  guildIDsForShard(shardID: number, shardCount: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.options.guilds; i++) {
      if (shardOfGuildIndex(i, shardCount) === shardID) out.push(guildIDFor(this.params.seedHash, i));
    }
    return out;
  }

  /** How many guilds a shard would hold, without building the id strings. */
  guildCountForShard(shardID: number, shardCount: number): number {
    let count = 0;
    for (let i = 0; i < this.options.guilds; i++) if (shardOfGuildIndex(i, shardCount) === shardID) count++;
    return count;
  }

  hasGuild(guildID: string): boolean {
    return this.indexOfGuild(guildID) !== undefined;
  }

  memberCount(guildID: string): number {
    const index = this.indexOfGuild(guildID);
    if (index === undefined) return 0;
    const guild = this.live.get(index) ?? this.cache.get(index);
    return guild ? guild.members.size : guildSize(this.params, index) + 1;
  }

  // ---- reads --------------------------------------------------------------------------------

  /**
   * Like getUser, but an unknown id gives a placeholder "unknown" user instead of undefined (for payloads
   * that must carry a user).
   */
  user(userID: string): APIUser {
    return (
      this.getUser(userID) ?? { id: userID, username: 'unknown', discriminator: '0', global_name: null, avatar: null }
    );
  }

  getUser(userID: string): APIUser | undefined {
    if (userID === this.botUser.id) return { ...this.botUser };
    const decoded = decodeID(userID);
    if (!decoded || decoded.kind !== IdKind.User || decoded.low !== 0 || decoded.index >= this.options.users)
      return undefined;
    let user = this.userCache.get(userID);
    if (!user) {
      user = generateUser(this.params, decoded.index);
      if (this.userCache.size >= USER_CACHE_SIZE) this.userCache.delete(this.userCache.keys().next().value!);
      this.userCache.set(userID, user);
    }
    return { ...user };
  }

  guildCreate(guildID: string, options: GuildCreateOptions): GatewayGuildCreateDispatchData {
    const guild = this.requireGuild(guildID);
    const large = guild.members.size > options.largeThreshold;
    const withPresences = options.presences && (options.intents & Intents.GuildPresences) !== 0;
    const withVoice = (options.intents & Intents.GuildVoiceStates) !== 0;
    // Large guilds carry only the bot and members in voice (Discord's rule without presences).
    const included: MemberRecord[] = [];
    if (large) {
      included.push(guild.members.get(this.botUser.id)!);
      for (const state of guild.voiceStates.values()) {
        const member = guild.members.get(state.userID);
        if (member) included.push(member);
      }
    } else {
      included.push(...guild.members.values());
    }
    const out = this.guildBody(guild) as unknown as Record<string, unknown>;
    out.joined_at = new Date(guild.joinedAt).toISOString();
    out.large = large;
    out.unavailable = false;
    out.member_count = guild.members.size;
    out.members = included.map((m) => memberPayload(m, this));
    out.presences = withPresences
      ? included
          .filter((m) => this.presenceOf(m.userID) !== 'offline')
          .map((m) => presencePayload(m.userID, this.presenceOf(m.userID)))
      : [];
    out.voice_states = withVoice
      ? [...guild.voiceStates.values()].map((s) => voiceStatePayload(s, guild, this, false))
      : [];
    return out as unknown as GatewayGuildCreateDispatchData;
  }

  getGuild(guildID: string): GatewayGuildCreateDispatchData | undefined {
    const index = this.indexOfGuild(guildID);
    return index === undefined ? undefined : guildPayload(this.guild(index));
  }

  getRoles(guildID: string): APIRole[] | undefined {
    const index = this.indexOfGuild(guildID);
    return index === undefined ? undefined : [...this.guild(index).roles.values()].map((r) => ({ ...r }));
  }

  getChannel(channelID: string): APIChannel | undefined {
    const found = this.findChannel(channelID);
    return found && this.channelOut(found.record, found.guild.id);
  }

  getMember(guildID: string, userID: string): APIGuildMember | undefined {
    const index = this.indexOfGuild(guildID);
    if (index === undefined) return undefined;
    const record = this.guild(index).members.get(userID);
    return record && memberPayload(record, this);
  }

  listMembers(guildID: string, limit: number, after = '0'): APIGuildMember[] {
    const index = this.indexOfGuild(guildID);
    if (index === undefined) return [];
    const guild = this.guild(index);
    const ids = this.sortedMembers(guild);
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareSnowflakes(ids[mid], after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return ids.slice(lo, lo + Math.max(0, limit)).map((id) => memberPayload(guild.members.get(id)!, this));
  }

  searchMembers(
    guildID: string,
    query: string | undefined,
    userIDs: string[] | undefined,
    limit: number
  ): APIGuildMember[] {
    const index = this.indexOfGuild(guildID);
    if (index === undefined) return [];
    const guild = this.guild(index);
    const out: APIGuildMember[] = [];
    const max = limit <= 0 ? Number.POSITIVE_INFINITY : limit;
    if (userIDs) {
      for (const id of userIDs) {
        const record = guild.members.get(id);
        if (record && out.length < max) out.push(memberPayload(record, this));
      }
      return out;
    }
    const prefix = (query ?? '').toLowerCase();
    for (const id of this.sortedMembers(guild)) {
      if (out.length >= max) break;
      const user = this.user(id);
      if (prefix === '' || user.username.toLowerCase().startsWith(prefix)) {
        out.push(memberPayload(guild.members.get(id)!, this));
      }
    }
    return out;
  }

  /** Sorted user ids of a guild's members (the bot included). */
  memberIDs(guildID: string): readonly string[] {
    const index = this.indexOfGuild(guildID);
    return index === undefined ? [] : this.sortedMembers(this.guild(index));
  }

  /** The generated reaction-role message of a guild and its emoji -> role pairs. */
  reactionRoles(guildID: string): ReactionRoleSetup {
    const guild = this.requireGuild(guildID);
    return { ...guild.reactionRoles, pairs: guild.reactionRoles.pairs.map((p) => ({ ...p })) };
  }

  /** User ids currently reacting with `emoji` on a message. */
  reactors(messageID: string, emoji: string): string[] {
    return this.messages.reactors(messageID, emojiKey(emoji));
  }

  /** The id of the user at a pool index (0 = most popular). */
  userIDAt(index: number): string {
    return encodeID(IdKind.User, index);
  }

  /** A number derived from the seed, for components (like traffic) that need their own randomness. */
  get seedHash(): number {
    return this.params.seedHash;
  }

  /** Whether `userID` currently reacts with `emoji` on a message. */
  hasReacted(messageID: string, emoji: string, userID: string): boolean {
    return this.messages.hasReacted(messageID, emojiKey(emoji), userID);
  }

  /**
   * A user's current status: the last one set, else a stable seeded roll (about 30% online, 10% idle, 10%
   * dnd, the rest offline).
   */
  presenceOf(userID: string): PresenceStatus {
    const set = this.presences.get(userID);
    if (set) return set;
    if (userID === this.botUser.id) return 'online';
    const roll = mix(this.params.seedHash, 0x9e5, hashString(userID)) % 10;
    return roll < 3 ? 'online' : roll < 4 ? 'idle' : roll < 5 ? 'dnd' : 'offline';
  }

  getMessage(channelID: string, messageID: string): APIMessage | undefined {
    const created = this.messages.getCreated(messageID);
    if (created) return created.channel_id === channelID ? this.messageOut(created) : undefined;
    const override = this.messages.override(messageID);
    if (override === null) return undefined;
    if (override) return override.channel_id === channelID ? this.messageOut(override) : undefined;
    const found = this.findChannel(channelID);
    const generated = found?.guild.generatedMessages.find((m) => m.id === messageID && m.channel_id === channelID);
    return generated && this.messageOut(generated);
  }

  listMessages(channelID: string, limit: number, before?: string, after?: string): APIMessage[] {
    const found = this.findChannel(channelID);
    if (!found) return [];
    const all: APIMessage[] = [];
    for (const m of found.guild.generatedMessages) {
      if (m.channel_id !== channelID) continue;
      const override = this.messages.override(m.id);
      if (override !== null) all.push(override ?? m);
    }
    all.push(...this.messages.createdIn(channelID));
    all.sort((a, b) => compareSnowflakes(b.id, a.id));
    const filtered = all.filter(
      (m) => (!before || compareSnowflakes(m.id, before) < 0) && (!after || compareSnowflakes(m.id, after) > 0)
    );
    // With only `after`, Discord returns the oldest messages after it (still newest first).
    const picked = after && !before ? filtered.slice(-limit) : filtered.slice(0, limit);
    return picked.map((m) => this.messageOut(m));
  }

  dump(): Iterable<WorldGuildDump> {
    const self = this;
    return (function* () {
      for (let i = 0; i < self.options.guilds; i++) {
        // Clean guilds are generated without entering the cache, so a dump does not evict hot ones.
        const guild = self.live.get(i) ?? self.cache.get(i) ?? generateGuild(self.params, i);
        const body = self.guildBody(guild) as unknown as Record<string, unknown>;
        body.member_count = guild.members.size;
        body.voice_states = [...guild.voiceStates.values()].map((s) => voiceStatePayload(s, guild, self, false));
        const members = self.sortedMembers(guild).map((id) => memberPayload(guild.members.get(id)!, self));
        yield { guild: body as unknown as GatewayGuildCreateDispatchData, members };
      }
    })();
  }

  onDispatch(listener: (dispatch: WorldDispatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- mutations as the bot (REST): Discord's permission and hierarchy rules apply ----------

  addMemberRole(guildID: string, userID: string, roleID: string): APIGuildMember {
    const { guild, member } = this.requireMember(guildID, userID, true);
    this.assertCanManageRole(guild, roleID);
    if (!member.roles.includes(roleID)) {
      member.roles.push(roleID);
      this.emitMemberUpdate(guild, member);
    }
    return memberPayload(member, this);
  }

  removeMemberRole(guildID: string, userID: string, roleID: string): APIGuildMember {
    const { guild, member } = this.requireMember(guildID, userID, true);
    this.assertCanManageRole(guild, roleID);
    const at = member.roles.indexOf(roleID);
    if (at >= 0) {
      member.roles.splice(at, 1);
      this.emitMemberUpdate(guild, member);
    }
    return memberPayload(member, this);
  }

  editMember(guildID: string, userID: string, patch: MemberPatch): APIGuildMember {
    const { guild, member } = this.requireMember(guildID, userID, true);
    const bot = this.botUser.id;
    const perms = basePermissions(guild, bot);
    const outranks = userID !== guild.ownerID && highestPosition(guild, bot) > highestPosition(guild, userID);
    if (patch.roles !== undefined) {
      const next = new Set(patch.roles);
      for (const id of next) if (!member.roles.includes(id)) this.assertCanManageRole(guild, id);
      for (const id of member.roles) if (!next.has(id)) this.assertCanManageRole(guild, id);
    }
    if (patch.nick !== undefined) {
      const allowed =
        userID === bot
          ? (perms & (Permissions.changeNickname | Permissions.manageNicknames)) !== 0n
          : (perms & Permissions.manageNicknames) !== 0n && outranks;
      if (!allowed) throw missingPermissions();
    }
    if (patch.mute !== undefined && !(perms & Permissions.voiceMuteMembers)) throw missingPermissions();
    if (patch.deaf !== undefined && !(perms & Permissions.voiceDeafenMembers)) throw missingPermissions();
    if (patch.communication_disabled_until !== undefined && (!(perms & Permissions.moderateMembers) || !outranks)) {
      throw missingPermissions();
    }
    this.applyMemberPatch(guild, member, patch);
    return memberPayload(member, this);
  }

  createMessage(channelID: string, authorID: string, content: string): APIMessage {
    const { guild, record } = this.requireChannel(channelID);
    if (record.type === ChannelTypes.GuildCategory || record.type === ChannelTypes.GuildForum) {
      throw new WorldError(50008, 400, 'Cannot send messages in a non-text channel');
    }
    if (authorID === this.botUser.id) {
      const perms = channelPermissions(guild, authorID, record);
      if (!(perms & Permissions.viewChannel)) throw new WorldError(50001, 403, 'Missing Access');
      const isThread = record.type >= 10 && record.type <= 12;
      if (!(perms & (isThread ? Permissions.sendMessagesInThreads : Permissions.sendMessages)))
        throw missingPermissions();
    } else if (!guild.members.has(authorID)) {
      throw new WorldError(10007, 404, 'Unknown Member');
    }
    const created = message(this.messages.nextID(), channelID, authorID, content, Date.now());
    this.messages.add(created);
    const member = guild.members.get(authorID);
    this.emit('MESSAGE_CREATE', guild.id, Intents.GuildMessages, {
      ...this.messageOut(created),
      guild_id: guild.id,
      channel_type: record.type,
      ...(member ? { member: memberPayload(member, this, false) } : {})
    });
    return this.messageOut(created);
  }

  editMessage(channelID: string, messageID: string, content: string): APIMessage {
    const { guild } = this.requireChannel(channelID);
    const current = this.getMessage(channelID, messageID);
    if (!current) throw new WorldError(10008, 404, 'Unknown Message');
    if (current.author.id !== this.botUser.id)
      throw new WorldError(50005, 403, 'Cannot edit a message authored by another user');
    const edited: APIMessage = { ...current, content, edited_timestamp: new Date().toISOString() };
    if (this.messages.getCreated(messageID)) this.messages.replaceCreated(edited);
    else this.messages.setOverride(messageID, edited);
    this.emit('MESSAGE_UPDATE', guild.id, Intents.GuildMessages, { ...this.messageOut(edited), guild_id: guild.id });
    return this.messageOut(edited);
  }

  deleteMessage(channelID: string, messageID: string): void {
    const { guild, record } = this.requireChannel(channelID);
    const current = this.getMessage(channelID, messageID);
    if (!current) throw new WorldError(10008, 404, 'Unknown Message');
    if (
      current.author.id !== this.botUser.id &&
      !(channelPermissions(guild, this.botUser.id, record) & Permissions.manageMessages)
    ) {
      throw missingPermissions();
    }
    if (this.messages.getCreated(messageID)) this.messages.deleteCreated(channelID, messageID);
    else this.messages.setOverride(messageID, null);
    this.emit('MESSAGE_DELETE', guild.id, Intents.GuildMessages, {
      id: messageID,
      channel_id: channelID,
      guild_id: guild.id
    });
  }

  /**
   * `userID` reacts. When the bot acts (REST), it needs READ_MESSAGE_HISTORY and ADD_REACTIONS;
   * anyone else (the traffic driver) needs only to be a member.
   */
  addReaction(channelID: string, messageID: string, userID: string, emoji: string): void {
    const { guild, record } = this.requireChannel(channelID);
    const target = this.getMessage(channelID, messageID);
    if (!target) throw new WorldError(10008, 404, 'Unknown Message');
    const partial = this.parseEmoji(guild, emoji);
    const member = guild.members.get(userID);
    if (!member) throw new WorldError(10007, 404, 'Unknown Member');
    if (userID === this.botUser.id) {
      const perms = channelPermissions(guild, userID, record);
      if (!(perms & Permissions.viewChannel)) throw new WorldError(50001, 403, 'Missing Access');
      if (!(perms & Permissions.readMessageHistory) || !(perms & Permissions.addReactions)) throw missingPermissions();
    }
    if (!this.messages.addReaction(messageID, emojiKey(emoji), userID)) return;
    this.emit('MESSAGE_REACTION_ADD', guild.id, Intents.GuildMessageReactions, {
      user_id: userID,
      channel_id: channelID,
      message_id: messageID,
      guild_id: guild.id,
      member: memberPayload(member, this),
      emoji: partial,
      message_author_id: target.author.id,
      burst: false,
      burst_colors: [],
      type: 0
    });
  }

  /** `actorID` (default: the user themself) removes `userID`'s reaction; others' need MANAGE_MESSAGES. */
  removeReaction(channelID: string, messageID: string, userID: string, emoji: string, actorID = userID): void {
    const { guild, record } = this.requireChannel(channelID);
    if (!this.getMessage(channelID, messageID)) throw new WorldError(10008, 404, 'Unknown Message');
    const partial = this.parseEmoji(guild, emoji);
    if (actorID === this.botUser.id && userID !== actorID) {
      if (!(channelPermissions(guild, actorID, record) & Permissions.manageMessages)) throw missingPermissions();
    }
    if (!this.messages.removeReaction(messageID, emojiKey(emoji), userID)) return;
    this.emit('MESSAGE_REACTION_REMOVE', guild.id, Intents.GuildMessageReactions, {
      user_id: userID,
      channel_id: channelID,
      message_id: messageID,
      guild_id: guild.id,
      emoji: partial,
      burst: false,
      type: 0
    });
  }

  // ---- mutations by "other users" (traffic driver): no bot permission checks ---------------

  /** A user joins. Returns false when they already were a member. */
  addMember(guildID: string, userID: string): boolean {
    if (!this.getUser(userID)) throw new WorldError(10013, 404, 'Unknown User');
    const guild = this.mutable(this.requireIndex(guildID));
    if (guild.members.has(userID)) return false;
    const record: MemberRecord = {
      userID,
      nick: null,
      roles: [],
      joinedAt: Date.now(),
      mute: false,
      deaf: false,
      communicationDisabledUntil: null
    };
    guild.members.set(userID, record);
    guild.sortedMemberIDs = null;
    this.emit('GUILD_MEMBER_ADD', guild.id, Intents.GuildMembers, {
      ...memberPayload(record, this),
      guild_id: guild.id
    });
    return true;
  }

  /** A member leaves (never the bot). Returns false when they were not a member. */
  removeMember(guildID: string, userID: string): boolean {
    if (userID === this.botUser.id || userID === this.requireGuild(guildID).ownerID) return false;
    const guild = this.mutable(this.requireIndex(guildID));
    if (!guild.members.delete(userID)) return false;
    guild.sortedMemberIDs = null;
    guild.voiceStates.delete(userID);
    this.emit('GUILD_MEMBER_REMOVE', guild.id, Intents.GuildMembers, { guild_id: guild.id, user: this.user(userID) });
    return true;
  }

  /** A moderator (not the bot) edits a member. */
  moderateMember(guildID: string, userID: string, patch: MemberPatch): APIGuildMember {
    const { guild, member } = this.requireMember(guildID, userID, true);
    for (const id of patch.roles ?? []) if (!guild.roles.has(id)) throw new WorldError(10011, 404, 'Unknown Role');
    this.applyMemberPatch(guild, member, patch);
    return memberPayload(member, this);
  }

  /**
   * A moderator edits a role's name, color or permissions; emits GUILD_ROLE_UPDATE. No bot permission checks.
   */
  updateRole(guildID: string, roleID: string, patch: { name?: string; color?: number; permissions?: string }): APIRole {
    const guild = this.mutable(this.requireIndex(guildID));
    const role = guild.roles.get(roleID);
    if (!role) throw new WorldError(10011, 404, 'Unknown Role');
    if (patch.name !== undefined) role.name = patch.name;
    if (patch.color !== undefined) {
      role.color = patch.color;
      role.colors = { primary_color: patch.color, secondary_color: null, tertiary_color: null };
    }
    if (patch.permissions !== undefined) role.permissions = patch.permissions;
    this.emit('GUILD_ROLE_UPDATE', guild.id, Intents.Guilds, { guild_id: guild.id, role: { ...role } });
    return { ...role };
  }

  /**
   * A moderator creates a role at position 1, shifting the roles above it up; emits GUILD_ROLE_CREATE, then
   * GUILD_ROLE_UPDATE for each shifted role, as Discord does.
   */
  createRole(guildID: string, name: string): APIRole {
    const guild = this.mutable(this.requireIndex(guildID));
    const id = encodeID(IdKind.Role, guild.index, guild.nextRoleSlot++);
    const role: APIRole = {
      id,
      name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: 1,
      permissions: '0',
      managed: false,
      mentionable: false,
      flags: 0 as RoleFlags
    };
    // New roles go in at position 1; everything above shifts up, as in Discord.
    const shifted: APIRole[] = [];
    for (const other of guild.roles.values()) {
      if (other.position >= 1) {
        other.position++;
        shifted.push(other);
      }
    }
    guild.roles.set(id, role);
    this.emit('GUILD_ROLE_CREATE', guild.id, Intents.Guilds, { guild_id: guild.id, role: { ...role } });
    // Discord announces every role whose position moved; without these a client's positions drift
    // (found by test/client/cacheExact.test.ts).
    this.emitRoleUpdates(guild, shifted);
    return { ...role };
  }

  /**
   * A moderator deletes a role (not `@everyone` or the bot's own): members lose it, reaction-role pairs using
   * it are dropped, and roles above shift down; emits GUILD_ROLE_DELETE and the GUILD_ROLE_UPDATEs.
   */
  deleteRole(guildID: string, roleID: string): void {
    const guild = this.mutable(this.requireIndex(guildID));
    const role = guild.roles.get(roleID);
    if (!role || roleID === guild.id || roleID === guild.botRoleID) throw new WorldError(10011, 404, 'Unknown Role');
    guild.roles.delete(roleID);
    const shifted: APIRole[] = [];
    for (const other of guild.roles.values()) {
      if (other.position > role.position) {
        other.position--;
        shifted.push(other);
      }
    }
    for (const member of guild.members.values()) {
      const at = member.roles.indexOf(roleID);
      if (at >= 0) member.roles.splice(at, 1);
    }
    guild.reactionRoles.pairs = guild.reactionRoles.pairs.filter((p) => p.roleID !== roleID);
    this.emit('GUILD_ROLE_DELETE', guild.id, Intents.Guilds, { guild_id: guild.id, role_id: roleID });
    this.emitRoleUpdates(guild, shifted);
  }

  private emitRoleUpdates(guild: GuildData, roles: readonly APIRole[]): void {
    for (const role of roles) {
      this.emit('GUILD_ROLE_UPDATE', guild.id, Intents.Guilds, { guild_id: guild.id, role: { ...role } });
    }
  }

  /** A moderator renames a channel or thread or sets its topic; emits CHANNEL_UPDATE or THREAD_UPDATE. */
  updateChannel(channelID: string, patch: { name?: string; topic?: string | null }): APIChannel {
    const found = this.findChannel(channelID);
    if (!found) throw new WorldError(10003, 404, 'Unknown Channel');
    const guild = this.mutable(found.guild.index);
    const record = guild.channels.get(channelID) ?? guild.threads.get(channelID)!;
    if (patch.name !== undefined) record.name = patch.name;
    if (patch.topic !== undefined && 'topic' in record.extra) record.extra.topic = patch.topic;
    const isThread = guild.threads.has(channelID);
    const payload = this.channelOut(record, guild.id);
    this.emit(isThread ? 'THREAD_UPDATE' : 'CHANNEL_UPDATE', guild.id, Intents.Guilds, payload);
    return payload;
  }

  /** A moderator creates a text channel; emits CHANNEL_CREATE. */
  createChannel(guildID: string, name: string): APIChannel {
    const guild = this.mutable(this.requireIndex(guildID));
    const id = encodeID(IdKind.Channel, guild.index, guild.nextChannelSlot++);
    const record: ChannelRecord = {
      id,
      type: ChannelTypes.GuildText,
      name,
      position: guild.channels.size,
      parent_id: null,
      permission_overwrites: [],
      flags: 0,
      extra: { topic: null, nsfw: false, rate_limit_per_user: 0, last_message_id: null }
    };
    guild.channels.set(id, record);
    const payload = this.channelOut(record, guild.id);
    this.emit('CHANNEL_CREATE', guild.id, Intents.Guilds, payload);
    return payload;
  }

  /**
   * A moderator deletes a channel (with its threads, in one CHANNEL_DELETE, as Discord does) or a thread
   * (THREAD_DELETE). The reaction-role and system channels cannot be deleted (10003).
   */
  deleteChannel(channelID: string): void {
    const found = this.findChannel(channelID);
    if (!found || found.guild.reactionRoles.channelID === channelID || found.guild.systemChannelID === channelID) {
      throw new WorldError(10003, 404, 'Unknown Channel');
    }
    const guild = this.mutable(found.guild.index);
    const record = guild.channels.get(channelID) ?? guild.threads.get(channelID)!;
    const payload = this.channelOut(record, guild.id);
    if (guild.threads.delete(channelID)) {
      this.emit('THREAD_DELETE', guild.id, Intents.Guilds, {
        id: channelID,
        guild_id: guild.id,
        parent_id: record.parent_id,
        type: record.type
      });
      return;
    }
    guild.channels.delete(channelID);
    // Discord deletes a channel's threads with it (one CHANNEL_DELETE, no THREAD_DELETEs); the
    // world kept them as orphans (found by test/client/cacheExact.test.ts).
    for (const thread of [...guild.threads.values()]) {
      if (thread.parent_id === channelID) guild.threads.delete(thread.id);
    }
    this.emit('CHANNEL_DELETE', guild.id, Intents.Guilds, payload);
  }

  /** Set a member's status and emit PRESENCE_UPDATE (gated by GUILD_PRESENCES). */
  setPresence(guildID: string, userID: string, status: PresenceStatus): void {
    const guild = this.requireGuild(guildID);
    if (!guild.members.has(userID)) throw new WorldError(10007, 404, 'Unknown Member');
    this.presences.set(userID, status);
    this.emit('PRESENCE_UPDATE', guild.id, Intents.GuildPresences, presencePayload(userID, status, guild.id));
  }

  /** A member starts typing in a channel; emits TYPING_START. */
  typing(channelID: string, userID: string): void {
    const { guild } = this.requireChannel(channelID);
    const member = guild.members.get(userID);
    if (!member) throw new WorldError(10007, 404, 'Unknown Member');
    this.emit('TYPING_START', guild.id, Intents.GuildMessageTyping, {
      channel_id: channelID,
      guild_id: guild.id,
      user_id: userID,
      timestamp: Math.floor(Date.now() / 1000),
      member: memberPayload(member, this)
    });
  }

  /** Text channels of a guild that messages and typing can go to. */
  textChannelIDs(guildID: string): string[] {
    const guild = this.requireGuild(guildID);
    return [...guild.channels.values()].filter((c) => c.type === ChannelTypes.GuildText).map((c) => c.id);
  }

  /** Ids of a guild's roles that traffic may edit (not @everyone, not managed). */
  editableRoleIDs(guildID: string): string[] {
    const guild = this.requireGuild(guildID);
    return [...guild.roles.values()].filter((r) => r.id !== guild.id && !r.managed).map((r) => r.id);
  }

  // ---- internals -----------------------------------------------------------------------------

  private emit(t: WorldDispatch['t'], guildID: string | null, intent: number, d: unknown): void {
    const dispatch: WorldDispatch = { t, d, guildID, intent };
    for (const listener of this.listeners) listener(dispatch);
  }

  private emitMemberUpdate(guild: GuildData, member: MemberRecord): void {
    this.emit('GUILD_MEMBER_UPDATE', guild.id, Intents.GuildMembers, {
      ...memberPayload(member, this),
      guild_id: guild.id
    });
  }

  private applyMemberPatch(guild: GuildData, member: MemberRecord, patch: MemberPatch): void {
    if (patch.nick !== undefined) member.nick = patch.nick === '' ? null : patch.nick;
    if (patch.roles !== undefined) member.roles = [...new Set(patch.roles)].filter((id) => id !== guild.id);
    if (patch.mute !== undefined) member.mute = patch.mute;
    if (patch.deaf !== undefined) member.deaf = patch.deaf;
    if (patch.communication_disabled_until !== undefined)
      member.communicationDisabledUntil = patch.communication_disabled_until;
    this.emitMemberUpdate(guild, member);
  }

  /** §6.5: the bot needs MANAGE_ROLES and may touch only unmanaged roles below its highest one. */
  private assertCanManageRole(guild: GuildData, roleID: string): void {
    const role = guild.roles.get(roleID);
    if (!role || roleID === guild.id) throw new WorldError(10011, 404, 'Unknown Role');
    const bot = this.botUser.id;
    if (!(basePermissions(guild, bot) & Permissions.manageRoles)) throw missingPermissions();
    if (role.managed || role.position >= highestPosition(guild, bot)) throw missingPermissions();
  }

  private parseEmoji(guild: GuildData, emoji: string): { id: string | null; name: string; animated?: boolean } {
    const custom = /^(?:a:)?([\w~]{1,32}):(\d{1,20})$/.exec(emoji);
    if (custom) {
      const known = guild.emojis.find((e) => e.id === custom[2]);
      if (!known) throw new WorldError(10014, 400, 'Unknown Emoji');
      return { id: custom[2], name: known.name ?? custom[1], animated: known.animated ?? false };
    }
    if (emoji.length === 0 || emoji.length > 16 || /[\s:]/.test(emoji))
      throw new WorldError(10014, 400, 'Unknown Emoji');
    return { id: null, name: emoji };
  }

  private messageOut(m: APIMessage): APIMessage {
    return { ...m, author: this.user(m.author.id) };
  }

  private channelOut(record: ChannelRecord, guildID: string | undefined): APIChannel {
    const payload = channelPayload(record, guildID) as unknown as Record<string, unknown>;
    const last = this.messages.lastMessageID(record.id);
    if (last && 'last_message_id' in payload) payload.last_message_id = last;
    return payload as unknown as APIChannel;
  }

  /** Guild body with channels, threads, stage instances (shared by GUILD_CREATE and dump). */
  private guildBody(guild: GuildData): GatewayGuildCreateDispatchData {
    const out = guildPayload(guild) as unknown as Record<string, unknown>;
    out.channels = [...guild.channels.values()].map((c) => this.channelOut(c, undefined));
    out.threads = [...guild.threads.values()].map((c) => this.channelOut(c, guild.id));
    out.stage_instances = guild.stageInstances.map((s) => ({ ...s }));
    out.guild_scheduled_events = [];
    out.soundboard_sounds = [];
    return out as unknown as GatewayGuildCreateDispatchData;
  }

  private sortedMembers(guild: GuildData): string[] {
    if (!guild.sortedMemberIDs) guild.sortedMemberIDs = [...guild.members.keys()].sort(compareSnowflakes);
    return guild.sortedMemberIDs;
  }

  private indexOfGuild(guildID: string): number | undefined {
    const decoded = decodeID(guildID);
    if (!decoded || decoded.kind !== IdKind.Guild || decoded.index >= this.options.guilds) return undefined;
    return guildIDFor(this.params.seedHash, decoded.index) === guildID ? decoded.index : undefined;
  }

  private requireIndex(guildID: string): number {
    const index = this.indexOfGuild(guildID);
    if (index === undefined) throw new WorldError(10004, 404, 'Unknown Guild');
    return index;
  }

  private requireGuild(guildID: string): GuildData {
    return this.guild(this.requireIndex(guildID));
  }

  private requireMember(guildID: string, userID: string, forChange: boolean) {
    const index = this.requireIndex(guildID);
    const guild = forChange ? this.mutable(index) : this.guild(index);
    const member = guild.members.get(userID);
    if (!member) throw new WorldError(10007, 404, 'Unknown Member');
    return { guild, member };
  }

  private findChannel(channelID: string): { guild: GuildData; record: ChannelRecord } | undefined {
    const decoded = decodeID(channelID);
    if (!decoded || decoded.kind !== IdKind.Channel || decoded.index >= this.options.guilds) return undefined;
    const guild = this.guild(decoded.index);
    const record = guild.channels.get(channelID) ?? guild.threads.get(channelID);
    return record && { guild, record };
  }

  private requireChannel(channelID: string): { guild: GuildData; record: ChannelRecord } {
    const found = this.findChannel(channelID);
    if (!found) throw new WorldError(10003, 404, 'Unknown Channel');
    return found;
  }

  /** A guild for reading: live state, else the LRU, else freshly generated. */
  private guild(index: number): GuildData {
    const live = this.live.get(index);
    if (live) return live;
    let guild = this.cache.get(index);
    if (guild) {
      this.cache.delete(index);
    } else {
      guild = generateGuild(this.params, index);
      if (this.cache.size >= GUILD_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(index, guild);
    return guild;
  }

  /** A guild about to change: moved into live state for good. */
  private mutable(index: number): GuildData {
    const live = this.live.get(index);
    if (live) return live;
    const guild = this.guild(index);
    this.cache.delete(index);
    this.live.set(index, guild);
    return guild;
  }
}

function missingPermissions(): WorldError {
  return new WorldError(50013, 403, 'Missing Permissions');
}

/** Custom emoji are keyed by id (names may change), Unicode ones by the character. */
function emojiKey(emoji: string): string {
  const custom = /:(\d{1,20})$/.exec(emoji);
  return custom ? custom[1] : emoji;
}

function validateOptions(options: WorldOptions): Required<WorldOptions> {
  const fail = (name: string, expected: string, value: unknown) =>
    new TypeError(`World option "${name}" must be ${expected} (received ${String(value)})`);
  if (typeof options !== 'object' || options === null) throw new TypeError('World options must be an object');
  const { seed, guilds } = options;
  if (typeof seed !== 'string' && !(typeof seed === 'number' && Number.isFinite(seed)))
    throw fail('seed', 'a string or a finite number', seed);
  if (!Number.isInteger(guilds) || guilds < 1 || guilds > 10_000_000)
    throw fail('guilds', 'an integer from 1 to 10,000,000', guilds);
  const users = options.users ?? Math.max(100, guilds * 10);
  if (!Number.isInteger(users) || users < 10 || users > 1_000_000_000)
    throw fail('users', 'an integer from 10 to 1e9', users);
  const averageMembers = options.averageMembers ?? 50;
  if (typeof averageMembers !== 'number' || !(averageMembers >= 2) || averageMembers > 10_000) {
    throw fail('averageMembers', 'a number from 2 to 10,000', averageMembers);
  }
  const zipfExponent = options.zipfExponent ?? 1.1;
  if (typeof zipfExponent !== 'number' || !(zipfExponent > 0) || zipfExponent > 5)
    throw fail('zipfExponent', 'a number in (0, 5]', zipfExponent);
  const largeGuildFraction = options.largeGuildFraction ?? 0.02;
  if (typeof largeGuildFraction !== 'number' || !(largeGuildFraction >= 0 && largeGuildFraction < 1)) {
    throw fail('largeGuildFraction', 'a number in [0, 1)', largeGuildFraction);
  }
  return { seed, guilds, users, averageMembers, zipfExponent, largeGuildFraction };
}
