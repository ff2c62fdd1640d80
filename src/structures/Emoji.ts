import type { APIEmoji } from 'discord-api-types/v10';
import { Base } from './Base.js';
import { formatImage } from './cdn.js';
import type { Guild } from './Guild.js';
import { EMPTY_STRINGS } from './intern.js';
import type { User } from './User.js';

const ANIMATED = 1;
const MANAGED = 2;
const AVAILABLE = 4;
const REQUIRE_COLONS = 8;
/** The payload's booleans; the bits above them are the emoji's own state. */
const PAYLOAD_BITS = ANIMATED | MANAGED | AVAILABLE | REQUIRE_COLONS;
/** Set on an emoji read from its guild's EmojiStore: its writes go to the store's row too. */
const STORED = 16;

/**
 * An emoji's values as a store keeps them (roles interned by the guild, the user the shared User).
 * @internal
 */
export interface EmojiFields {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly user: User | undefined;
  /** animated | managed << 1 | available << 2 | requireColons << 3 */
  readonly bits: number;
}

/**
 * A write to an emoji, its values already converted; `user` counts when the key is present.
 * @internal
 */
export interface EmojiChange {
  name?: string;
  roles?: readonly string[];
  user?: User | undefined;
  /** Boolean bits set, then bits cleared. */
  setBits: number;
  clearBits: number;
}

/** What a store that hands out emojis takes their writes through (src/structures/emojis). */
interface EmojiWriteTarget {
  writeEmoji(id: string, change: EmojiChange): void;
}

/** Handed to the constructor by `Emoji.ofFields`: copy the fields instead of parsing a payload. */
const BUILD = Object.freeze({ id: '', name: '' }) as APIEmoji;
let building: EmojiFields | null = null;

const PAYLOAD_FLAGS = [
  ['animated', ANIMATED],
  ['managed', MANAGED],
  ['available', AVAILABLE],
  ['require_colons', REQUIRE_COLONS]
] as const;

/** The boolean bits of a (partial) payload: those to set and those to clear. */
function payloadBits(data: Partial<APIEmoji>): [set: number, clear: number] {
  let set = 0;
  let clear = 0;
  for (const [key, bit] of PAYLOAD_FLAGS) {
    const value = data[key];
    if (value === undefined) continue;
    if (value) set |= bit;
    else clear |= bit;
  }
  return [set, clear];
}

/**
 * A partial payload as an EmojiChange (role ids interned by the guild, the user updated in the
 * users cache).
 * @internal
 */
export function emojiChangeOf(data: Partial<APIEmoji>, guild: Guild): EmojiChange {
  const [setBits, clearBits] = payloadBits(data);
  const change: EmojiChange = { setBits, clearBits };
  if (data.name !== undefined) change.name = data.name ?? '';
  if (data.roles !== undefined) change.roles = guild.internRoles(data.roles);
  if (data.user !== undefined) change.user = guild.context.users.update(data.user);
  return change;
}

/**
 * A full payload's fields.
 * @internal
 */
export function emojiFieldsOf(data: APIEmoji, guild: Guild): EmojiFields {
  return {
    id: data.id ?? '',
    name: data.name ?? '',
    roles: Array.isArray(data.roles) && data.roles.length > 0 ? guild.internRoles(data.roles) : EMPTY_STRINGS,
    user: data.user ? guild.context.users.update(data.user) : undefined,
    bits: payloadBits(data)[0]
  };
}

/**
 * A guild's custom emoji. Booleans share one small integer; role ids are the guild's strings.
 *
 * The default emoji cache (EmojiStore) keeps emojis as rows and builds an Emoji on each read, so
 * identity across reads does not hold (`emojis.get(id) !== emojis.get(id)`). Such an emoji is a
 * copy of the row taken at the read: later changes to the cache do not show in it (the old emojis
 * GUILD_EMOJIS_UPDATE hands to listeners keep their values), while writes to it (`update`, `name`,
 * `roles`, `user`) also go to the cached emoji of its id, when there is one.
 */
export class Emoji extends Base {
  readonly id: string;
  readonly guild: Guild;
  private _name: string;
  private _roles: readonly string[];
  private _user: User | undefined;
  private _bits: number;

  constructor(data: APIEmoji, guild: Guild) {
    super();
    this.guild = guild;
    const fields = data === BUILD && building !== null ? building : emojiFieldsOf(data, guild);
    const stored = fields === building;
    building = null;
    this.id = fields.id;
    this._name = fields.name;
    this._roles = fields.roles;
    this._user = fields.user;
    this._bits = stored ? fields.bits | STORED : fields.bits;
  }

  /**
   * An emoji of a store's row, whose writes go back to the store (`guild.emojis`).
   * @internal
   */
  static ofFields(fields: EmojiFields, guild: Guild): Emoji {
    building = fields;
    return new Emoji(BUILD, guild);
  }

  /**
   * This emoji's values.
   * @internal
   */
  fields(): EmojiFields {
    return { id: this.id, name: this._name, roles: this._roles, user: this._user, bits: this._bits & PAYLOAD_BITS };
  }

  /**
   * Make this emoji's writes go to its guild's emoji store (true), or no longer (false).
   * @internal
   */
  storeWrites(on: boolean): void {
    this._bits = on ? this._bits | STORED : this._bits & ~STORED;
  }

  /** Apply a changed emoji from GUILD_EMOJIS_UPDATE in place; absent fields keep their values. */
  update(data: Partial<APIEmoji>): void {
    this.apply(emojiChangeOf(data, this.guild));
  }

  private apply(change: EmojiChange): void {
    if (change.name !== undefined) this._name = change.name;
    if (change.roles !== undefined) this._roles = change.roles;
    if ('user' in change) this._user = change.user;
    this._bits = (this._bits | change.setBits) & ~change.clearBits;
    if ((this._bits & STORED) !== 0) {
      (this.guild.emojis as unknown as Partial<EmojiWriteTarget>).writeEmoji?.(this.id, change);
    }
  }

  get name(): string {
    return this._name;
  }

  set name(value: string) {
    this.apply({ name: value, setBits: 0, clearBits: 0 });
  }

  /** Role ids allowed to use it (empty: everyone). */
  get roles(): readonly string[] {
    return this._roles;
  }

  set roles(value: readonly string[]) {
    this.apply({ roles: value, setBits: 0, clearBits: 0 });
  }

  /** The creator (the shared User), when the payload carried it. */
  get user(): User | undefined {
    return this._user;
  }

  set user(value: User | undefined) {
    this.apply({ user: value, setBits: 0, clearBits: 0 });
  }

  get animated(): boolean {
    return (this._bits & ANIMATED) !== 0;
  }

  get managed(): boolean {
    return (this._bits & MANAGED) !== 0;
  }

  get available(): boolean {
    return (this._bits & AVAILABLE) !== 0;
  }

  get requireColons(): boolean {
    return (this._bits & REQUIRE_COLONS) !== 0;
  }

  get mention(): string {
    return `<${this.animated ? 'a' : ''}:${this.name}:${this.id}>`;
  }

  get url(): string {
    return formatImage(`/emojis/${this.id}`, this.animated ? 'gif' : 'png');
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    const json = super.toJSON(['name', 'roles', 'animated', 'managed', 'available', 'requireColons', ...props]);
    if (this.user) json.user = this.user.id;
    return json;
  }
}
