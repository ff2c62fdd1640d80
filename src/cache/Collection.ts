import { InvalidOptionError } from '../util/errors.js';
import type { BudgetMember, CacheBudget } from './CacheBudget.js';
import { MissingIDError } from './errors.js';
import type { EvictionListener, Identified, PayloadOf, StructureClass } from './types.js';

/** Options beyond Eris's `(baseObject, limit)`. */
export interface CollectionOptions<V, K extends string = string> {
  /** A process-wide bound shared with other collections (e.g. every guild's members). */
  budget?: CacheBudget;
  /** Called after an entry is dropped to stay within `limit` or the budget (not on remove/delete). */
  onEvict?: EvictionListener<V, K>;
}

/**
 * Eris's Collection: a Map of structures by id that builds instances from raw payloads.
 *
 * With a `limit` it is a least-recently-used hot set: adding beyond the limit evicts an entry not
 * used for longest, and `get` counts as a use. Recency uses the CLOCK (second-chance) form of LRU:
 * `get` only marks the key as referenced (one Set insert); at eviction the oldest entry by Map
 * order is evicted unless marked, in which case its mark is cleared and it moves to the back.
 * Each operation is amortized O(1). Exact LRU by Map delete+re-insert on every `get` measured
 * 5–8× slower on 100,000 entries (see docs/benchmarks.md, "Remote tier"), and a linked list of
 * nodes costs ~56 more bytes per entry. `limit` 0 stores nothing (Eris semantics); undefined or
 * Infinity is unbounded. A `budget` bounds many collections together.
 *
 * Plain Map methods keep working: `set` obeys the limit and budget, `delete`/`clear` release budget
 * slots. Iteration and `find`/`filter`/… do not change recency; use `peek` to read without it.
 */
export class Collection<K extends string, V extends Identified, Raw = never> extends Map<K, V> implements BudgetMember {
  readonly baseObject: StructureClass<V, Raw>;
  readonly budget: CacheBudget | undefined;
  onEvict: EvictionListener<V, K> | undefined;
  /** Entries dropped to stay within limit or budget. */
  evictions = 0;
  private maxSize: number;
  /** Keys read since they last reached the front (CLOCK marks); only while bounded by `limit`. */
  private referenced: Set<K> | undefined;
  /** The CLOCK hand: a live iterator, so eviction never rescans deleted slots at the Map's front. */
  private hand: IterableIterator<[K, V]> | undefined;

  constructor(baseObject: StructureClass<V, Raw>, limit?: number, options: CollectionOptions<V, K> = {}) {
    super();
    if (typeof baseObject !== 'function') {
      throw new InvalidOptionError('Collection.baseObject', 'a structure class', baseObject);
    }
    this.baseObject = baseObject;
    this.maxSize = checkLimit(limit);
    this.referenced = boundedMarks<K>(this.maxSize);
    this.budget = options.budget;
    this.onEvict = options.onEvict;
  }

  /** Maximum entries held by this collection (Infinity when unbounded). Lowering it evicts at once. */
  get limit(): number {
    return this.maxSize;
  }

  set limit(value: number | undefined) {
    this.maxSize = checkLimit(value);
    this.referenced = this.referenced ?? boundedMarks<K>(this.maxSize);
    if (this.maxSize === Number.POSITIVE_INFINITY) this.referenced = undefined;
    this.evictOverLimit();
  }

  /**
   * Add a raw payload (built into `new baseObject(obj, extra)`) or an instance. Returns the existing
   * entry when the id is present, unless `replace`. With `limit` 0 the instance is returned unstored.
   */
  add(obj: V | PayloadOf<Raw>, extra?: unknown, replace?: boolean): V {
    const id = idOf(obj, this.baseObject.name);
    if (this.maxSize !== 0 && !replace) {
      const existing = super.get(id as K);
      if (existing !== undefined) return existing;
    }
    const value = obj instanceof this.baseObject ? (obj as V) : new this.baseObject(obj as Raw, extra as never);
    if (this.maxSize !== 0) this.set(value.id as K, value);
    return value;
  }

  /**
   * Apply a (partial) payload to the existing entry through its `update`, or add it when absent.
   * A structure without `update` is replaced by a new instance.
   */
  update(obj: V | PayloadOf<Raw> | (Partial<Raw> & Identified), extra?: unknown, replace?: boolean): V {
    const id = idOf(obj, this.baseObject.name);
    const existing = this.get(id as K);
    if (existing === undefined) return this.add(obj as V | PayloadOf<Raw>, extra, replace);
    const updatable = existing as V & { update?: (data: unknown, extra?: unknown) => void };
    if (typeof updatable.update === 'function' && !(obj instanceof this.baseObject)) {
      updatable.update(obj, extra);
      return existing;
    }
    return this.add(obj as V | PayloadOf<Raw>, extra, true);
  }

  /** Remove by instance or `{ id }`. Returns the removed entry, or null when absent (Eris). */
  remove(obj: Identified): V | null {
    const value = super.get(obj.id as K);
    if (value === undefined) return null;
    this.delete(obj.id as K);
    return value;
  }

  /** Read an entry and mark it as just used. */
  override get(key: K): V | undefined {
    const value = super.get(key);
    if (value !== undefined) {
      this.referenced?.add(key);
      this.budget?.touch(value);
    }
    return value;
  }

