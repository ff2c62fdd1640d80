import type { Guild } from '../Guild.js';

/**
 * A guild's distinct role sets, each held once as a frozen array and named by a small index that
 * a member store keeps per member (4 bytes instead of an 8-byte pointer plus the array).
 *
 * Sets are reference-counted by the members holding them: a set no member holds any more is
 * dropped and its index reused, so the table never outgrows the guild's live members (the
 * Map-based `Guild.internRoles` instead starts over at 4,096 sets). Index 0 is the empty set: never
 * stored, counted or dropped. Ids in a set are the guild's role-map strings where the role is cached.
 *
 * The table is one plain array, held by the member store (no object of its own): two entries per
 * index, the set then its holder count. Index 0's two entries hold the table's own state instead:
 * the Map of set keys (made once the guild has more than SCAN_LIMIT sets, else null) and the first
 * dropped index (-1 for none). A dropped index holds `undefined` and the next dropped index, so
 * freed indices form a list without an array of their own. The array grows by exactly one index
 * while small (V8's own growth would add 16 spare entries to a 2-entry array), by half beyond.
 */
export type RoleSets = (readonly string[] | number | Map<string, number> | null | undefined)[];

const BY_KEY = 0;
const FREED = 1;
/** Indices a table grows one at a time before it grows by half. */
const EXACT_UNTIL = 64;

/** The set at `index` (at least 1, held by a live member). */
export function roleSetAt(sets: RoleSets, index: number): readonly string[] {
  return sets[index * 2] as readonly string[];
}

/** A payload's role ids without non-strings, or null when none is left. */
export function roleIDs(ids: readonly unknown[] | null | undefined): string[] | null {
  if (!Array.isArray(ids) || ids.length === 0) return null;
  let clean = ids as string[];
  for (let i = 0; i < ids.length; i++) {
    if (typeof ids[i] !== 'string') {
      clean = ids.filter((id): id is string => typeof id === 'string');
      break;
    }
  }
  return clean.length === 0 ? null : clean;
}

/** A new set for the table: the ids as the guild's own strings, frozen. */
export function internedSet(guild: Guild, ids: readonly string[]): readonly string[] {
  const set = new Array<string>(ids.length);
  for (let i = 0; i < ids.length; i++) set[i] = guild.internRoleID(ids[i] as string);
  return Object.freeze(set);
}

/** The index of the set with exactly these ids (same order; a non-string id matches no set), or -1. */
export function findRoleSet(sets: RoleSets | null, ids: readonly unknown[]): number {
  if (sets === null) return -1;
  const byKey = sets[BY_KEY] as Map<string, number> | null;
  if (byKey !== null) {
    // The joined key of ids that are not all strings could equal a set's: the hit is checked.
    const index = byKey.get(keyOf(ids as readonly string[])) ?? -1;
    return index > 0 && sameSet(sets[index * 2] as readonly string[], ids) ? index : -1;
  }
  for (let at = 2; at < sets.length; at += 2) {
    const set = sets[at];
    if (set !== undefined && sameSet(set as readonly string[], ids)) return at / 2;
  }
  return -1;
}

/** One more holder of a set in the table; returns its index. */
export function holdRoleSet(sets: RoleSets, index: number): number {
  sets[index * 2 + 1] = (sets[index * 2 + 1] as number) + 1;
  return index;
}

/** The table (a new array when it had to grow) with at least one free index for `insertRoleSet`. */
export function withRoom(sets: RoleSets | null): RoleSets {
  if (sets === null) return [null, 1, undefined, -1];
  if ((sets[FREED] as number) >= 0) return sets;
  const length = sets.length;
  const added = length / 2 < EXACT_UNTIL ? 1 : Math.ceil(length / 4);
  const next: RoleSets = new Array(length + added * 2);
  for (let i = 0; i < length; i++) next[i] = sets[i];
  // The new indices, in order, form the list of free indices.
  const first = length / 2;
  for (let index = first; index < first + added; index++) {
    next[index * 2] = undefined;
    next[index * 2 + 1] = index + 1 < first + added ? index + 1 : -1;
  }
  next[FREED] = first;
  return next;
}

/** Put a new set (one holder) at the first free index of a table from `withRoom`; returns the index. */
export function insertRoleSet(sets: RoleSets, set: readonly string[]): number {
  const index = sets[FREED] as number;
  sets[FREED] = sets[index * 2 + 1] as number;
  sets[index * 2] = set;
  sets[index * 2 + 1] = 1;
  const byKey = sets[BY_KEY] as Map<string, number> | null;
  if (byKey !== null) byKey.set(keyOf(set), index);
  else if (sets.length / 2 - 1 > SCAN_LIMIT && liveSets(sets) > SCAN_LIMIT) {
    const map = new Map<string, number>();
    for (let at = 2; at < sets.length; at += 2) {
      const held = sets[at];
      if (held !== undefined) map.set(keyOf(held as readonly string[]), at / 2);
    }
    sets[BY_KEY] = map;
  }
  return index;
}

/** One holder fewer (index 0 is ignored); the set is dropped when none is left. */
export function releaseRoleSet(sets: RoleSets | null, index: number): void {
  if (index === 0 || sets === null) return;
  const left = (sets[index * 2 + 1] as number) - 1;
  if (left > 0) {
    sets[index * 2 + 1] = left;
    return;
  }
  (sets[BY_KEY] as Map<string, number> | null)?.delete(keyOf(sets[index * 2] as readonly string[]));
  sets[index * 2] = undefined;
  sets[index * 2 + 1] = sets[FREED] as number;
  sets[FREED] = index;
}

/** Distinct sets held. */
export function liveSets(sets: RoleSets | null): number {
  if (sets === null) return 0;
  let count = 0;
  for (let at = 2; at < sets.length; at += 2) if (sets[at] !== undefined) count++;
  return count;
}

/**
 * Sets a table scans before it keys them in a Map. A scan rejects most sets on their length or
 * first id; the Map costs a table and a joined key string per set (~250 B per guild). In the
 * bench world (bench/memory.ts) 45 % of guilds have more than 8 distinct sets, 4 % more than 16.
 */
const SCAN_LIMIT = 16;

/** A set's key: its one id (no new string), or the ids joined. */
function keyOf(ids: readonly string[]): string {
  return ids.length === 1 ? (ids[0] as string) : ids.join(',');
}

function sameSet(set: readonly string[], ids: readonly unknown[]): boolean {
  if (set.length !== ids.length) return false;
  for (let i = 0; i < ids.length; i++) if (set[i] !== ids[i]) return false;
  return true;
}
