import type { APIAvatarDecorationData, APIGuildMember, GatewayActivity } from 'discord-api-types/v10';
import { MissingIDError } from '../cache/errors.js';
import { guildPermissions, isTimedOut } from '../permissions/compute.js';
import { Base } from './Base.js';
import { formatImage } from './cdn.js';
import type { Guild } from './Guild.js';
import { EMPTY_STRINGS } from './intern.js';
import {
  DEAF,
  FLAGS_MASK,
  FLAGS_SHIFT,
  JOIN_MS_SHIFT,
  joinedMs,
  joinSeconds,
  type MemberExtra,
  MUTE,
  nextExtra,
  PENDING,
  packBits,
  patchBits
} from './members/packing.js';
import { Permission } from './Permission.js';
import { type ClientStatus, NO_ACTIVITIES, NO_CLIENT_STATUS, type UserStatus } from './Presence.js';
import { fromEpochSeconds, toISO } from './time.js';
import { isObjectWithID, User, type UserPayload } from './User.js';
import { UserStore } from './users/UserStore.js';
import type { VoiceState } from './VoiceState.js';

/**
 * A member payload: GUILD_CREATE / GUILD_MEMBER_* / chunk members carry `user`; MESSAGE_CREATE's
 * member does not (pass `id` then); a remote store's form carries `user: { id }` only.
 */
export type MemberPayload = Partial<Omit<APIGuildMember, 'user'>> & { id?: string; user?: UserPayload };

/**
 * A member's fields already in their kept form: how a member store (`MemberStore`) builds a Member
 * from its columns without going through a payload. Not for use outside the structures.
 * @internal
 */
export class MemberRow {
  user!: User;
  roles: readonly string[] = EMPTY_STRINGS;
  nick: string | null = null;
  joined = -1;
  bits = 0;
  extra: MemberExtra | null = null;
}

/**
 * A guild member: seven slots per instance (the default `MemberStore` keeps none: it builds one per read). The user is the shared User for this id (`id` and the
 * user getters read through it); `roles` is the guild's interned array for this set of role ids
 * (and its ids are the guild's role-map strings); the join time is seconds since the Discord epoch
 * in a small integer with its millisecond remainder packed with deaf/mute/pending/flags; boost,
 * timeout, guild avatar and banner live in a side object most members never allocate.
 */
export class Member extends Base {
  // `declare`d (assigned in the constructor, no field definition) so that StoredMember can turn
  // these three into accessors that write through to its store.
  declare user: User;
  readonly guild: Guild;
  /** Role ids (frozen; shared by every member of the guild with the same roles). */
  declare roles: readonly string[];
  /** Server nickname, or null. */
  declare nick: string | null;
  /** @internal Join time: seconds since the Discord epoch, -1 for none (members/packing.ts). */
  declare protected _joined: number;
  /** @internal deaf/mute/pending/flags/join milliseconds (members/packing.ts). */
  declare protected _bits: number;
  /** @internal The rare fields, or null (members/packing.ts). */
  declare protected _extra: MemberExtra | null;

  /** From a payload (with `user`, or `id`), or (internal) a member store's row. */
  constructor(data: MemberPayload | MemberRow, guild: Guild) {
    super();
    this.guild = guild;
    if (data instanceof MemberRow) {
      this.assignRow(data);
      return;
    }
    const id = data.user?.id ?? data.id;
    if (typeof id !== 'string') throw new MissingIDError('Member');
    this.user = resolveUser(guild, id, data.user);
    this.roles = guild.internRoles(data.roles);
    this.nick = data.nick ?? null;
    const joined = joinedMs(data);
    this._joined = joinSeconds(joined);
    this._bits = packBits(data, joined);
    this._extra = nextExtra(null, data);
  }

  /**
   * Take every field from a row (a member store's columns).
   * @internal
   */
  protected assignRow(row: MemberRow): void {
    this.user = row.user;
    this.roles = row.roles;
    this.nick = row.nick;
    this._joined = row.joined;
    this._bits = row.bits;
    this._extra = row.extra;
  }

  /**
   * Copy the packed fields into `row` (a member store writing an instance into its columns).
   * @internal
   */
  toRow(row: MemberRow): MemberRow {
    row.user = this.user;
    row.roles = this.roles;
    row.nick = this.nick;
    row.joined = this._joined;
    row.bits = this._bits;
    row.extra = this._extra;
    return row;
  }

  /** Apply a partial payload (GUILD_MEMBER_UPDATE, a message's member, a voice state's member). */
  update(data: MemberPayload): void {
    if (data.user !== undefined && data.user.username !== undefined) {
      this.user = resolveUser(this.guild, this.user.id, data.user);
    }
    // Most updates (every reaction carries its member) repeat the roles already held: skip interning.
    if (data.roles !== undefined && !sameIDs(this.roles, data.roles)) this.roles = this.guild.internRoles(data.roles);
    if (data.nick !== undefined) this.nick = data.nick;
    const joined = data.joined_at === undefined ? null : joinedMs(data);
    if (data.joined_at !== undefined) this._joined = joinSeconds(joined);
    this._bits = patchBits(this._bits, data, joined);
    this._extra = nextExtra(this._extra, data);
  }

  /** The user's id (the same string instance as `user.id`). */
  get id(): string {
    return this.user.id;
  }

  /** ms since 1970 at which the member joined, or null. */
  get joinedAt(): number | null {
    return fromEpochSeconds(this._joined, (this._bits >>> JOIN_MS_SHIFT) & 0x3ff);
  }

  get deaf(): boolean {
    return (this._bits & DEAF) !== 0;
  }

  get mute(): boolean {
    return (this._bits & MUTE) !== 0;
  }

