import type { APIEmoji, APIRole, APIStageInstance, GatewayGuildCreateDispatchData } from 'discord-api-types/v10';
import type { Collection } from '../cache/Collection.js';
import type { FetchAllMembersOptions } from '../fleet/MemberChunkScheduler.js';
import { guildPermissions, type MemberPermissionInput } from '../permissions/compute.js';
import { OverwritePool, type OverwriteRunOwner } from '../permissions/overwrites.js';
import { AthenaError } from '../util/errors.js';
import { Base } from './Base.js';
import { formatImage } from './cdn.js';
import { ChannelStore } from './channels/ChannelStore.js';
import { shareBuffer } from './channels/ChannelTable.js';
import { UncachedMemberError } from './channels/errors.js';
import { createGuildChannel, isThreadPayload } from './channels/factory.js';
import type { ThreadChannel } from './channels/ThreadChannel.js';
import type { AnyGuildChannel, AnyThreadChannel, ChannelPayload } from './channels/types.js';
import { ID_NONE, ID_UNPACKED, packedLow, packHigh, unpackID } from './compactID.js';
import type { StructureContext } from './context.js';
import type { Emoji } from './Emoji.js';
import { EmojiStore } from './emojis/EmojiStore.js';
import {
  DEFAULT_GUILD_SETTINGS,
  editableSettings,
  emptyGuildExtra,
  extraDefault,
  GUILD_EXTRA_KEYS,
  GUILD_SETTING_KEYS,
  type GuildExtra,
  type GuildExtraKey,
  type GuildSettings,
  internSettings,
  type JoinedAtBox,
  joinedAtOf,
  joinLabel,
  labelIcon,
  labelName,
  splitJoinedAt
} from './guildFields.js';
import { EMPTY_STRINGS, internString, internStringList } from './intern.js';
import type { Member, MemberPayload } from './Member.js';
import { MemberStore } from './members/MemberStore.js';
import { Permission } from './Permission.js';
import type { MemberPresence, PresencePayload } from './Presence.js';
import type { Role } from './Role.js';
import { RoleStore } from './roles/RoleStore.js';
import type { StageInstance } from './StageInstance.js';
import { parseTimestamp } from './time.js';
import type { VoiceState, VoiceStatePayload } from './VoiceState.js';

/** GUILD_CREATE, a REST guild, or the unavailable form `{ id, unavailable: true }`. */
export type GuildPayload = Partial<GatewayGuildCreateDispatchData> & { id: string };

/** Distinct role sets a guild shares among its members before the table starts over. */
const ROLE_SET_LIMIT = 4096;

/**
 * A guild. Its collections come from the context's cache factories (members receive the guild);
 * threads, voice states, stage instances and emojis are created on first use, so the many guilds
 * that have none carry no empty Map for them.
 *
 * The guild is also the interning point for its members: `internRoles` hands out one frozen array
 * per distinct role set, whose ids are the role map's own strings.
 */
export class Guild extends Base implements OverwriteRunOwner {
  readonly id: string;
  readonly context: StructureContext;
  readonly members: Collection<string, Member, MemberPayload>;
  readonly roles: Collection<string, Role, APIRole>;
  readonly channels: Collection<string, AnyGuildChannel, ChannelPayload>;
  ownerID: string;
  memberCount: number;
  /** The name and icon hash in one string (guildFields.ts, joinLabel); accessors below. */
  private _label: string;
  /** Join time: whole seconds since 1970, or -1 (then `_joinedRest` is the value: splitJoinedAt). */
  private _joinedSeconds: number;
  /** The join time's millisecond remainder, or (seconds -1) null or the join time boxed. */
  private _joinedRest: number | JoinedAtBox | null;
  // Stored in the shared settings object (see guildFields.ts); accessors installed below.
  declare unavailable: boolean;
  declare large: boolean;
  declare features: readonly string[];
  declare afkTimeout: number;
  declare verificationLevel: number;
  declare defaultNotifications: number;
  declare explicitContentFilter: number;
  declare mfaLevel: number;
  declare nsfwLevel: number;
  declare premiumTier: number;
  declare premiumSubscriptionCount: number | undefined;
  declare premiumProgressBarEnabled: boolean;
  declare preferredLocale: string;
  declare systemChannelFlags: number;
  declare maxMembers: number | undefined;
  declare maxPresences: number | null | undefined;
  declare maxVideoChannelUsers: number | undefined;
  declare maxStageVideoChannelUsers: number | undefined;
  declare widgetEnabled: boolean | undefined;
  // Stored in the side object only guilds with one of them allocate; accessors installed below.
  declare afkChannelID: string | null;
  declare rulesChannelID: string | null;
  declare publicUpdatesChannelID: string | null;
  declare safetyAlertsChannelID: string | null;
  declare applicationID: string | null;
  declare description: string | null;
  declare vanityURL: string | null;
  declare banner: string | null;
  declare splash: string | null;
  declare discoverySplash: string | null;
  declare widgetChannelID: string | null | undefined;
  /** The system channel id as two words (compactID.ts): ID_NONE for null, ID_UNPACKED: see below. */
  private _systemChannelHigh: number;
  /** The id's low word, or the id itself when it does not pack (`_systemChannelHigh` ID_UNPACKED). */
  private _systemChannelLow: number | string;
  private _settings: GuildSettings;
  private _extra: GuildExtra | null;
  private _threads: Collection<string, AnyThreadChannel, ChannelPayload> | null;
  private _voiceStates: Collection<string, VoiceState, VoiceStatePayload> | null;
  private _presences: Collection<string, MemberPresence, PresencePayload> | null;
  private _stageInstances: Collection<string, StageInstance, APIStageInstance> | null;
  private _emojis: Collection<string, Emoji, APIEmoji> | null;
  private _roleSets: Map<string, readonly string[]> | null;
  private _overwritePool: OverwritePool | null;

