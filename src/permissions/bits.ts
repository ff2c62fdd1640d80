/**
 * Parsing and interning of permission bitfields.
 *
 * Discord sends bitfields as decimal strings. A parsed bigint costs 24 bytes on the heap, and the
 * same few values (0, "deny VIEW_CHANNEL", the default @everyone set…) repeat across every guild's
 * roles and overwrites, so parsed values go through a bounded intern table and equal values share
 * one bigint.
 */
import { type PermissionName, Permissions } from '../util/constants.js';

/** The empty bitfield (the shared instance). */
export const NO_PERMISSIONS = 0n;
const NONE = NO_PERMISSIONS;

const DECIMAL = /^\d{1,20}$/;
/** Distinct values kept; beyond this, new values are still correct, just not shared. */
const INTERN_LIMIT = 8192;
const interned = new Map<bigint, bigint>([[0n, NONE]]);

/** The shared instance of a bitfield value (or the value itself once the table is full). */
export function internBits(value: bigint): bigint {
  const shared = interned.get(value);
  if (shared !== undefined) return shared;
  if (interned.size < INTERN_LIMIT) interned.set(value, value);
  return value;
}

let malformed = 0;

/**
 * Parse a bitfield as Discord serialises it. Malformed input (not a decimal string or number,
 * or wider than 64 bits) grants nothing: it is counted and read as 0, never thrown.
 */
export function parseBits(value: unknown): bigint {
  if (typeof value === 'bigint') return value >= 0n && value < 1n << 64n ? internBits(value) : countMalformed();
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? internBits(BigInt(value)) : countMalformed();
  }
  if (typeof value === 'string' && DECIMAL.test(value)) {
    const bits = BigInt(value);
    return bits < 1n << 64n ? internBits(bits) : countMalformed();
  }
  if (value === undefined || value === null) return NONE;
  return countMalformed();
}

function countMalformed(): bigint {
  malformed++;
  return NONE;
}

/** How many malformed bitfields were read as 0 since the process started. */
export function malformedBitfieldCount(): number {
  return malformed;
}

/** A permission given by Eris-style name or as a bigint mask. */
export type PermissionResolvable = PermissionName | bigint;

/** Turn a permission name or bit into its bit; throws on an unknown name. */
export function resolvePermission(permission: PermissionResolvable): bigint {
  return typeof permission === 'bigint' ? permission : (Permissions[permission] ?? NONE);
}