  get pending(): boolean {
    return (this._bits & PENDING) !== 0;
  }

  get flags(): number {
    return (this._bits >>> FLAGS_SHIFT) & FLAGS_MASK;
  }

  /** Guild avatar hash, or null. */
  get avatar(): string | null {
    return this._extra?.avatar ?? null;
  }

  /** Guild banner hash, or null. */
  get banner(): string | null {
    return this._extra?.banner ?? this.user.banner ?? null;
  }

  /** ms since 1970 at which the member started boosting, or null. */
  get premiumSince(): number | null {
    return this._extra?.premiumSince ?? null;
  }

  /** ms since 1970 at which the timeout ends, or null (may lie in the past). */
  get communicationDisabledUntil(): number | null {
    return this._extra?.communicationDisabledUntil ?? null;
  }

  get avatarDecorationData(): APIAvatarDecorationData | null | undefined {
    return this._extra?.avatarDecorationData ?? this.user.avatarDecorationData;
  }

  /** True while a timeout is in force. */
  get timedOut(): boolean {
    return isTimedOut(this.communicationDisabledUntil);
  }

  /** Guild-level permissions (owner, `@everyone` and roles, administrator, timeout). */
  get permissions(): Permission {
    return new Permission(guildPermissions(this.guild.permissionInputOf(this)));
  }

  get voiceState(): VoiceState | undefined {
    return this.guild.voiceStates.get(this.id);
  }

  /** Eris's `member.status`: from the guild's cached presence, 'offline' when none is cached. */
  get status(): UserStatus {
    return this.guild.presenceOf(this.id)?.status ?? 'offline';
  }

  /** Eris's `member.activities`: from the guild's cached presence, empty when none is cached. */
  get activities(): readonly GatewayActivity[] {
    return this.guild.presenceOf(this.id)?.activities ?? NO_ACTIVITIES;
  }

  /** Eris's `member.clientStatus`: from the guild's cached presence, `{}` when none is cached. */
  get clientStatus(): ClientStatus {
    return this.guild.presenceOf(this.id)?.clientStatus ?? NO_CLIENT_STATUS;
  }

  get mention(): string {
    return `<@!${this.id}>`;
  }

  get username(): string {
    return this.user.username;
  }

  get globalName(): string | null {
    return this.user.globalName;
  }

  get discriminator(): string {
    return this.user.discriminator;
  }

  get bot(): boolean {
    return this.user.bot;
  }

  get defaultAvatarURL(): string {
    return this.user.defaultAvatarURL;
  }

  get avatarURL(): string {
    const avatar = this.avatar;
    return avatar ? formatImage(`/guilds/${this.guild.id}/users/${this.id}/avatars/${avatar}`) : this.user.avatarURL;
  }

  get staticAvatarURL(): string {
    return this.user.staticAvatarURL;
  }

  /** createdAt of the user account (Eris). */
  override get createdAt(): number {
    return this.user.createdAt;
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON([
      'avatar',
      'communicationDisabledUntil',
      'deaf',
      'flags',
      'joinedAt',
      'mute',
      'nick',
      'pending',
      'premiumSince',
      'roles',
      'user',
      ...props
    ]);
  }

  /** The API form of what this structure keeps, with `user` as `{ id }` (the stored form). */
  toRaw(): APIGuildMember & { user: { id: string } } {
    const raw = {
      user: { id: this.id },
      nick: this.nick,
      avatar: this.avatar,
      banner: this._extra?.banner ?? null,
      roles: [...this.roles],
      joined_at: toISO(this.joinedAt),
      premium_since: toISO(this.premiumSince),
      deaf: this.deaf,
      mute: this.mute,
      flags: this.flags,
      pending: this.pending,
      communication_disabled_until: toISO(this.communicationDisabledUntil)
    };
    return raw as APIGuildMember & { user: { id: string } };
  }

  /** What a remote store keeps for a member: the payload with `user` replaced by `{ id }`. */
  static toStored(raw: MemberPayload): unknown {
    const id = raw.user?.id ?? raw.id;
    const { user: _user, ...rest } = raw;
    return { ...rest, user: { id } };
  }

  /** A stored member: an object with `user.id` (or `id`) a snowflake and `roles`, if present, an array. */
  static isStored(value: unknown): boolean {
    if (value === null || typeof value !== 'object') return false;
    const candidate = value as { user?: unknown; id?: unknown; roles?: unknown };
    const hasID = isObjectWithID(candidate.user) || isObjectWithID(candidate);
    return hasID && (candidate.roles === undefined || Array.isArray(candidate.roles));
  }
}

/**
 * The one User for this id: a full payload updates (or enters) the client's users collection; a
 * stored `{ id }` takes the cached instance, or a detached placeholder that is not put in the
 * collection (a store's partial must never overwrite a real user there).
 * @internal
 */
export function resolveUser(guild: Guild, id: string, data: UserPayload | undefined, hash = -1, hint?: User): User {
  const users = guild.context.users;
  if (data !== undefined && data.username !== undefined) {
    // `hash` (of `data.id`, when the caller has it) spares the default collection hashing it again.
    return hash >= 0 && users instanceof UserStore ? users.upsert(data, hash, hint) : users.update(data);
  }
  return users.get(id) ?? new User({ id });
}

/**
 * Whether a payload's role ids are exactly the ones held (same order).
 * @internal
 */
export function sameIDs(held: readonly string[], ids: readonly unknown[] | null): boolean {
  if (ids === null || ids.length !== held.length) return false;
  for (let i = 0; i < ids.length; i++) if (ids[i] !== held[i]) return false;
  return true;
}