  static {
    for (const key of GUILD_SETTING_KEYS) {
      Object.defineProperty(Guild.prototype, key, {
        configurable: true,
        get(this: Guild) {
          return this._settings[key];
        },
        set(this: Guild, value: unknown) {
          this._settings = internSettings({ ...this._settings, [key]: value });
        }
      });
    }
    for (const key of GUILD_EXTRA_KEYS) {
      if (key === 'widgetChannelID') continue;
      Object.defineProperty(Guild.prototype, key, {
        configurable: true,
        get(this: Guild) {
          return this._extra === null ? extraDefault(key) : this._extra[key];
        },
        set(this: Guild, value: string | null) {
          this.setExtra(key, value);
        }
      });
    }
    // A channel id in the side object; null or undefined (Discord sends null) in the shared settings.
    Object.defineProperty(Guild.prototype, 'widgetChannelID', {
      configurable: true,
      get(this: Guild) {
        const id = this._extra?.widgetChannelID;
        if (typeof id === 'string') return id;
        return this._settings.widgetChannelNull ? null : undefined;
      },
      set(this: Guild, value: string | null | undefined) {
        this.setWidgetChannel(value);
      }
    });
  }

  constructor(data: GuildPayload, context: StructureContext) {
    super();
    this.id = data.id;
    this.context = context;
    this._label = joinLabel('', null);
    this.ownerID = '';
    this.memberCount = 0;
    [this._joinedSeconds, this._joinedRest] = splitJoinedAt(parseTimestamp(data.joined_at));
    this._systemChannelHigh = ID_NONE;
    this._systemChannelLow = 0;
    this._settings = DEFAULT_GUILD_SETTINGS;
    this._extra = null;
    this._threads = null;
    this._voiceStates = null;
    this._presences = null;
    this._stageInstances = null;
    this._emojis = null;
    this._roleSets = null;
    this._overwritePool = null;
    this.update(data);
    // Collections after the scalar fields: factories may read the guild (e.g. its id for a namespace).
    this.roles = context.cache.roles(this);
    this.channels = context.cache.channels(this);
    this.members = context.cache.members(this);
    this.load(data);
  }

