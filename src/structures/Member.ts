import type { APIAvatarDecorationData, APIGuildMember, GatewayActivity } from 'discord-api-types/v10';
import { MissingIDError } from '../cache/errors.js';
import { guildPermissions, isTimedOut } from '../permissions/compute.js';
import { Base } from './Base.js';
import { formatImage } from './cdn.js';
import type { Guild } from './Guild.js';
import { Permission } from './Permission.js';
import { type ClientStatus, NO_ACTIVITIES, NO_CLIENT_STATUS, type UserStatus } from './Presence.js';
import { fromEpochSeconds, msRemainder, parseTimestamp, toEpochSeconds, toISO } from './time.js';
import { isObjectWithID, User, type UserPayload } from './User.js';
import type { VoiceState } from './VoiceState.js';

/**
 * A member payload: GUILD_CREATE / GUILD_MEMBER_* / chunk members carry `user`; MESSAGE_CREATE's
 * member does not (pass `id` then); a remote store's form carries `user: { id }` only.
 */
export type MemberPayload = Partial<Omit<APIGuildMember, 'user'>> & { id?: string; user?: UserPayload };

const DEAF = 1;
const MUTE = 2;
const PENDING = 4;
const FLAGS_SHIFT = 3;
/** Member flags use bits 0–10 today; 13 bits leave room. */
const FLAGS_MASK = 0x1fff;
/** The join time's millisecond remainder (0–999, 10 bits) sits above the flags. */
const JOIN_MS_SHIFT = 16;
const LOW_MASK = (1 << JOIN_MS_SHIFT) - 1;

/** Fields few members have; allocated only for those that do. */
interface MemberExtra {
  avatar: string | null;
  banner: string | null;
  premiumSince: number | null;
  communicationDisabledUntil: number | null;
  avatarDecorationData: APIAvatarDecorationData | null | undefined;
}

/**
 * A guild member: seven slots per instance. The user is the shared User for this id (`id` and the
 * user getters read through it); `roles` is the guild's interned array for this set of role ids
 * (and its ids are the guild's role-map strings); the join time is seconds since the Discord epoch
 * in a small integer with its millisecond remainder packed with deaf/mute/pending/flags; boost,
 * timeout, guild avatar and banner live in a side object most members never allocate.
 */
export class Member extends Base {
  user: User;
  readonly guild: Guild;
  /** Role ids (frozen; shared by every member of the guild with the same roles). */
  roles: readonly string[];
  /** Server nickname, or null. */
  nick: string | null;
  private _joined: number;
  private _bits: number;
  private _extra: MemberExtra | null;

  constructor(data: MemberPayload, guild: Guild) {
    super();
    const id = data.user?.id ?? data.id;
    if (typeof id !== 'string') throw new MissingIDError('Member');
    this.guild = guild;
    this.user = resolveUser(guild, id, data.user);
    this.roles = guild.internRoles(data.roles);
    this.nick = data.nick ?? null;
    const joined = parseTimestamp(data.joined_at);
    this._joined = toEpochSeconds(joined);
    this._bits =
      (data.deaf ? DEAF : 0) |
      (data.mute ? MUTE : 0) |
      (data.pending ? PENDING : 0) |
      ((typeof data.flags === 'number' ? data.flags & FLAGS_MASK : 0) << FLAGS_SHIFT) |
      (msRemainder(joined) << JOIN_MS_SHIFT);
    this._extra = null;
    this.applyExtra(data);
  }

  /** Apply a partial payload (GUILD_MEMBER_UPDATE, a message's member, a voice state's member). */
  update(data: MemberPayload): void {
    if (data.user !== undefined && data.user.username !== undefined) {
      this.user = resolveUser(this.guild, this.user.id, data.user);
    }
    // Most updates (every reaction carries its member) repeat the roles already held: skip interning.
    if (data.roles !== undefined && !sameIDs(this.roles, data.roles)) this.roles = this.guild.internRoles(data.roles);
    if (data.nick !== undefined) this.nick = data.nick;
    let bits = this._bits;
    if (data.joined_at !== undefined) {
      const joined = parseTimestamp(data.joined_at);
      this._joined = toEpochSeconds(joined);
      bits = (bits & LOW_MASK) | (msRemainder(joined) << JOIN_MS_SHIFT);
    }
    if (data.deaf !== undefined) bits = data.deaf ? bits | DEAF : bits & ~DEAF;
    if (data.mute !== undefined) bits = data.mute ? bits | MUTE : bits & ~MUTE;
    if (data.pending !== undefined) bits = data.pending ? bits | PENDING : bits & ~PENDING;
    if (typeof data.flags === 'number') {
      bits = (bits & ~(FLAGS_MASK << FLAGS_SHIFT)) | ((data.flags & FLAGS_MASK) << FLAGS_SHIFT);
    }
    this._bits = bits;
    this.applyExtra(data);
  }

  private applyExtra(data: MemberPayload): void {
    const needed =
      data.avatar ||
      data.banner ||
      data.premium_since ||
      data.communication_disabled_until ||
      data.avatar_decoration_data;
    if (!needed && this._extra === null) return;
    const extra = (this._extra ??= {
      avatar: null,
      banner: null,
      premiumSince: null,
      communicationDisabledUntil: null,
      avatarDecorationData: undefined
    });
    if (data.avatar !== undefined) extra.avatar = data.avatar;
    if (data.banner !== undefined) extra.banner = data.banner;
    if (data.premium_since !== undefined) extra.premiumSince = parseTimestamp(data.premium_since);
    if (data.communication_disabled_until !== undefined) {
      extra.communicationDisabledUntil = parseTimestamp(data.communication_disabled_until);
    }
    if (data.avatar_decoration_data !== undefined) extra.avatarDecorationData = data.avatar_decoration_data;
  }

  /** The user's id (the same string instance as `user.id`). */
  get id(): string {
    return this.user.id;
  }

  /** ms since 1970 at which the member joined, or null. */
  get joinedAt(): number | null {
    return fromEpochSeconds(this._joined, this._bits >>> JOIN_MS_SHIFT);
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
 */
function resolveUser(guild: Guild, id: string, data: UserPayload | undefined): User {
  const users = guild.context.users;
  if (data !== undefined && data.username !== undefined) return users.update(data);
  return users.get(id) ?? new User({ id });
}

/** Whether a payload's role ids are exactly the ones held (same order). */
function sameIDs(held: readonly string[], ids: readonly unknown[] | null): boolean {
  if (ids === null || ids.length !== held.length) return false;
  for (let i = 0; i < ids.length; i++) if (ids[i] !== held[i]) return false;
  return true;
}
