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
  /** Set key (the single id, or the ids joined by ',') to index. */
  private readonly byKey = new Map<string, number>();
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
    return this.byKey.size;
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
    const key = clean.length === 1 ? (clean[0] as string) : clean.join(',');
    const known = this.byKey.get(key);
    if (known !== undefined) return this.hold(known);
    const guild = this.guild;
    const set = Object.freeze(clean.map((id) => guild.internRoleID(id)));
    // Keyed by the set's own string when it has one id: the key costs nothing more.
    return this.insert(set.length === 1 ? (set[0] as string) : key, set);
  }

  /** Index of an existing set (a Member instance's `roles`), counting one more holder. */
  acquireSet(roles: readonly string[]): number {
    if (roles.length === 0) return 0;
    const key = roles.length === 1 ? (roles[0] as string) : roles.join(',');
    const known = this.byKey.get(key);
    if (known !== undefined) return this.hold(known);
    return this.insert(key, Object.isFrozen(roles) ? roles : Object.freeze([...roles]));
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
    const set = entries[index * 2] as readonly string[];
    this.byKey.delete(set.length === 1 ? (set[0] as string) : set.join(','));
    entries[index * 2] = undefined;
    entries[index * 2 + 1] = this.freed;
    this.freed = index;
  }

  private hold(index: number): number {
    this.entries[index * 2 + 1] = (this.entries[index * 2 + 1] as number) + 1;
    return index;
  }

  private insert(key: string, set: readonly string[]): number {
    const entries = this.entries;
    let index = this.freed;
    if (index >= 0) this.freed = entries[index * 2 + 1] as number;
    else index = entries.length / 2;
    entries[index * 2] = set;
    entries[index * 2 + 1] = 1;
    this.byKey.set(key, index);
    return index;
  }
}
