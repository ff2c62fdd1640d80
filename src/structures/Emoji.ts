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

/** A guild's custom emoji. Booleans share one small integer; role ids are the guild's strings. */
export class Emoji extends Base {
  readonly id: string;
  readonly guild: Guild;
  name: string;
  /** Role ids allowed to use it (empty: everyone). */
  roles: readonly string[];
  /** The creator (the shared User), when the payload carried it. */
  user: User | undefined;
  private _bits: number;

  constructor(data: APIEmoji, guild: Guild) {
    super();
    this.id = data.id ?? '';
    this.guild = guild;
    this.name = data.name ?? '';
    this.roles = Array.isArray(data.roles) && data.roles.length > 0 ? guild.internRoles(data.roles) : EMPTY_STRINGS;
    this.user = data.user ? guild.context.users.update(data.user) : undefined;
    this._bits = 0;
    this.applyBits(data);
  }

  /** Apply a changed emoji from GUILD_EMOJIS_UPDATE in place; absent fields keep their values. */
  update(data: Partial<APIEmoji>): void {
    if (data.name !== undefined) this.name = data.name ?? '';
    if (data.roles !== undefined) this.roles = this.guild.internRoles(data.roles);
    if (data.user !== undefined) this.user = this.guild.context.users.update(data.user);
    this.applyBits(data);
  }

  private applyBits(data: Partial<APIEmoji>): void {
    let bits = this._bits;
    if (data.animated !== undefined) bits = data.animated ? bits | ANIMATED : bits & ~ANIMATED;
    if (data.managed !== undefined) bits = data.managed ? bits | MANAGED : bits & ~MANAGED;
    if (data.available !== undefined) bits = data.available ? bits | AVAILABLE : bits & ~AVAILABLE;
    if (data.require_colons !== undefined) bits = data.require_colons ? bits | REQUIRE_COLONS : bits & ~REQUIRE_COLONS;
    this._bits = bits;
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
