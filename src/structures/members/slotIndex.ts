/**
 * The id → slot index of a member store: open addressing with linear probing in a region of an
 * Int32Array (the store's columns array: `size` entries from `at`, after the slot columns, so a
 * store holds one typed array, not two).
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
 * The table size for a store of `slots` slots: every slot's member fits 70 % full (fuller than a
 * plain open-addressing table usually runs, because a probe past another member's entry costs
 * only an Int32Array read, see the hash bits above). Deleted entries trigger a rebuild in place
 * at MAX_LOAD. Stores of at most SCAN_SLOTS slots have no table: a scan of their users is as quick.
 */
export function tableSizeFor(slots: number): number {
  return slots <= SCAN_SLOTS ? 0 : Math.ceil(slots / 0.7);
}

/** Stores of at most this many slots find ids by scanning their users column. */
export const SCAN_SLOTS = 8;

/** The slot of `id` in the table of `size` entries at `at` (size > 0), or -1. */
export function findSlot(
  table: Int32Array,
  at: number,
  size: number,
  users: readonly (User | undefined)[],
  id: string,
  hash: number
): number {
  const tag = entryOf(hash, -1);
  const end = at + size;
  let i = at + (hash % size);
  for (;;) {
    const entry = table[i] as number;
    if (entry === EMPTY) return -1;
    if (entry > 0 && (entry & ~SLOT_MASK) === tag) {
      const slot = (entry & SLOT_MASK) - 1;
      if ((users[slot] as User).id === id) return slot;
    }
    if (++i === end) i = at;
  }
}

/** Enter a slot whose id is known to be absent; reuses the first deleted entry on the probe path. */
export function insertSlot(table: Int32Array, at: number, size: number, hash: number, slot: number): void {
  const end = at + size;
  let i = at + (hash % size);
  while ((table[i] as number) > 0) if (++i === end) i = at;
  table[i] = entryOf(hash, slot);
}

/**
 * Remove the entry of `slot` (whose id hashes to `hash`). Returns 1 when it became a tombstone (probe
 * paths through it stay intact until the table is rebuilt), 0 when it could be emptied outright, -1
 * when it was not there.
 */
export function deleteSlot(table: Int32Array, at: number, size: number, hash: number, slot: number): number {
  const wanted = entryOf(hash, slot);
  const end = at + size;
  let i = at + (hash % size);
  for (;;) {
    const entry = table[i] as number;
    if (entry === EMPTY) return -1;
    if (entry === wanted) {
      // Followed by an empty entry, no probe path runs through it: it can be empty too.
      if (table[i + 1 === end ? at : i + 1] === EMPTY) {
        table[i] = EMPTY;
        return 0;
      }
      table[i] = DELETED;
      return 1;
    }
    if (++i === end) i = at;
  }
}

/**
 * As `deleteSlot`, for a slot whose id's hash is not at hand (an eviction): the entry is found by
 * a scan of the table for the slot's number. A small table is a few cache lines read in order,
 * cheaper than hashing the id, which reads the User and its id string from elsewhere in the heap.
 */
export function deleteSlotByScan(table: Int32Array, at: number, size: number, slot: number): number {
  const end = at + size;
  const wanted = slot + 1;
  for (let i = at; i < end; i++) {
    const entry = table[i] as number;
    if (entry > 0 && (entry & SLOT_MASK) === wanted) {
      if (table[i + 1 === end ? at : i + 1] === EMPTY) {
        table[i] = EMPTY;
        return 0;
      }
      table[i] = DELETED;
      return 1;
    }
  }
  return -1;
}

/**
 * Renumber the slots of a table's entries after a compaction (`moved[old]` is the new slot): an
 * entry's position depends on its id's hash only, so no id is hashed again. Deleted entries stay.
 */
export function renumberSlots(table: Int32Array, at: number, size: number, moved: Int32Array): void {
  const end = at + size;
  for (let i = at; i < end; i++) {
    const entry = table[i] as number;
    if (entry > 0) table[i] = (entry & ~SLOT_MASK) | ((moved[(entry & SLOT_MASK) - 1] as number) + 1);
  }
}
