/**
 * A role's position, colour, booleans and flags packed into one number, so a guild's roles keep
 * them in one array of doubles (8 bytes a role) instead of five fields of a Role object.
 *
 * Layout, exact in a double (integers below 2^53):
 *   colour (24 bits) + 2^24 × (booleans (3 bits) + 2^3 × (position (16 bits) + 2^16 × flags (10 bits)))
 * with booleans = hoist | managed << 1 | mentionable << 2. The order keeps a role at position 0–15
 * without flags below 2^31, a small integer V8 stores in an array slot itself: a RoleStore keeps
 * the packed number among other columns (no double array), where a larger one is a 16-byte heap
 * number. A value outside those ranges (Discord
 * sends none: colours are RGB, positions count roles, flags are one bit today) is kept exactly in
 * the role's extra fields instead, and the packed value is WIDE.
 */

/** The packed value of a role whose numbers did not fit (they are in RoleExtra.wide). */
export const WIDE = -1;

export const HOIST = 1;
export const MANAGED = 2;
export const MENTIONABLE = 4;

const COLOR_SPAN = 0x1000000;
const POSITION_SPAN = 0x10000;
const BOOLEANS_SPAN = 8;
const FLAGS_SPAN = 0x400;

/** The numbers a role row packs: everything but its id, name, permissions and rare fields. */
export interface RoleNumbers {
  position: number;
  color: number;
  /** hoist | managed << 1 | mentionable << 2 */
  booleans: number;
  flags: number;
}

/** The numbers of a new role. */
export const DEFAULT_PACKED = 0;

function fits(value: number, span: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < span;
}

/** The packed form of the numbers, or WIDE when a value does not fit its field. */
export function packNumbers(position: number, color: number, booleans: number, flags: number): number {
  if (!fits(color, COLOR_SPAN) || !fits(position, POSITION_SPAN) || !fits(flags, FLAGS_SPAN)) return WIDE;
  return color + COLOR_SPAN * (booleans + BOOLEANS_SPAN * (position + POSITION_SPAN * flags));
}

/** The part above the colour: booleans + 2^3 × (position + 2^16 × flags), below 2^29. */
function high(packed: number): number {
  return (packed - (packed % COLOR_SPAN)) / COLOR_SPAN;
}

/** Colour of a packed value (not WIDE). */
export function packedColor(packed: number): number {
  return packed % COLOR_SPAN;
}

/** Position of a packed value (not WIDE). */
export function packedPosition(packed: number): number {
  return (high(packed) >>> 3) & (POSITION_SPAN - 1);
}

/** Booleans (hoist | managed << 1 | mentionable << 2) of a packed value (not WIDE). */
export function packedBooleans(packed: number): number {
  return high(packed) & (BOOLEANS_SPAN - 1);
}

/** Flags of a packed value (not WIDE). */
export function packedFlags(packed: number): number {
  return high(packed) >>> 19;
}

/** Unpack (not WIDE). */
export function unpackNumbers(packed: number): RoleNumbers {
  return {
    position: packedPosition(packed),
    color: packedColor(packed),
    booleans: packedBooleans(packed),
    flags: packedFlags(packed)
  };
}
