import type { Guild } from '../Guild.js';
import { EMPTY_STRINGS } from '../intern.js';

/**
 * A guild's distinct role sets, each held once as a frozen array and named by a small index that
 * a member store keeps per member (4 bytes instead of an 8-byte pointer plus the array).
 *
 * Sets are reference-counted by the members holding them: a set no member holds any more is
 * dropped and its index reused, so the table never outgrows the guild's live members (the
 * Map-based `Guild.internRoles` instead starts over at 4,096 sets). Index 0 is the empty set and
 * is never counted or dropped. Ids in a set are the guild's role-map strings where the role is cached.
 */
export class RoleSetTable {
  private readonly guild: Guild;
  /**
   * Two entries per index: the set, then its holder count. A dropped index holds `undefined` and
   * the next dropped index (-1 for none), so freed indices form a list without an array of their own.
   */
  private readonly entries: (readonly string[] | number | undefined)[] = [EMPTY_STRINGS, 0];
  /**
   * Set key (the single id, or the ids joined by ',') to index, made once the guild has more than
   * SCAN_LIMIT sets: below that a scan of the sets is as quick and most guilds never pay for a Map.
   */
  private byKey: Map<string, number> | null = null;
  private count = 0;
  /** The first dropped index to reuse, or -1. */
  private freed = -1;

  constructor(guild: Guild) {
    this.guild = guild;
  }

  /** The set at `index` (index 0, or one a live member holds). */
  get(index: number): readonly string[] {
    return this.entries[index * 2] as readonly string[];
  }

  /** Distinct non-empty sets held. */
  get size(): number {
    return this.count;
  }

  /** Index of a payload's role ids (non-strings ignored), counting one more holder. */
  acquire(ids: readonly unknown[] | null | undefined): number {
    if (!Array.isArray(ids) || ids.length === 0) return 0;
    let clean = ids as string[];
    for (let i = 0; i < ids.length; i++) {
      if (typeof ids[i] !== 'string') {
        clean = ids.filter((id): id is string => typeof id === 'string');
        break;
      }
    }
    if (clean.length === 0) return 0;
    const known = this.indexOf(clean);
    if (known >= 0) return this.hold(known);
    const guild = this.guild;
    return this.insert(Object.freeze(clean.map((id) => guild.internRoleID(id))));
  }

  /** Index of an existing set (a Member instance's `roles`), counting one more holder. */
  acquireSet(roles: readonly string[]): number {
    if (roles.length === 0) return 0;
    const known = this.indexOf(roles);
    if (known >= 0) return this.hold(known);
    return this.insert(Object.isFrozen(roles) ? roles : Object.freeze([...roles]));
  }

  /** One holder fewer; the set is dropped when none is left. */
  release(index: number): void {
    if (index === 0) return;
    const entries = this.entries;
    const left = (entries[index * 2 + 1] as number) - 1;
    if (left > 0) {
      entries[index * 2 + 1] = left;
      return;
    }
    this.byKey?.delete(keyOf(entries[index * 2] as readonly string[]));
    entries[index * 2] = undefined;
    entries[index * 2 + 1] = this.freed;
    this.freed = index;
    this.count--;
  }

  /** The index of the set with exactly these ids (same order), or -1. */
  private indexOf(ids: readonly string[]): number {
    if (this.byKey !== null) return this.byKey.get(keyOf(ids)) ?? -1;
    const entries = this.entries;
    for (let at = 2; at < entries.length; at += 2) {
      const set = entries[at];
      if (set !== undefined && sameSet(set as readonly string[], ids)) return at / 2;
    }
    return -1;
  }

  private hold(index: number): number {
    this.entries[index * 2 + 1] = (this.entries[index * 2 + 1] as number) + 1;
    return index;
  }

  private insert(set: readonly string[]): number {
    const entries = this.entries;
    let index = this.freed;
    if (index >= 0) this.freed = entries[index * 2 + 1] as number;
    else index = entries.length / 2;
    entries[index * 2] = set;
    entries[index * 2 + 1] = 1;
    this.count++;
    if (this.byKey !== null) this.byKey.set(keyOf(set), index);
    else if (this.count > SCAN_LIMIT) {
      const byKey = new Map<string, number>();
      for (let at = 2; at < entries.length; at += 2) {
        const held = entries[at];
        if (held !== undefined) byKey.set(keyOf(held as readonly string[]), at / 2);
      }
      this.byKey = byKey;
    }
    return index;
  }
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

function sameSet(set: readonly string[], ids: readonly string[]): boolean {
  if (set.length !== ids.length) return false;
  for (let i = 0; i < ids.length; i++) if (set[i] !== ids[i]) return false;
  return true;
}
