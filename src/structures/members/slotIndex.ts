/**
 * The id → slot index of a member store: open addressing with linear probing in one Int32Array.
 * An entry is `slot + 1` in its low 25 bits and six bits of the id's hash above them (0 empty, -1 a
 * deleted entry). Keys are not stored: a probe whose hash bits match reads the id of the entry's
 * slot from the store's users column (`users[slot].id`) and compares; the hash bits spare almost
 * every non-matching probe that read (a User object elsewhere in the heap: a cache miss each).
 * That is 4 bytes per table entry (at most 75 % full) instead of a Map entry's key, value and chain
 * pointers plus its bucket slot. Any table size works (positions are the hash modulo the size), so
 * a table is sized to its members rather than to the next power of two.
 */
import type { User } from '../User.js';

export { hashID } from '../idHash.js';

export const EMPTY = 0;
export const DELETED = -1;
/** Largest share of a table that live plus deleted entries may fill before it is rebuilt. */
export const MAX_LOAD = 0.75;
const SLOT_BITS = 25;
const SLOT_MASK = (1 << SLOT_BITS) - 1;
/** Slots a store may use: `slot + 1` must fit in SLOT_BITS. */
export const MAX_SLOTS = SLOT_MASK - 1;

/** The entry for a slot whose id hashes to `hash`: six hash bits (not those of the position) over `slot + 1`. */
function entryOf(hash: number, slot: number): number {
  return (((hash >>> 24) & 0x3f) << SLOT_BITS) | (slot + 1);
}

/**
 * A table size that holds `count` entries 62.5 % full: room for 20 % more before the next rebuild.
 * Fuller than a plain open-addressing table usually runs, because a probe past another member's
 * entry costs only an Int32Array read (see the hash bits above).
 */
export function tableSizeFor(count: number): number {
  return Math.max(8, Math.ceil(count * 1.6));
}

/** The slot of `id`, or -1. */
export function findSlot(table: Int32Array, users: readonly (User | undefined)[], id: string, hash: number): number {
  const size = table.length;
  const tag = entryOf(hash, -1);
  let i = hash % size;
  for (;;) {
    const entry = table[i] as number;
    if (entry === EMPTY) return -1;
    if (entry > 0 && (entry & ~SLOT_MASK) === tag) {
      const slot = (entry & SLOT_MASK) - 1;
      if ((users[slot] as User).id === id) return slot;
    }
    if (++i === size) i = 0;
  }
}

/** Enter a slot whose id is known to be absent; reuses the first deleted entry on the probe path. */
export function insertSlot(table: Int32Array, hash: number, slot: number): void {
  const size = table.length;
  let i = hash % size;
  while ((table[i] as number) > 0) if (++i === size) i = 0;
  table[i] = entryOf(hash, slot);
}

/**
 * Remove the entry of `slot` (whose id hashes to `hash`). Returns 1 when it became a tombstone (probe
 * paths through it stay intact until the table is rebuilt), 0 when it could be emptied outright, -1
 * when it was not there.
 */
export function deleteSlot(table: Int32Array, hash: number, slot: number): number {
  const size = table.length;
  const wanted = entryOf(hash, slot);
  let i = hash % size;
  for (;;) {
    const entry = table[i] as number;
    if (entry === EMPTY) return -1;
    if (entry === wanted) {
      // Followed by an empty entry, no probe path runs through it: it can be empty too.
      if (table[i + 1 === size ? 0 : i + 1] === EMPTY) {
        table[i] = EMPTY;
        return 0;
      }
      table[i] = DELETED;
      return 1;
    }
    if (++i === size) i = 0;
  }
}
