/**
 * Reading and writing a role's fields in a row of a RoleSource: the numbers through their packed
 * form (or the wide copy in the extra), the rare fields through the extra, allocated only for a
 * role that has one. Shared by Role (its accessors and `update`) and RoleStore (`add`).
 */
import type { APIRole } from 'discord-api-types/v10';
import { parseBits } from '../../permissions/bits.js';
import {
  HOIST,
  MANAGED,
  MENTIONABLE,
  packedBooleans,
  packedColor,
  packedFlags,
  packedPosition,
  packNumbers,
  type RoleNumbers,
  unpackNumbers,
  WIDE
} from './packing.js';
import { internTags } from './rare.js';
import { EMPTY_ROLE_EXTRA, isEmptyExtra, type RoleExtra, type RoleSource, withExtra } from './source.js';

function wideOf(source: RoleSource, row: number): RoleNumbers {
  // A WIDE row always has its numbers in the extra (writeNumbers puts them there).
  return (source.extraAt(row) as RoleExtra).wide as RoleNumbers;
}

export function readPosition(source: RoleSource, row: number): number {
  const packed = source.packedAt(row);
  return packed === WIDE ? wideOf(source, row).position : packedPosition(packed);
}

export function readColor(source: RoleSource, row: number): number {
  const packed = source.packedAt(row);
  return packed === WIDE ? wideOf(source, row).color : packedColor(packed);
}

export function readBooleans(source: RoleSource, row: number): number {
  const packed = source.packedAt(row);
  return packed === WIDE ? wideOf(source, row).booleans : packedBooleans(packed);
}

export function readFlags(source: RoleSource, row: number): number {
  const packed = source.packedAt(row);
  return packed === WIDE ? wideOf(source, row).flags : packedFlags(packed);
}

export function readNumbers(source: RoleSource, row: number): RoleNumbers {
  const packed = source.packedAt(row);
  return packed === WIDE ? { ...wideOf(source, row) } : unpackNumbers(packed);
}

/** Store the numbers packed, or (when one does not fit) exactly in the extra. */
export function writeNumbers(
  source: RoleSource,
  row: number,
  position: number,
  color: number,
  booleans: number,
  flags: number
): void {
  const packed = packNumbers(position, color, booleans, flags);
  const extra = source.extraAt(row);
  if (packed === WIDE) {
    source.setExtraAt(row, withExtra(extra ?? EMPTY_ROLE_EXTRA, { wide: { position, color, booleans, flags } }));
  } else if (extra !== undefined && extra.wide !== null) {
    setExtra(source, row, withExtra(extra, { wide: null }));
  }
  source.setPackedAt(row, packed);
}

/** Change one of the numbers. */
export function writeNumber(source: RoleSource, row: number, key: keyof RoleNumbers, value: number): void {
  const numbers = readNumbers(source, row);
  numbers[key] = value;
  writeNumbers(source, row, numbers.position, numbers.color, numbers.booleans, numbers.flags);
}

/**
 * Apply a role payload to a row: a full one (GUILD_CREATE, GUILD_ROLE_CREATE) to a row holding
 * the defaults, or a partial one (GUILD_ROLE_UPDATE, `role.update`), whose absent fields keep
 * their values.
 */
export function applyRolePayload(source: RoleSource, row: number, data: Partial<APIRole>): void {
  if (typeof data.name === 'string') source.setNameAt(row, data.name);
  if (data.permissions !== undefined) source.setPermissionsAt(row, parseBits(data.permissions));
  const primary = data.colors?.primary_color ?? data.color;
  const packed = source.packedAt(row);
  const wide = packed === WIDE ? wideOf(source, row) : null;
  let position = wide === null ? packedPosition(packed) : wide.position;
  let color = wide === null ? packedColor(packed) : wide.color;
  let booleans = wide === null ? packedBooleans(packed) : wide.booleans;
  let flags = wide === null ? packedFlags(packed) : wide.flags;
  if (typeof data.position === 'number') position = data.position;
  if (typeof primary === 'number') color = primary;
  if (data.hoist !== undefined) booleans = data.hoist ? booleans | HOIST : booleans & ~HOIST;
  if (data.managed !== undefined) booleans = data.managed ? booleans | MANAGED : booleans & ~MANAGED;
  if (data.mentionable !== undefined) booleans = data.mentionable ? booleans | MENTIONABLE : booleans & ~MENTIONABLE;
  if (typeof data.flags === 'number') flags = data.flags;
  writeNumbers(source, row, position, color, booleans, flags);
  applyExtra(source, row, data);
}

function applyExtra(source: RoleSource, row: number, data: Partial<APIRole>): void {
  const secondary = data.colors?.secondary_color ?? null;
  const tertiary = data.colors?.tertiary_color ?? null;
  const wants = data.icon || data.unicode_emoji || secondary !== null || tertiary !== null || data.tags !== undefined;
  const extra = source.extraAt(row);
  if (!wants && extra === undefined) return;
  const changes: { -readonly [K in keyof RoleExtra]?: RoleExtra[K] } = {};
  if (data.icon !== undefined) changes.icon = data.icon;
  if (data.unicode_emoji !== undefined) changes.unicodeEmoji = data.unicode_emoji;
  if (data.colors !== undefined) {
    changes.secondaryColor = secondary;
    changes.tertiaryColor = tertiary;
  }
  // Every guild's role for the same bot (or booster role…) holds equal tags: one frozen object.
  if (data.tags !== undefined) changes.tags = internTags(data.tags);
  setExtra(source, row, withExtra(extra ?? EMPTY_ROLE_EXTRA, changes));
}

/** Store an extra, or none when it holds only defaults (it reads the same). */
function setExtra(source: RoleSource, row: number, extra: RoleExtra): void {
  source.setExtraAt(row, isEmptyExtra(extra) ? undefined : extra);
}

/** Copy every field of one row to another (of the same or another source). */
export function copyRow(from: RoleSource, fromRow: number, to: RoleSource, toRow: number): void {
  to.setNameAt(toRow, from.nameAt(fromRow));
  to.setPermissionsAt(toRow, from.permissionsAt(fromRow));
  to.setPackedAt(toRow, from.packedAt(fromRow));
  const extra = from.extraAt(fromRow);
  to.setExtraAt(toRow, extra === undefined ? undefined : withExtra(extra, {}));
}
