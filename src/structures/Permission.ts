import { type PermissionResolvable, parseBits, resolvePermission } from '../permissions/bits.js';
import { type PermissionName, Permissions } from '../util/constants.js';

/**
 * Eris's Permission: an allow and a deny bitfield. Built on read (role.permissions,
 * member.permissions, channel.permissionsOf) from the bigints structures store, so it is a short-
 * lived value, not something the cache holds.
 */
export class Permission {
  readonly allow: bigint;
  readonly deny: bigint;

  constructor(allow: bigint | number | string = 0n, deny: bigint | number | string = 0n) {
    this.allow = parseBits(allow);
    this.deny = parseBits(deny);
  }

  /** `{ name: true }` for allowed bits, `{ name: false }` for denied ones (Eris's `json`). */
  get json(): Partial<Record<PermissionName, boolean>> {
    const json: Partial<Record<PermissionName, boolean>> = {};
    for (const name of Object.keys(Permissions) as PermissionName[]) {
      const bit = Permissions[name];
      if ((this.allow & bit) !== 0n) json[name] = true;
      else if ((this.deny & bit) !== 0n) json[name] = false;
    }
    return json;
  }

  /** True when every bit of the permission is allowed. */
  has(permission: PermissionResolvable): boolean {
    const bits = resolvePermission(permission);
    return bits !== 0n && (this.allow & bits) === bits;
  }

  /** Debug form: `[ClassName +allow -deny]` with both bitfields in decimal. */
  toString(): string {
    return `[${this.constructor.name} +${this.allow} -${this.deny}]`;
  }

  /** Both bitfields as decimal strings, as Discord sends them (JSON has no bigint). */
  toJSON(): { allow: string; deny: string } {
    return { allow: this.allow.toString(), deny: this.deny.toString() };
  }
}