  /** Fill the collections from a GUILD_CREATE: roles first (members intern their ids), categories first. */
  private load(data: GuildPayload): void {
    if (Array.isArray(data.roles)) {
      if (this.roles instanceof RoleStore) this.roles.load(data.roles);
      else for (const role of data.roles) this.roles.add(role, this);
    }
    if (Array.isArray(data.channels)) {
      const channels = data.channels as ChannelPayload[];
      // The pool sized once for every overwrite of the payload.
      let overwrites = 0;
      for (const channel of channels) {
        if (Array.isArray(channel?.permission_overwrites)) overwrites += channel.permission_overwrites.length;
      }
      if (overwrites > 0) this.overwritePool.reserve(overwrites);
      if (this.channels instanceof ChannelStore) this.channels.reserve(channels.length);
      // The default stores take each payload straight into their table (no channel object built).
      const store = this.channels instanceof ChannelStore ? this.channels : null;
      for (const channel of channels) {
        if (channel.type !== 4) continue;
        if (store === null) this.addChannel(channel);
        else store.load(channel);
      }
      for (const channel of channels) {
        if (channel.type === 4) continue;
        if (store === null || isThreadPayload(channel)) this.addChannel(channel);
        else store.load(channel);
      }
      // The pool was reserved for the worst case: fitted, and with the default store in one
      // ArrayBuffer with the channel rows (see shareBuffer).
      const pool = this._overwritePool;
      if (pool !== null) {
        if (this.channels instanceof ChannelStore) shareBuffer(this.channels.table, pool);
        else pool.fit();
      }
    }
    if (Array.isArray(data.threads)) {
      for (const thread of data.threads as ChannelPayload[]) {
        const threads = isThreadPayload(thread) ? this.threads : null;
        if (threads instanceof ChannelStore) threads.load(thread);
        else this.addChannel(thread);
      }
    }
    if (Array.isArray(data.members)) {
      const members = this.members;
      // The default store takes the payloads as they are: no copy of each, no Member per member.
      if (members instanceof MemberStore) members.load(data.members);
      else {
        for (const member of data.members) if (member?.user?.id) members.add({ ...member, id: member.user.id }, this);
      }
    }
    if (Array.isArray(data.emojis) && data.emojis.length > 0) {
      const emojis = this.emojis;
      // The default store takes the payloads as they are, and trims its rows once.
      if (emojis instanceof EmojiStore) emojis.load(data.emojis);
      else for (const emoji of data.emojis) if (emoji?.id) emojis.add({ ...emoji, id: emoji.id }, this);
    }
    if (Array.isArray(data.voice_states) && data.voice_states.length > 0) {
      for (const state of data.voice_states) {
        if (state?.user_id) this.voiceStates.add({ ...state, id: state.user_id }, this);
      }
    }
    // Present only with the presences intent; offline members are left out by Discord, as by the cache.
    if (Array.isArray(data.presences) && data.presences.length > 0) {
      for (const presence of data.presences as PresencePayload[]) this.applyPresence(presence);
    }
    if (Array.isArray(data.stage_instances) && data.stage_instances.length > 0) {
      for (const instance of data.stage_instances) this.stageInstances.add(instance, this);
    }
    // The owner is usually among the members just loaded: hold the cached user's id string instead
    // of the payload's copy (40 bytes a guild). `update` does the same for a GUILD_UPDATE.
    this.ownerID = this.sharedUserID(this.ownerID);
  }

  get name(): string {
    return labelName(this._label);
  }

  set name(value: string) {
    this._label = joinLabel(value, this.icon);
  }

  /** The icon hash, or null. */
  get icon(): string | null {
    return labelIcon(this._label);
  }

  set icon(value: string | null) {
    this._label = joinLabel(this.name, value);
  }

  /** ms since 1970 at which the bot joined, or null. */
  get joinedAt(): number | null {
    return joinedAtOf(this._joinedSeconds, this._joinedRest);
  }

  set joinedAt(value: number | null) {
    [this._joinedSeconds, this._joinedRest] = splitJoinedAt(value);
  }

  /** A user id as the cached user's string, else the id itself. */
  private sharedUserID(id: string): string {
    return this.context.users.peek(id)?.id ?? id;
  }

  /**
   * The system channel's id (set by most guilds). Kept packed in two words and built on read: the
   * channel cache keeps channel ids packed too, so there is no string to share with it.
   */
  get systemChannelID(): string | null {
    const high = this._systemChannelHigh;
    if (high === ID_NONE) return null;
    const low = this._systemChannelLow;
    return typeof low === 'string' ? low : unpackID(high, low);
  }

  set systemChannelID(id: string | null) {
    if (typeof id !== 'string') {
      this._systemChannelHigh = ID_NONE;
      this._systemChannelLow = 0;
      return;
    }
    // `| 0`: the field must only ever hold small integers (a double would box it in every guild).
    const high = packHigh(id) | 0;
    this._systemChannelHigh = high;
    this._systemChannelLow = high === ID_UNPACKED ? id : packedLow();
  }

