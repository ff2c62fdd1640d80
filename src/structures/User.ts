import type { APIAvatarDecorationData, APIUser } from 'discord-api-types/v10';
import { Base } from './Base.js';
import { CDN_URL, formatImage, type ImageFormat } from './cdn.js';

/** A user payload as it arrives (full) or as a member's stored form carries it (`{ id }` only). */
export type UserPayload = Pick<APIUser, 'id'> & Partial<Omit<APIUser, 'id'>>;

const BOT = 1;
const SYSTEM = 2;
/** Bits 2+ of `_bits` hold the discriminator as a number (0 for the new username system). */
const DISCRIMINATOR_SHIFT = 2;

/** Fields only REST or rare gateway payloads carry; allocated only for users that have them. */
interface UserExtra {
  banner: string | null | undefined;
  accentColor: number | null | undefined;
  avatarDecorationData: APIAvatarDecorationData | null | undefined;
}

/**
 * A Discord user. One instance per id lives in the client's `users` collection and every Member
 * of that user points at it. Booleans and the discriminator share one small integer; banner,
 * accent colour and avatar decoration live in a side object that most users never allocate.
 */
export class User extends Base {
  readonly id: string;
  /** The user's username (2–32 characters). */
  username: string;
  /** Display name, if set. */
  globalName: string | null;
  /** Avatar hash, or null. */
  avatar: string | null;
  /** Public flags bitfield. */
  publicFlags: number;
  private _bits: number;
  private _extra: UserExtra | null;
  /** `extra` is accepted for the collection contract and unused: a user needs no back-reference. */
  constructor(data: UserPayload, _extra?: unknown) {
    super();
    this.id = data.id;
    this.username = typeof data.username === 'string' ? data.username : '';
    this.globalName = data.global_name ?? null;
    this.avatar = data.avatar ?? null;
    this.publicFlags = typeof data.public_flags === 'number' ? data.public_flags : 0;
    this._bits =
      (data.bot ? BOT : 0) |
      (data.system ? SYSTEM : 0) |
      (parseDiscriminator(data.discriminator) << DISCRIMINATOR_SHIFT);
    this._extra = null;
    this.applyExtra(data);
  }

  /** Apply a partial payload (Eris semantics: absent keys leave fields as they are). */
  update(data: Partial<UserPayload>): void {
    // Strings are replaced only when they changed: every member event carries its user, and storing
    // each event's fresh (young) copy in a long-lived User would promote three strings per event.
    if (data.username !== undefined && data.username !== this.username) this.username = data.username;
    if (data.global_name !== undefined && data.global_name !== this.globalName) this.globalName = data.global_name;
    if (data.avatar !== undefined && data.avatar !== this.avatar) this.avatar = data.avatar;
    if (data.public_flags !== undefined) this.publicFlags = data.public_flags;
    if (data.bot !== undefined) this._bits = data.bot ? this._bits | BOT : this._bits & ~BOT;
    if (data.system !== undefined) this._bits = data.system ? this._bits | SYSTEM : this._bits & ~SYSTEM;
    if (data.discriminator !== undefined) {
      this._bits = (this._bits & (BOT | SYSTEM)) | (parseDiscriminator(data.discriminator) << DISCRIMINATOR_SHIFT);
    }
    this.applyExtra(data);
  }

  private applyExtra(data: Partial<UserPayload>): void {
    if (data.banner === undefined && data.accent_color === undefined && data.avatar_decoration_data === undefined)
      return;
    const extra = (this._extra ??= { banner: undefined, accentColor: undefined, avatarDecorationData: undefined });
    if (data.banner !== undefined) extra.banner = data.banner;
    if (data.accent_color !== undefined) extra.accentColor = data.accent_color;
    if (data.avatar_decoration_data !== undefined) extra.avatarDecorationData = data.avatar_decoration_data;
  }

  get bot(): boolean {
    return (this._bits & BOT) !== 0;
  }

  get system(): boolean {
    return (this._bits & SYSTEM) !== 0;
  }

  /** "0" for users on the new username system, else the four-digit legacy tag. */
  get discriminator(): string {
    const value = this._bits >>> DISCRIMINATOR_SHIFT;
    return value === 0 ? '0' : String(value).padStart(4, '0');
  }

  get banner(): string | null | undefined {
    return this._extra?.banner;
  }

  get accentColor(): number | null | undefined {
    return this._extra?.accentColor;
  }

  get avatarDecorationData(): APIAvatarDecorationData | null | undefined {
    return this._extra?.avatarDecorationData;
  }

  get mention(): string {
    return `<@${this.id}>`;
  }

  /** Index of the default avatar: (id >> 22) % 6 on the new system, discriminator % 5 before. */
  get defaultAvatar(): number {
    const discriminator = this._bits >>> DISCRIMINATOR_SHIFT;
    return discriminator === 0 ? Number((BigInt(this.id) >> 22n) % 6n) : discriminator % 5;
  }

  get defaultAvatarURL(): string {
    return `${CDN_URL}/embed/avatars/${this.defaultAvatar}.png`;
  }

  get avatarURL(): string {
    return this.avatar ? formatImage(`/avatars/${this.id}/${this.avatar}`) : this.defaultAvatarURL;
  }

  get staticAvatarURL(): string {
    return this.avatar ? formatImage(`/avatars/${this.id}/${this.avatar}`, 'jpg') : this.defaultAvatarURL;
  }

  get bannerURL(): string | null {
    const banner = this.banner;
    return banner ? formatImage(`/banners/${this.id}/${banner}`) : null;
  }

  /**
   * CDN URL of the avatar in `format` (default: gif when animated, else the configured default) and `size` (a
   * power of two 16..4096); the default avatar when the user has none.
   */
  dynamicAvatarURL(format?: ImageFormat, size?: number): string {
    return this.avatar ? formatImage(`/avatars/${this.id}/${this.avatar}`, format, size) : this.defaultAvatarURL;
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON([
      'accentColor',
      'avatar',
      'avatarDecorationData',
      'banner',
      'bot',
      'discriminator',
      'globalName',
      'publicFlags',
      'system',
      'username',
      ...props
    ]);
  }

  /** The API form of the fields this structure keeps (what a remote store holds for a user). */
  toRaw(): APIUser {
    const raw: APIUser = {
      id: this.id,
      username: this.username,
      discriminator: this.discriminator,
      global_name: this.globalName,
      avatar: this.avatar
    };
    if (this.bot) raw.bot = true;
    if (this.system) raw.system = true;
    if (this.publicFlags !== 0) raw.public_flags = this.publicFlags;
    if (this._extra) {
      if (this._extra.banner !== undefined) raw.banner = this._extra.banner;
      if (this._extra.accentColor !== undefined) raw.accent_color = this._extra.accentColor;
      if (this._extra.avatarDecorationData !== undefined) raw.avatar_decoration_data = this._extra.avatarDecorationData;
    }
    return raw;
  }

  /** A value read back from a remote store is usable as a user when it has a snowflake id. */
  static isStored(value: unknown): boolean {
    return isObjectWithID(value) && (value.username === undefined || typeof value.username === 'string');
  }
}

function parseDiscriminator(value: unknown): number {
  if (typeof value !== 'string') return 0;
  const n = Number.parseInt(value, 10);
  return Number.isInteger(n) && n > 0 && n <= 9999 ? n : 0;
}

/** Shared by isStored checks: an object whose `id` is a decimal snowflake string. */
export function isObjectWithID(value: unknown): value is { id: string } & Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { id?: unknown }).id === 'string' &&
    /^\d{1,20}$/.test((value as { id: string }).id)
  );
}
