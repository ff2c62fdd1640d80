import { InvalidOptionError } from '../util/errors.js';

/** What a budget needs from a collection registered with it: drop one value it chose to evict. */
export interface BudgetMember {
  evictFromBudget(value: object): void;
}

/**
 * A process-wide bound on the total entries of many collections (typically every guild's member
 * collection in one cluster). A per-guild limit alone does not bound a cluster of 25,000 guilds;
 * this does.
 *
 * Entries are kept in one least-recently-used order across all registered collections: an
 * insertion-ordered Map keyed by the value object itself (re-inserting moves it to the end), so
 * tracking, touching and evicting are O(1) and the per-entry cost is one Map slot, not a list node.
 * When full, the globally oldest entry is evicted from whichever collection holds it.
 *
 * One instance should live in at most one collection of a budget (members are per-guild objects,
 * so this holds for member collections).
 */
export class CacheBudget {
  readonly maxEntries: number;
  /** Entries evicted to stay within the budget since creation. */
  evictions = 0;
  private readonly order = new Map<object, BudgetMember>();

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new InvalidOptionError('CacheBudget.maxEntries', 'a positive integer', maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /** Entries currently counted against the budget. */
  get size(): number {
    return this.order.size;
  }

  /** Count a value (newly stored, or replaced) as most recently used, evicting the oldest if full. */
  track(value: object, owner: BudgetMember): void {
    this.order.delete(value);
    this.order.set(value, owner);
    while (this.order.size > this.maxEntries) {
      const oldest = this.order.entries().next().value;
      if (oldest === undefined) break;
      this.order.delete(oldest[0]);
      this.evictions++;
      oldest[1].evictFromBudget(oldest[0]);
    }
  }

  /** Mark a tracked value as just used. Untracked values are ignored. */
  touch(value: object): void {
    const owner = this.order.get(value);
    if (owner === undefined) return;
    this.order.delete(value);
    this.order.set(value, owner);
  }

  /** Stop counting a value (its collection removed it). */
  untrack(value: object): void {
    this.order.delete(value);
  }
}
