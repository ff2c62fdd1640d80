import type { APIRole, APIRoleTags } from 'discord-api-types/v10';
import { parseBits } from '../permissions/bits.js';
import { Base } from './Base.js';
import { formatImage } from './cdn.js';
import type { Guild } from './Guild.js';
import { Permission } from './Permission.js';

const HOIST = 1;
const MANAGED = 2;
const MENTIONABLE = 4;
/** Bits 3+ of `_bits` hold the role flags (IN_PROMPT…). */
const FLAGS_SHIFT = 3;

/** Fields most roles do not have; allocated only for roles that do. */
interface RoleExtra {
  icon: string | null;
  unicodeEmoji: string | null;
  secondaryColor: number | null;
  tertiaryColor: number | null;
  tags: APIRoleTags | undefined;
}

/**
 * A guild role. Permissions are kept as one interned bigint (read `permissions` for Eris's
 * Permission object); booleans and flags share one small integer; icon, emoji, gradient colours
 * and tags live in a side object only the few roles that have them allocate.
 */
export class Role extends Base {
  readonly id: string;
  readonly guild: Guild;
  name: string;
  position: number;
  /** Primary colour as an integer (Discord's deprecated `color`). */
  color: number;
  /** The permission bits (use `permissions` for a Permission). */
  permissionBits: bigint;
  private _bits: number;
  private _extra: RoleExtra | null;

  constructor(data: APIRole, guild: Guild) {
    super();
    this.id = data.id;
    this.guild = guild;
    this.name = typeof data.name === 'string' ? data.name : '';
    this.position = typeof data.position === 'number' ? data.position : 0;
    this.color = data.colors?.primary_color ?? data.color ?? 0;
    this.permissionBits = parseBits(data.permissions);
    this._bits = 0;
    this._extra = null;
    this.applyBits(data);
    this.applyExtra(data);
  }

  /** Apply a GUILD_ROLE_UPDATE role in place; absent fields keep their values. */
  update(data: Partial<APIRole>): void {
    if (data.name !== undefined) this.name = data.name;
    if (data.position !== undefined) this.position = data.position;
    if (data.colors !== undefined) this.color = data.colors.primary_color;
    else if (data.color !== undefined) this.color = data.color;
    if (data.permissions !== undefined) this.permissionBits = parseBits(data.permissions);
    this.applyBits(data);
    this.applyExtra(data);
  }

  private applyBits(data: Partial<APIRole>): void {
    let bits = this._bits;
    if (data.hoist !== undefined) bits = data.hoist ? bits | HOIST : bits & ~HOIST;
    if (data.managed !== undefined) bits = data.managed ? bits | MANAGED : bits & ~MANAGED;
    if (data.mentionable !== undefined) bits = data.mentionable ? bits | MENTIONABLE : bits & ~MENTIONABLE;
    if (typeof data.flags === 'number') bits = (bits & ((1 << FLAGS_SHIFT) - 1)) | (data.flags << FLAGS_SHIFT);
    this._bits = bits;
  }

  private applyExtra(data: Partial<APIRole>): void {
    const secondary = data.colors?.secondary_color ?? null;
    const tertiary = data.colors?.tertiary_color ?? null;
    const wants = data.icon || data.unicode_emoji || secondary !== null || tertiary !== null || data.tags !== undefined;
    if (!wants && this._extra === null) return;
    const extra = (this._extra ??= {
      icon: null,
      unicodeEmoji: null,
      secondaryColor: null,
      tertiaryColor: null,
      tags: undefined
    });
    if (data.icon !== undefined) extra.icon = data.icon;
    if (data.unicode_emoji !== undefined) extra.unicodeEmoji = data.unicode_emoji;
    if (data.colors !== undefined) {
      extra.secondaryColor = secondary;
      extra.tertiaryColor = tertiary;
    }
    if (data.tags !== undefined) extra.tags = data.tags;
  }

  get hoist(): boolean {
    return (this._bits & HOIST) !== 0;
  }

  get managed(): boolean {
    return (this._bits & MANAGED) !== 0;
  }

  get mentionable(): boolean {
    return (this._bits & MENTIONABLE) !== 0;
  }

  get flags(): number {
    return this._bits >>> FLAGS_SHIFT;
  }

  get icon(): string | null {
    return this._extra?.icon ?? null;
  }

  get unicodeEmoji(): string | null {
    return this._extra?.unicodeEmoji ?? null;
  }

  /** Discord's `colors` in camelCase. */
  get colors(): { primaryColor: number; secondaryColor: number | null; tertiaryColor: number | null } {
    return {
      primaryColor: this.color,
      secondaryColor: this._extra?.secondaryColor ?? null,
      tertiaryColor: this._extra?.tertiaryColor ?? null
    };
  }

  /** Role tags with Discord's "present as null means true" keys turned into booleans. */
  get tags(): Record<string, string | boolean> | undefined {
    const raw = this._extra?.tags;
    if (raw === undefined) return undefined;
    const tags: Record<string, string | boolean> = {};
    for (const [key, value] of Object.entries(raw)) tags[key] = value === null ? true : (value as string | boolean);
    return tags;
  }

  /** Eris's `permissions`: a Permission built from the stored bits. */
  get permissions(): Permission {
    return new Permission(this.permissionBits);
  }

  get mention(): string {
    return `<@&${this.id}>`;
  }

  get iconURL(): string | null {
    const icon = this.icon;
    return icon ? formatImage(`/role-icons/${this.id}/${icon}`) : null;
  }

  /** Eris's `json`: the permission bits by name. */
  get json(): Permission['json'] {
    return this.permissions.json;
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON([
      'color',
      'colors',
      'hoist',
      'icon',
      'managed',
      'mentionable',
      'name',
      'permissions',
      'position',
      'tags',
      'unicodeEmoji',
      'flags',
      ...props
    ]);
  }
}