  /** Read an entry without changing its recency. */
  peek(key: K): V | undefined {
    return super.get(key);
  }

  override set(key: K, value: V): this {
    if (this.maxSize === 0) return this;
    const previous = super.get(key);
    if (previous !== undefined) {
      // Replaced in place (Map keeps its position); writing it counts as a use.
      if (previous !== value) this.budget?.untrack(previous);
      this.referenced?.add(key);
    }
    super.set(key, value);
    this.evictOverLimit();
    // Tracked last: the budget may evict from any collection, this one included.
    this.budget?.track(value, this);
    return this;
  }

  override delete(key: K): boolean {
    const value = super.get(key);
    if (value === undefined) return false;
    super.delete(key);
    this.referenced?.delete(key);
    this.budget?.untrack(value);
    return true;
  }

  /** Remove every entry and release their budget slots (no onEvict calls). */
  override clear(): void {
    if (this.budget) for (const value of super.values()) this.budget.untrack(value);
    this.referenced?.clear();
    super.clear();
  }

  /** Called by the budget: drop a value it evicted (only if it is still the entry for its id). */
  evictFromBudget(value: object): void {
    const key = (value as V).id as K;
    if (super.get(key) !== value) return;
    super.delete(key);
    this.referenced?.delete(key);
    this.evictions++;
    this.onEvict?.(value as V, key);
  }

  /** Whether `func` is truthy for every value (true when empty). Does not change recency. */
  every(func: (value: V) => unknown): boolean {
    for (const value of super.values()) if (!func(value)) return false;
    return true;
  }

  /** Values for which `func` is truthy, as an array (Eris). Does not change recency. */
  filter(func: (value: V) => unknown): V[] {
    const out: V[] = [];
    for (const value of super.values()) if (func(value)) out.push(value);
    return out;
  }

  /** The first value for which `func` is truthy, in insertion order. Does not change recency. */
  find(func: (value: V) => unknown): V | undefined {
    for (const value of super.values()) if (func(value)) return value;
    return undefined;
  }

  /** `func` applied to each value, as an array (Eris). Does not change recency. */
  map<R>(func: (value: V) => R): R[] {
    const out: R[] = [];
    for (const value of super.values()) out.push(func(value));
    return out;
  }

  /** A uniformly random entry, or undefined when empty. O(n), as in Eris. */
  random(): V | undefined {
    if (this.size === 0) return undefined;
    let index = Math.floor(Math.random() * this.size);
    for (const value of super.values()) if (index-- === 0) return value;
    return undefined;
  }

  /** Fold the values, starting from the first one; undefined when empty. */
  reduce(func: (accumulator: V, value: V) => V): V | undefined;
  /** Fold the values, starting from `initialValue`. */
  reduce<R>(func: (accumulator: R, value: V) => R, initialValue: R): R;
  reduce<R>(func: (accumulator: R | V, value: V) => R | V, ...initial: [R?]): R | V | undefined {
    const values = super.values();
    let accumulator: R | V | undefined;
    if (initial.length > 0) accumulator = initial[0] as R;
    else {
      const first = values.next();
      if (first.done) return undefined;
      accumulator = first.value;
    }
    for (const value of values) accumulator = func(accumulator as R | V, value);
    return accumulator;
  }

  /** Whether `func` is truthy for any value. Does not change recency. */
  some(func: (value: V) => unknown): boolean {
    for (const value of super.values()) if (func(value)) return true;
    return false;
  }

  override toString(): string {
    return `[Collection<${this.baseObject.name}>]`;
  }

  /** A plain id-to-value object (what JSON.stringify serializes). */
  toJSON(): Record<string, V> {
    const json: Record<string, V> = Object.create(null);
    for (const [key, value] of super.entries()) json[key] = value;
    return json;
  }

  private evictOverLimit(): void {
    while (super.size > this.maxSize) {
      let next = this.hand?.next();
      if (next === undefined || next.done) {
        this.hand = super.entries();
        next = this.hand.next();
      }
      const oldest = next.value;
      if (next.done || oldest === undefined) return;
      super.delete(oldest[0]);
      // Second chance: read since it last reached the front, so it goes to the back instead.
      if (this.referenced?.delete(oldest[0])) {
        super.set(oldest[0], oldest[1]);
        continue;
      }
      this.budget?.untrack(oldest[1]);
      this.evictions++;
      this.onEvict?.(oldest[1], oldest[0]);
    }
  }
}

/** CLOCK marks are needed only when a finite limit makes this collection evict by itself. */
function boundedMarks<K>(limit: number): Set<K> | undefined {
  return limit === Number.POSITIVE_INFINITY || limit === 0 ? undefined : new Set<K>();
}

function checkLimit(limit: number | undefined | null): number {
  if (limit === undefined || limit === null) return Number.POSITIVE_INFINITY;
  if (limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 0)) return limit;
  throw new InvalidOptionError('Collection.limit', 'a non-negative integer or undefined', limit);
}

function idOf(obj: unknown, collection: string): string {
  const id = obj === null || typeof obj !== 'object' ? undefined : (obj as { id?: unknown }).id;
  if (typeof id === 'string' && id.length > 0) return id;
  throw new MissingIDError(collection);
}
