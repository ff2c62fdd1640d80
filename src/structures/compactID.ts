/**
 * A snowflake held as two small integers instead of a string: a 19-digit id string costs a
 * pointer plus a 40-byte heap string, two int32 words cost 8 bytes and no allocation. Used for ids
 * that a column store keeps in its rows (channel ids, lastMessageID) and for the client's
 * channel-to-guild map; the string is built on read.
 *
 * Only canonical decimal ids below 2^63 are packed; anything else (leading zeros, non-digits, too
 * large, empty) is reported as not packable, and the caller keeps the string itself.
 */

/** `high` for an absent id (null). */
export const ID_NONE = -1;
/** `high` for an id the caller keeps as a string. */
export const ID_UNPACKED = -2;

const TWO_32 = 4294967296;
const TWO_16 = 65536;
const BILLION = 1000000000;
/** 2^32 = 4294 * 10^6 + 967296: the split `unpackID` uses to stay below 2^53. */
const MILLION = 1000000;
const HIGH_MILLIONS = 4294;
const HIGH_REST = 967296;

let parsedLow = 0;

/**
 * The high 32 bits of a canonical decimal id (≥ 0), or ID_UNPACKED. The low 32 bits are then read
 * with `packedLow()` (kept aside to avoid allocating a pair).
 */
export function packHigh(id: string): number {
  // The same id is often packed twice in a row (client.channelGuildMap, then the guild's channel store).
  if (id === lastID) {
    parsedLow = lastLow;
    return lastHigh;
  }
  const high = parse(id);
  lastID = id;
  lastHigh = high;
  lastLow = parsedLow;
  return high;
}

let lastID: string | null = null;
let lastHigh = 0;
let lastLow = 0;

function parse(id: string): number {
  const n = id.length;
  // At most 19 digits, no leading zero (the string built back must be the same string).
  if (n === 0 || n > 19 || (n > 1 && id.charCodeAt(0) === 48)) return ID_UNPACKED;
  // Digits before the last nine (a < 10^10) and the last nine (b < 10^9), each an exact double.
  const split = n > 9 ? n - 9 : 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < split; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return ID_UNPACKED;
    a = a * 10 + d;
  }
  for (let i = split; i < n; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return ID_UNPACKED;
    b = b * 10 + d;
  }
  if (a === 0) {
    parsedLow = b | 0;
    return 0;
  }
  // a * 10^9 + b = (aHigh * 10^9) * 2^16 + (aLow * 10^9 + b), every product below 2^53.
  const aHigh = Math.floor(a / TWO_16);
  const u = aHigh * BILLION;
  const t = (a - aHigh * TWO_16) * BILLION + b;
  const uLow = u % TWO_16;
  const rest = uLow * TWO_16 + t;
  const carry = Math.floor(rest / TWO_32);
  const high = (u - uLow) / TWO_16 + carry;
  if (high > 0x7fffffff) return ID_UNPACKED;
  parsedLow = (rest - carry * TWO_32) | 0;
  // A small integer, not a double (stored in a field, a double would be a 16-byte heap number).
  return high | 0;
}

/** The low 32 bits (as a signed integer, so it stays a small integer) of the last `packHigh`. */
export function packedLow(): number {
  return parsedLow;
}

/**
 * The decimal string of a packed id, without a bigint: high * 2^32 + low is split at 10^6 so that
 * each part stays an exact double, and printed as small integers (V8's fast path for those).
 */
export function unpackID(high: number, low: number): string {
  const lo = low >>> 0;
  if (high === 0) return String(lo);
  const rest = high * HIGH_REST + lo;
  const top = high * HIGH_MILLIONS + Math.floor(rest / MILLION);
  // top > 0 here: the digits after it are zero-padded (the string of n + 10^6 without its "1").
  const bottom = String((rest % MILLION) + MILLION).slice(1);
  const middle = top % MILLION;
  const head = (top - middle) / MILLION;
  return head > 0 ? String(head) + String(middle + MILLION).slice(1) + bottom : String(middle) + bottom;
}

/**
 * Whether the id packed as (high, low) is `id`. A packed id has exactly one canonical string, so
 * this parses `id` (no string is built).
 */
export function packedEquals(high: number, low: number, id: string): boolean {
  return packHigh(id) === high && high !== ID_UNPACKED && parsedLow === low;
}

/**
 * A hash of a packed id for open-addressing tables: non-negative, below 2^31, every input bit
 * mixed into every output bit (MurmurHash3's finalizer over both words).
 */
export function hashPacked(high: number, low: number): number {
  let h = low ^ Math.imul(high, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/** Entries of the string cache of `idString` (a power of two). */
const CACHE_SIZE = 512;
const cachedWords = new Int32Array(CACHE_SIZE * 2).fill(ID_NONE);
const cachedStrings: string[] = new Array<string>(CACHE_SIZE).fill('');

/**
 * `unpackID` through a small direct-mapped cache of the strings built last: a channel's parent or
 * id read again and again (permission checks, event routing) is formatted once, not on every read.
 * Fixed cost: CACHE_SIZE strings.
 */
export function idString(high: number, low: number): string {
  const at = hashPacked(high, low) & (CACHE_SIZE - 1);
  if (cachedWords[at * 2] === high && cachedWords[at * 2 + 1] === low) return cachedStrings[at] as string;
  const id = unpackID(high, low);
  cachedWords[at * 2] = high;
  cachedWords[at * 2 + 1] = low;
  cachedStrings[at] = id;
  return id;
}