  /** Apply a GUILD_UPDATE (or the scalar part of a GUILD_CREATE). Collections are left alone. */
  update(data: Partial<GuildPayload>): void {
    if (data.name !== undefined || data.icon !== undefined) {
      this._label = joinLabel(data.name ?? this.name, data.icon === undefined ? this.icon : data.icon);
    }
    if (data.owner_id !== undefined) this.ownerID = this.sharedUserID(data.owner_id);
    if (data.member_count !== undefined) this.memberCount = data.member_count;
    if (data.joined_at !== undefined) this.joinedAt = parseTimestamp(data.joined_at);
    if (data.system_channel_id !== undefined) this.systemChannelID = data.system_channel_id;
    this.updateSettings(data);
    if (data.afk_channel_id !== undefined) this.setExtra('afkChannelID', data.afk_channel_id);
    if (data.rules_channel_id !== undefined) this.setExtra('rulesChannelID', data.rules_channel_id);
    if (data.public_updates_channel_id !== undefined) {
      this.setExtra('publicUpdatesChannelID', data.public_updates_channel_id);
    }
    if (data.safety_alerts_channel_id !== undefined) {
      this.setExtra('safetyAlertsChannelID', data.safety_alerts_channel_id);
    }
    if (data.application_id !== undefined) this.setExtra('applicationID', data.application_id);
    if (data.description !== undefined) this.setExtra('description', data.description);
    if (data.vanity_url_code !== undefined) this.setExtra('vanityURL', data.vanity_url_code);
    if (data.banner !== undefined) this.setExtra('banner', data.banner);
    if (data.splash !== undefined) this.setExtra('splash', data.splash);
    if (data.discovery_splash !== undefined) this.setExtra('discoverySplash', data.discovery_splash);
    if (typeof data.widget_channel_id === 'string') this.setExtra('widgetChannelID', data.widget_channel_id);
  }

  /** Settings fields of a payload, applied to a copy of the shared settings and re-interned once. */
  private updateSettings(data: Partial<GuildPayload>): void {
    let next: ReturnType<typeof editableSettings> | null = null;
    const edit = () => (next ??= editableSettings(this._settings));
    if (data.unavailable !== undefined) edit().unavailable = data.unavailable;
    if (data.large !== undefined) edit().large = data.large;
    if (data.features !== undefined) edit().features = internStringList(data.features);
    if (data.afk_timeout !== undefined) edit().afkTimeout = data.afk_timeout;
    if (data.verification_level !== undefined) edit().verificationLevel = data.verification_level;
    if (data.default_message_notifications !== undefined) {
      edit().defaultNotifications = data.default_message_notifications;
    }
    if (data.explicit_content_filter !== undefined) edit().explicitContentFilter = data.explicit_content_filter;
    if (data.mfa_level !== undefined) edit().mfaLevel = data.mfa_level;
    if (data.nsfw_level !== undefined) edit().nsfwLevel = data.nsfw_level;
    if (data.premium_tier !== undefined) edit().premiumTier = data.premium_tier;
    if (data.premium_subscription_count !== undefined) {
      edit().premiumSubscriptionCount = data.premium_subscription_count;
    }
    if (data.premium_progress_bar_enabled !== undefined) {
      edit().premiumProgressBarEnabled = data.premium_progress_bar_enabled;
    }
    if (data.preferred_locale !== undefined) edit().preferredLocale = internString(data.preferred_locale);
    if (data.system_channel_flags !== undefined) edit().systemChannelFlags = data.system_channel_flags;
    if (data.max_members !== undefined) edit().maxMembers = data.max_members;
    if (data.max_presences !== undefined) edit().maxPresences = data.max_presences;
    if (data.max_video_channel_users !== undefined) edit().maxVideoChannelUsers = data.max_video_channel_users;
    if (data.max_stage_video_channel_users !== undefined) {
      edit().maxStageVideoChannelUsers = data.max_stage_video_channel_users;
    }
    if (data.widget_enabled !== undefined) edit().widgetEnabled = data.widget_enabled;
    // A widget channel id string goes to the side object (update); null, the usual value, is a setting.
    if (data.widget_channel_id === null) {
      if (this._extra !== null) this._extra.widgetChannelID = null;
      edit().widgetChannelNull = true;
    }
    if (next !== null) this._settings = internSettings(next);
  }

  /** widgetChannelID's setter: a string in the side object, null or undefined in the settings. */
  private setWidgetChannel(value: string | null | undefined): void {
    if (typeof value === 'string') {
      this.setExtra('widgetChannelID', value);
      return;
    }
    if (this._extra !== null) this._extra.widgetChannelID = null;
    if (this._settings.widgetChannelNull !== (value === null)) {
      this._settings = internSettings({ ...this._settings, widgetChannelNull: value === null });
    }
  }

