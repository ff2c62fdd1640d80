/**
 * The hash of a snowflake id for the open-addressing indexes of the column stores (members'
 * slotIndex.ts, channels' ChannelTable.ts): non-negative, below 2^31, well mixed in every bit, so it
 * serves a modulo (any table size) as well as a power-of-two mask.
 */

/**
 * The table position source for an id. A snowflake's last nine decimal digits already differ
 * between any two ids (they are the low bits of a 64-bit number that counts milliseconds in its
 * upper part), so only those are read, then mixed; half the work of hashing every character, on the
 * path of every member event. Anything else (short or non-decimal keys) is hashed whole (FNV-1a).
 */
export function hashID(id: string): number {
  const n = id.length;
  if (n >= 9) {
    let x = 0;
    for (let i = n - 9; i < n; i++) {
      const d = id.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return hashWhole(id);
      x = x * 10 + d;
    }
    return mix(x);
  }
  return hashWhole(id);
}

function hashWhole(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return mix(h);
}

/**
 * MurmurHash3's finalizer: every input bit moves every output bit. Needed because snowflakes made
 * in the same millisecond range share their low bits (their digits are multiples of 2^9 when the
 * increment is 0), which a multiply alone leaves in place. Kept below 2^31 so that the table
 * position is an integer modulo, not a float one.
 */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x7fffffff;
}
