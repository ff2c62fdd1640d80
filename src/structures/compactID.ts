/**
 * A snowflake held as two small integers instead of a string: a 19-digit id string costs a
 * pointer plus a 40-byte heap string, two integer fields cost 16 bytes and no allocation. Used for
 * per-channel ids that are only read now and then (lastMessageID); ids that key a Collection stay
 * strings (the Map holds the string anyway).
 *
 * Only canonical decimal ids below 2^63 are packed; anything else (leading zeros, non-digits, too
 * large) is reported as not packable, and the caller keeps the string itself.
 */

/** `high` for an absent id (null). */
export const ID_NONE = -1;
/** `high` for an id the caller keeps as a string. */
export const ID_UNPACKED = -2;

const TWO_32 = 4294967296;
const CANONICAL = /^(?:0|[1-9]\d{0,18})$/;

let parsedLow = 0;

/**
 * The high 32 bits of a canonical decimal id (≥ 0), or ID_UNPACKED. The low 32 bits are then read
 * with `packedLow()` (kept aside to avoid allocating a pair).
 */
export function packHigh(id: string): number {
  if (!CANONICAL.test(id)) return ID_UNPACKED;
  let high = 0;
  let low = 0;
  for (let i = 0; i < id.length; i++) {
    const next = low * 10 + (id.charCodeAt(i) - 48);
    const carry = Math.floor(next / TWO_32);
    low = next - carry * TWO_32;
    high = high * 10 + carry;
    if (high > 0x7fffffff) return ID_UNPACKED;
  }
  parsedLow = low | 0;
  return high;
}

/** The low 32 bits (as a signed integer, so it stays a small integer) of the last `packHigh`. */
export function packedLow(): number {
  return parsedLow;
}

/** The decimal string of a packed id. */
export function unpackID(high: number, low: number): string {
  if (high === 0) return String(low >>> 0);
  return ((BigInt(high) << 32n) | BigInt(low >>> 0)).toString();
}