  /** Write a rarely set field; the side object is allocated only for a non-default value. */
  private setExtra<K extends GuildExtraKey>(key: K, value: GuildExtra[K]): void {
    if (this._extra === null) {
      if (value === extraDefault(key)) return;
      this._extra = emptyGuildExtra();
    }
    this._extra[key] = value;
  }

  get threads(): Collection<string, AnyThreadChannel, ChannelPayload> {
    return (this._threads ??= this.context.cache.threads(this));
  }

  /** @internal Whether the threads collection exists (reading `threads` makes it). */
  get threadsMade(): boolean {
    return this._threads !== null;
  }

  get voiceStates(): Collection<string, VoiceState, VoiceStatePayload> {
    return (this._voiceStates ??= this.context.cache.voiceStates(this));
  }

  /**
   * Presences of members who are not offline (Eris keeps these on members), by user id. Built on first use,
   * so guilds that never receive a presence (no presences intent) hold no collection.
   */
  get presences(): Collection<string, MemberPresence, PresencePayload> {
    return (this._presences ??= this.context.cache.presences(this));
  }

  /** A user's cached presence; reading does not build the collection for a guild that has none. */
  presenceOf(userID: string): MemberPresence | undefined {
    return this._presences === null ? undefined : this._presences.get(userID);
  }

  /**
   * Apply a presence payload (GUILD_CREATE, PRESENCE_UPDATE, member chunks): update the user's presence, or
   * drop it when the user is offline (offline presences are not kept: `member.status` says 'offline' anyway).
   * A payload without a user id is ignored. Returns the cached presence, or null when none is kept.
   */
  applyPresence(data: PresencePayload): MemberPresence | null {
    const id = data?.user?.id;
    if (typeof id !== 'string') return null;
    if (data.status === 'offline') {
      this.removePresence(id);
      return null;
    }
    return this.presences.update({ ...data, id }, this);
  }

  /** Drop a user's presence without building the collection for a guild that has none. */
  removePresence(userID: string): MemberPresence | null {
    return this._presences === null ? null : this._presences.remove({ id: userID });
  }

  get stageInstances(): Collection<string, StageInstance, APIStageInstance> {
    return (this._stageInstances ??= this.context.cache.stageInstances(this));
  }

  get emojis(): Collection<string, Emoji, APIEmoji> {
    return (this._emojis ??= this.context.cache.emojis(this));
  }

  /**
   * Build a channel of the right class from a payload and put it in `channels` or (threads)
   * `threads`; an existing entry is updated in place instead.
   */
  addChannel(data: ChannelPayload): AnyGuildChannel | ThreadChannel {
    const collection = isThreadPayload(data) ? this.threads : this.channels;
    const existing = collection.get(data.id);
    if (existing !== undefined) {
      existing.update(data);
      return existing;
    }
    if (collection instanceof ChannelStore) return collection.create(data);
    const channel = createGuildChannel(data, this);
    const stored = (collection as Collection<string, typeof channel, ChannelPayload>).add(channel);
    // Not kept (a null or zero-limit collection): its overwrite run would not be relocated.
    if (collection.peek(channel.id) !== channel) channel.detach();
    return stored;
  }

  /** The overwrites of this guild's channels (see permissions/overwrites.ts), made on first use. */
  get overwritePool(): OverwritePool {
    return (this._overwritePool ??= new OverwritePool(this));
  }

  /** Called by the overwrite pool while it compacts: every channel and thread holding a run gets its new one. */
  relocateOverwriteRuns(move: (run: number) => number): void {
    for (const channel of this.channels.values()) channel.overwriteRun = move(channel.overwriteRun);
    if (this._threads !== null) {
      for (const thread of this._threads.values()) thread.overwriteRun = move(thread.overwriteRun);
    }
  }

  /** The role cache's instance of a role id, read without building a Role; undefined when not cached. */
  private storedRoleID(id: string): string | undefined {
    const roles = this.roles;
    return roles instanceof RoleStore ? roles.storedID(id) : roles.peek(id)?.id;
  }

  /** The guild's own instance of a role id (so members share its string), or the id itself. */
  internRoleID(id: string): string {
    return this.storedRoleID(id) ?? id;
  }

  /** The guild's own instance of a channel id, or the id itself. */
  internChannelID(id: string): string {
    return this.channels.peek(id)?.id ?? id;
  }

