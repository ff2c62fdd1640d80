import type { APIRole } from 'discord-api-types/v10';
import { Base } from './Base.js';
import { formatImage } from './cdn.js';
import type { Guild } from './Guild.js';
import { Permission } from './Permission.js';
import {
  applyRolePayload,
  copyRow,
  readBooleans,
  readColor,
  readFlags,
  readPosition,
  writeNumber
} from './roles/fields.js';
import { HOIST, MANAGED, MENTIONABLE } from './roles/packing.js';
import { RoleRecord, type RoleSource } from './roles/source.js';

/** Handed to the constructor by `Role.ofRow`: build a view instead of parsing a payload. */
const VIEW = Object.freeze({ id: '' }) as APIRole;
let viewSource: RoleSource | null = null;
let viewRow = 0;

/**
 * A guild role.
 *
 * A role read from a guild's cache (`guild.roles.get(id)`, iteration…) is a view over the guild's
 * RoleStore, which keeps every role as a row of columns (name, permissions, and position, colour,
 * booleans and flags packed into one number): the view is built on read, so two reads give two
 * objects, but both read and write the same row (`role.color = 5` and `role.update(data)` change
 * the cache). A view of a role deleted since reads as an empty role (no name, no permissions): the
 * object GUILD_ROLE_DELETE's `guildRoleDelete` and `guild.roles.remove` give is a snapshot that
 * keeps the values. A role built with `new Role(data, guild)` holds its own row.
 */
export class Role extends Base {
  readonly id: string;
  readonly guild: Guild;
  private _source: RoleSource;
  /** Where this role's row was last seen in `_source` (rows move when an earlier role is deleted). */
  private _row: number;

  constructor(data: APIRole, guild: Guild) {
    super();
    this.guild = guild;
    if (data === VIEW && viewSource !== null) {
      this._source = viewSource;
      this._row = viewRow;
      this.id = viewSource.idAt(viewRow);
      viewSource = null;
      return;
    }
    this.id = data.id;
    this._source = new RoleRecord(data.id);
    this._row = 0;
    applyRolePayload(this._source, 0, data);
  }

  /**
   * A role reading and writing row `row` of `source`.
   * @internal
   */
  static ofRow(source: RoleSource, row: number, guild: Guild): Role {
    viewSource = source;
    viewRow = row;
    return new Role(VIEW, guild);
  }

  /**
   * A role holding its own copy of row `row` of `source` (what stays of a removed role).
   * @internal
   */
  static copyOfRow(source: RoleSource, row: number, guild: Guild): Role {
    const role = new Role({ id: source.idAt(row) } as APIRole, guild);
    copyRow(source, row, role._source, 0);
    return role;
  }

  /**
   * Copy this role's fields into row `row` of `target`.
   * @internal
   */
  copyTo(target: RoleSource, row: number): void {
    const at = this.at();
    copyRow(this._source, at, target, row);
  }

  /**
   * Make this role read and write row `row` of `source` from now on, if it holds its own row (a
   * role built with `new Role` and then added to a guild's roles is the cached role).
   * @internal
   */
  attachIfOwn(source: RoleSource, row: number): boolean {
    if (!(this._source instanceof RoleRecord)) return false;
    this._source = source;
    this._row = row;
    return true;
  }

  /** This role's row in `_source`, found again if it moved; a gone role gets an empty row of its own. */
  private at(): number {
    const source = this._source;
    const row = this._row;
    if (source.idAt(row) === this.id) return row;
    const now = source.rowOf(this.id, row);
    if (now >= 0) {
      this._row = now;
      return now;
    }
    this._source = new RoleRecord(this.id);
    this._row = 0;
    return 0;
  }

  /** Apply a GUILD_ROLE_UPDATE role in place; absent fields keep their values. */
  update(data: Partial<APIRole>): void {
    const row = this.at();
    applyRolePayload(this._source, row, data);
  }

  get name(): string {
    const row = this.at();
    return this._source.nameAt(row);
  }

  set name(value: string) {
    const row = this.at();
    this._source.setNameAt(row, value);
  }

  get position(): number {
    const row = this.at();
    return readPosition(this._source, row);
  }

  set position(value: number) {
    const row = this.at();
    writeNumber(this._source, row, 'position', value);
  }

  /** Primary colour as an integer (Discord's deprecated `color`). */
  get color(): number {
    const row = this.at();
    return readColor(this._source, row);
  }

  set color(value: number) {
    const row = this.at();
    writeNumber(this._source, row, 'color', value);
  }

  /** The permission bits (use `permissions` for a Permission). */
  get permissionBits(): bigint {
    const row = this.at();
    return this._source.permissionsAt(row);
  }

  set permissionBits(value: bigint) {
    const row = this.at();
    this._source.setPermissionsAt(row, value);
  }

  get hoist(): boolean {
    const row = this.at();
    return (readBooleans(this._source, row) & HOIST) !== 0;
  }

  get managed(): boolean {
    const row = this.at();
    return (readBooleans(this._source, row) & MANAGED) !== 0;
  }

  get mentionable(): boolean {
    const row = this.at();
    return (readBooleans(this._source, row) & MENTIONABLE) !== 0;
  }

  get flags(): number {
    const row = this.at();
    return readFlags(this._source, row);
  }

  get icon(): string | null {
    const row = this.at();
    return this._source.extraAt(row)?.icon ?? null;
  }

  get unicodeEmoji(): string | null {
    const row = this.at();
    return this._source.extraAt(row)?.unicodeEmoji ?? null;
  }

  /** Discord's `colors` in camelCase. */
  get colors(): { primaryColor: number; secondaryColor: number | null; tertiaryColor: number | null } {
    const row = this.at();
    const extra = this._source.extraAt(row);
    return {
      primaryColor: readColor(this._source, row),
      secondaryColor: extra?.secondaryColor ?? null,
      tertiaryColor: extra?.tertiaryColor ?? null
    };
  }

  /** Role tags with Discord's "present as null means true" keys turned into booleans. */
  get tags(): Record<string, string | boolean> | undefined {
    const row = this.at();
    const raw = this._source.extraAt(row)?.tags;
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
