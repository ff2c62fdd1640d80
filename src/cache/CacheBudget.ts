import { InvalidOptionError } from '../util/errors.js';
import { SlotClock } from './SlotClock.js';

/** What a budget needs from a collection registered with it: drop one value it chose to evict. */
export interface BudgetMember {
  /**
   * Drop `value` because the budget chose it for eviction; ignore it if it is no longer this member's entry
   * for its id.
   */
  evictFromBudget(value: object): void;
}

/**
 * A process-wide bound on the total entries of many collections (typically every guild's member
 * collection in one cluster). A per-guild limit alone does not bound a cluster of 25,000 guilds;
 * this does.
 *
 * Entries are kept in one recency order across all registered collections: an insertion-ordered
 * Map keyed by the value object itself, with CLOCK (second-chance) marks: `touch` marks a value;
 * when full, the front value is evicted from whichever collection holds it unless marked, in which
 * case it is unmarked and moved to the back. Every operation is amortized O(1), and the per-entry
 * cost is one Map slot (plus a Set slot while marked), not a list node.
 *
 * One instance should live in at most one collection of a budget (members are per-guild objects,
 * so this holds for member collections).
 *
 * Column stores (the default `MemberStore` under `cache.memberBudget`) keep no object per entry;
 * they count their entries through `slots`, a CLOCK ring of (store, slot) frames (`SlotClock.ts`)
 * at about 13 bytes per entry. Both kinds may share one budget: the bound is on their sum, and an
 * eviction takes from the kind holding more entries (recency is kept within each kind).
 */
export class CacheBudget {
  readonly maxEntries: number;
  /** Entries evicted to stay within the budget since creation. */
  evictions = 0;
  private readonly order = new Map<object, BudgetMember>();
  private readonly referenced = new Set<object>();
  /**
   * The CLOCK hand: one long-lived iterator over `order`. A fresh iterator would start at the
   * table's front and step over every deleted slot V8 has not compacted yet (measured: 40 µs per
   * eviction at 50,000 entries); a live iterator resumes where it stopped and sees re-inserted
   * entries again at the back.
   */
  private hand: IterableIterator<[object, BudgetMember]> | undefined;
  private clock: SlotClock | null = null;

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new InvalidOptionError('CacheBudget.maxEntries', 'a positive integer', maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /** Entries currently counted against the budget (objects and column-store slots). */
  get size(): number {
    return this.order.size + (this.clock === null ? 0 : this.clock.live);
  }

  /** The ring column stores count their entries in (made on first use). */
  get slots(): SlotClock {
    return (this.clock ??= new SlotClock(this));
  }

  /** Count a value (newly stored, or stored again) as used, evicting the least recently used if full. */
  track(value: object, owner: BudgetMember): void {
    if (this.order.has(value)) this.referenced.add(value);
    this.order.set(value, owner);
    while (this.size > this.maxEntries && this.evictOne()) {
      // evictOne did the work.
    }
  }

  /**
   * Evict until one more entry fits (a column store claiming a slot calls this first).
   * @internal
   */
  makeRoom(): void {
    while (this.size >= this.maxEntries && this.evictOne()) {
      // evictOne did the work.
    }
  }

  /** One step of eviction: an entry evicted, or an object given its second chance. False when nothing is left. */
  private evictOne(): boolean {
    const clock = this.clock;
    if (clock !== null && clock.live > 0 && clock.live >= this.order.size) {
      if (!clock.evictOne()) return false;
      this.evictions++;
      return true;
    }
    const oldest = this.oldest();
    if (oldest === undefined) return false;
    this.order.delete(oldest[0]);
    if (this.referenced.delete(oldest[0])) {
      this.order.set(oldest[0], oldest[1]);
      return true;
    }
    this.evictions++;
    oldest[1].evictFromBudget(oldest[0]);
    return true;
  }

  private oldest(): [object, BudgetMember] | undefined {
    let next = this.hand?.next();
    if (next === undefined || next.done) {
      this.hand = this.order.entries();
      next = this.hand.next();
    }
    return next.done ? undefined : next.value;
  }

  /** Mark a tracked value as just used (its collection calls this on `get`). */
  touch(value: object): void {
    this.referenced.add(value);
  }

  /** Stop counting a value (its collection removed it). */
  untrack(value: object): void {
    this.order.delete(value);
    this.referenced.delete(value);
  }
}
