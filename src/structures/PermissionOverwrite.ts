import type { OverwriteTypeValue, OverwriteValue } from '../permissions/overwrites.js';
import { Permission } from './Permission.js';

/**
 * One channel overwrite (Eris's PermissionOverwrite). Channels keep overwrites packed; these are
 * built when `channel.permissionOverwrites` is read.
 */
export class PermissionOverwrite extends Permission {
  readonly id: string;
  /** 0 for a role, 1 for a member. */
  readonly type: OverwriteTypeValue;

  constructor(data: OverwriteValue) {
    super(data.allow, data.deny);
    this.id = data.id;
    this.type = data.type;
  }

  /** The overwrite as Discord sends it: id, type and both bitfields as decimal strings. */
  override toJSON(): { id: string; type: OverwriteTypeValue; allow: string; deny: string } {
    return { id: this.id, type: this.type, allow: this.allow.toString(), deny: this.deny.toString() };
  }
}
