/**
 * A compact encoding of a channel's permission overwrites.
 *
 * Eris keeps a Collection of PermissionOverwrite objects per channel (a Map, its entries and one
 * object per overwrite, ~200 B each). Here a channel holds one flat array, three slots per
 * overwrite: `[id, allow, deny, id, allow, deny, …]`. The overwrite type (role or member) rides in
 * bit 63 of the allow word, which no permission uses. Ids are passed through an intern function so
 * role overwrite ids are the same string instances the guild's role map holds, and the bitfields
 * are interned (see bits.ts), so a typical overwrite costs 24 bytes of slots and nothing else.
 */
import type { APIOverwrite } from 'discord-api-types/v10';
import { internBits, NO_PERMISSIONS as NONE, parseBits } from './bits.js';

/** The kinds of permission overwrite, by name. */
export const OverwriteType = { Role: 0, Member: 1 } as const;
/** A permission overwrite type: role or member. */
export type OverwriteTypeValue = (typeof OverwriteType)[keyof typeof OverwriteType];

/** `[id, allow(+type bit), deny, …]`; treat as opaque and read it through the functions below. */
export type PackedOverwrites = readonly (string | bigint)[];

/** One overwrite, decoded. */
export interface OverwriteValue {
  id: string;
  type: OverwriteTypeValue;
  allow: bigint;
  deny: bigint;
}

const MEMBER_TYPE_BIT = 1n << 63n;
const PERMISSION_MASK = MEMBER_TYPE_BIT - 1n;
const STRIDE = 3;

/** Shared by every channel without overwrites. */
export const NO_OVERWRITES: PackedOverwrites = Object.freeze([]);

/**
 * Pack raw overwrites. Entries without a usable id are skipped; malformed bitfields read as 0.
 * A later entry with the same id replaces an earlier one.
 */
export function packOverwrites(
  raw: readonly Partial<APIOverwrite>[] | undefined | null,
  internID: (id: string) => string = (id) => id
): PackedOverwrites {
  if (!Array.isArray(raw) || raw.length === 0) return NO_OVERWRITES;
  const out: (string | bigint)[] = [];
  for (const entry of raw) {
    if (entry === null || typeof entry !== 'object' || typeof entry.id !== 'string') continue;
    const typeBit = entry.type === OverwriteType.Member ? MEMBER_TYPE_BIT : NONE;
    const allow = internBits(parseBits(entry.allow) | typeBit);
    const deny = parseBits(entry.deny);
    const existing = findOverwrite(out, entry.id);
    if (existing >= 0) {
      out[existing + 1] = allow;
      out[existing + 2] = deny;
    } else {
      out.push(internID(entry.id), allow, deny);
    }
  }
  return out.length === 0 ? NO_OVERWRITES : out;
}

/** How many overwrites a packed overwrite array holds. */
export function overwriteCount(packed: PackedOverwrites): number {
  return packed.length / STRIDE;
}

/** Slot offset of the overwrite for `id`, or -1. Linear: channels hold a handful of overwrites. */
export function findOverwrite(packed: PackedOverwrites, id: string): number {
  for (let i = 0; i < packed.length; i += STRIDE) if (packed[i] === id) return i;
  return -1;
}

/** The allow bits of overwrite at slot `offset` of a packed overwrite array (see `findOverwrite`). */
export function allowAt(packed: PackedOverwrites, offset: number): bigint {
  return (packed[offset + 1] as bigint) & PERMISSION_MASK;
}

/** The deny bits of overwrite at slot `offset` of a packed overwrite array (see `findOverwrite`). */
export function denyAt(packed: PackedOverwrites, offset: number): bigint {
  return packed[offset + 2] as bigint;
}

/** The type (role or member) of overwrite at slot `offset` of a packed overwrite array (see `findOverwrite`). */
export function typeAt(packed: PackedOverwrites, offset: number): OverwriteTypeValue {
  return ((packed[offset + 1] as bigint) & MEMBER_TYPE_BIT) === NONE ? OverwriteType.Role : OverwriteType.Member;
}

/** Decoded overwrite at position `index` (0-based count, not slot offset). */
export function overwriteAt(packed: PackedOverwrites, index: number): OverwriteValue {
  const offset = index * STRIDE;
  return {
    id: packed[offset] as string,
    type: typeAt(packed, offset),
    allow: allowAt(packed, offset),
    deny: denyAt(packed, offset)
  };
}

/** All overwrites decoded, in payload order. */
export function unpackOverwrites(packed: PackedOverwrites): OverwriteValue[] {
  const out: OverwriteValue[] = [];
  for (let i = 0; i < packed.length / STRIDE; i++) out.push(overwriteAt(packed, i));
  return out;
}

/** The API form (bitfields as decimal strings). */
export function overwritesToAPI(packed: PackedOverwrites): APIOverwrite[] {
  return unpackOverwrites(packed).map((o) => ({
    id: o.id,
    type: o.type,
    allow: o.allow.toString(),
    deny: o.deny.toString()
  }));
}