  /** For overwrites (the pool's target table): a role's id string, else a cached user's id string, else the id itself. */
  internOverwriteID(id: string): string {
    return this.storedRoleID(id) ?? this.context.users.peek(id)?.id ?? id;
  }

  /**
   * One frozen array per distinct set of role ids (in payload order), its ids being the role map's
   * strings. Members with the same roles, the usual case in a large guild, share it.
   */
  internRoles(ids: readonly unknown[] | undefined | null): readonly string[] {
    if (!Array.isArray(ids) || ids.length === 0) return EMPTY_STRINGS;
    const clean = ids.every((id) => typeof id === 'string')
      ? (ids as string[])
      : ids.filter((id) => typeof id === 'string');
    if (clean.length === 0) return EMPTY_STRINGS;
    const key = clean.length === 1 ? (clean[0] as string) : clean.join(',');
    const sets = (this._roleSets ??= new Map());
    const shared = sets.get(key);
    if (shared !== undefined) return shared;
    const set = Object.freeze(clean.map((id) => this.internRoleID(id)));
    if (sets.size >= ROLE_SET_LIMIT) sets.clear();
    sets.set(key, set);
    return set;
  }

  /** Inputs for the permission math (src/permissions) for one of this guild's members. */
  permissionInputOf(member: Member): MemberPermissionInput {
    const roles = this.roles;
    return {
      guildID: this.id,
      ownerID: this.ownerID,
      userID: member.id,
      roleIDs: member.roles,
      // A RoleStore answers from its permissions column, without building a Role per role.
      rolePermissions:
        roles instanceof RoleStore
          ? (roleID) => roles.permissionsOf(roleID)
          : (roleID) => roles.peek(roleID)?.permissionBits,
      communicationDisabledUntil: member.communicationDisabledUntil
    };
  }

  /** Eris's guild.permissionsOf: guild-level permissions of a member (or cached member id). */
  permissionsOf(memberOrID: Member | string): Permission {
    const member = typeof memberOrID === 'string' ? this.members.get(memberOrID) : memberOrID;
    if (member === undefined) throw new UncachedMemberError(this.id, memberOrID as string);
    return new Permission(guildPermissions(this.permissionInputOf(member)));
  }

  /** Hot set, then remote store, then REST (delegated to the client). Null when not a member. */
  fetchMember(memberID: string): Promise<Member | null> {
    return this.context.fetchMember(this, memberID);
  }

  /**
   * Eris's guild.fetchAllMembers: every member of the guild over the gateway (op 8), streamed into
   * `members` chunk by chunk (with a remote-backed collection: written through, hot set bounded).
   * Scheduled within Discord's one-request-per-guild-per-30 s (fleet-wide with
   * RedisMemberRequestSlots) and retried after RATE_LIMITED. Resolves with the members received.
   * A number is Eris's timeout (ms without a chunk).
   */
  fetchAllMembers(options?: number | FetchAllMembersOptions): Promise<number> {
    const fetchAll = this.context.fetchAllMembersOf;
    if (fetchAll === undefined) {
      return Promise.reject(new AthenaError(`guild ${this.id} has no client to request its members with`));
    }
    return fetchAll.call(this.context, this, typeof options === 'number' ? { timeout: options } : options);
  }

  get iconURL(): string | null {
    return this.icon ? formatImage(`/icons/${this.id}/${this.icon}`) : null;
  }

  get bannerURL(): string | null {
    return this.banner ? formatImage(`/banners/${this.id}/${this.banner}`) : null;
  }

  get splashURL(): string | null {
    return this.splash ? formatImage(`/splashes/${this.id}/${this.splash}`) : null;
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON([
      'afkChannelID',
      'afkTimeout',
      'applicationID',
      'banner',
      'channels',
      'defaultNotifications',
      'description',
      'discoverySplash',
      'emojis',
      'explicitContentFilter',
      'features',
      'icon',
      'joinedAt',
      'large',
      'maxMembers',
      'maxPresences',
      'memberCount',
      'members',
      'mfaLevel',
      'name',
      'nsfwLevel',
      'ownerID',
      'preferredLocale',
      'premiumProgressBarEnabled',
      'premiumSubscriptionCount',
      'premiumTier',
      'publicUpdatesChannelID',
      'roles',
      'rulesChannelID',
      'safetyAlertsChannelID',
      'splash',
      'stageInstances',
      'systemChannelFlags',
      'systemChannelID',
      'threads',
      'unavailable',
      'vanityURL',
      'verificationLevel',
      'voiceStates',
      ...props
    ]);
  }
}
