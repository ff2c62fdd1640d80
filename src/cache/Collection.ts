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
 *
 * A subclass may keep its entries elsewhere than in the Map (src/structures/roles/RoleStore.ts):
 * the helpers (`find`, `filter`, `toJSON`…) read through `this.values()`/`this.entries()`, so it
 * overrides the Map methods and the helpers follow.
 */
export class Collection<K extends string, V extends Identified, Raw = never> extends Map<K, V> implements BudgetMember {
  readonly baseObject: StructureClass<V, Raw>;
  /**
   * Limit, budget, listener, counter and CLOCK state, allocated only once one of them is set: most
   * collections (a guild's roles and channels) never evict, and each field would cost them a slot.
   */
  private eviction: EvictionState<K, V> | null;

  constructor(baseObject: StructureClass<V, Raw>, limit?: number, options: CollectionOptions<V, K> = {}) {
    super();
    if (typeof baseObject !== 'function') {
      throw new InvalidOptionError('Collection.baseObject', 'a structure class', baseObject);
    }
    this.baseObject = baseObject;
    this.eviction = null;
    const maxSize = checkLimit(limit);
    if (maxSize !== Number.POSITIVE_INFINITY || options.budget !== undefined || options.onEvict !== undefined) {
      const state = this.evictionState();
      state.maxSize = maxSize;
      state.referenced = boundedMarks<K>(maxSize);
      state.budget = options.budget;
      state.onEvict = options.onEvict;
    }
  }

  /** A process-wide bound shared with other collections, if one was given. */
  get budget(): CacheBudget | undefined {
    return this.eviction?.budget;
  }

  /** Called after an entry is dropped to stay within `limit` or the budget (not on remove/delete). */
  get onEvict(): EvictionListener<V, K> | undefined {
    return this.eviction?.onEvict;
  }

  set onEvict(listener: EvictionListener<V, K> | undefined) {
    if (listener === undefined && this.eviction === null) return;
    this.evictionState().onEvict = listener;
  }

  /** Entries dropped to stay within limit or budget. */
  get evictions(): number {
    return this.eviction?.evictions ?? 0;
  }

  set evictions(value: number) {
    if (value === 0 && this.eviction === null) return;
    this.evictionState().evictions = value;
  }

  /** Maximum entries held by this collection (Infinity when unbounded). Lowering it evicts at once. */
  get limit(): number {
    return this.eviction?.maxSize ?? Number.POSITIVE_INFINITY;
  }

  set limit(value: number | undefined) {
    const maxSize = checkLimit(value);
    if (maxSize === Number.POSITIVE_INFINITY && this.eviction === null) return;
    const state = this.evictionState();
    state.maxSize = maxSize;
    state.referenced = state.referenced ?? boundedMarks<K>(maxSize);
    if (maxSize === Number.POSITIVE_INFINITY) state.referenced = undefined;
    this.evictOverLimit(state);
  }

  /**
   * Add a raw payload (built into `new baseObject(obj, extra)`) or an instance. Returns the existing
   * entry when the id is present, unless `replace`. With `limit` 0 the instance is returned unstored.
   */
  add(obj: V | PayloadOf<Raw>, extra?: unknown, replace?: boolean): V {
    const id = idOf(obj, this.baseObject.name);
    const stores = this.eviction?.maxSize !== 0;
    if (stores && !replace) {
      const existing = super.get(id as K);
      if (existing !== undefined) return existing;
    }
    const value = obj instanceof this.baseObject ? (obj as V) : new this.baseObject(obj as Raw, extra as never);
    if (stores) this.set(value.id as K, value);
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
    const state = this.eviction;
    if (value !== undefined && state !== null) {
      state.referenced?.add(key);
      state.budget?.touch(value);
    }
    return value;
  }

  /** Read an entry without changing its recency. */
  peek(key: K): V | undefined {
    return super.get(key);
  }

  override set(key: K, value: V): this {
    const state = this.eviction;
    if (state === null) {
      super.set(key, value);
      return this;
    }
    if (state.maxSize === 0) return this;
    const previous = super.get(key);
    if (previous !== undefined) {
      // Replaced in place (Map keeps its position); writing it counts as a use.
      if (previous !== value) state.budget?.untrack(previous);
      state.referenced?.add(key);
    }
    super.set(key, value);
    this.evictOverLimit(state);
    // Tracked last: the budget may evict from any collection, this one included.
    state.budget?.track(value, this);
    return this;
  }

  override delete(key: K): boolean {
    const value = super.get(key);
    if (value === undefined) return false;
    super.delete(key);
    const state = this.eviction;
    if (state !== null) {
      state.referenced?.delete(key);
      state.budget?.untrack(value);
    }
    return true;
  }

  /** Remove every entry and release their budget slots (no onEvict calls). */
  override clear(): void {
    const state = this.eviction;
    if (state !== null) {
      const budget = state.budget;
      if (budget) for (const value of super.values()) budget.untrack(value);
      state.referenced?.clear();
    }
    super.clear();
  }

  /** Called by the budget: drop a value it evicted (only if it is still the entry for its id). */
  evictFromBudget(value: object): void {
    const key = (value as V).id as K;
    if (super.get(key) !== value) return;
    super.delete(key);
    const state = this.evictionState();
    state.referenced?.delete(key);
    state.evictions++;
    state.onEvict?.(value as V, key);
  }

  /** Whether `func` is truthy for every value (true when empty). Does not change recency. */
  every(func: (value: V) => unknown): boolean {
    for (const value of this.values()) if (!func(value)) return false;
    return true;
  }

  /** Values for which `func` is truthy, as an array (Eris). Does not change recency. */
  filter(func: (value: V) => unknown): V[] {
    const out: V[] = [];
    for (const value of this.values()) if (func(value)) out.push(value);
    return out;
  }

  /** The first value for which `func` is truthy, in insertion order. Does not change recency. */
  find(func: (value: V) => unknown): V | undefined {
    for (const value of this.values()) if (func(value)) return value;
    return undefined;
  }

  /** `func` applied to each value, as an array (Eris). Does not change recency. */
  map<R>(func: (value: V) => R): R[] {
    const out: R[] = [];
    for (const value of this.values()) out.push(func(value));
    return out;
  }

  /** A uniformly random entry, or undefined when empty. O(n), as in Eris. */
  random(): V | undefined {
    if (this.size === 0) return undefined;
    let index = Math.floor(Math.random() * this.size);
    for (const value of this.values()) if (index-- === 0) return value;
    return undefined;
  }

  /** Fold the values, starting from the first one; undefined when empty. */
  reduce(func: (accumulator: V, value: V) => V): V | undefined;
  /** Fold the values, starting from `initialValue`. */
  reduce<R>(func: (accumulator: R, value: V) => R, initialValue: R): R;
  reduce<R>(func: (accumulator: R | V, value: V) => R | V, ...initial: [R?]): R | V | undefined {
    const values = this.values();
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
    for (const value of this.values()) if (func(value)) return true;
    return false;
  }

  override toString(): string {
    return `[Collection<${this.baseObject.name}>]`;
  }

  /** A plain id-to-value object (what JSON.stringify serializes). */
  toJSON(): Record<string, V> {
    const json: Record<string, V> = Object.create(null);
    for (const [key, value] of this.entries()) json[key] = value;
    return json;
  }

  /** The side object holding limit, budget and CLOCK state, allocated on first need. */
  private evictionState(): EvictionState<K, V> {
    return (this.eviction ??= {
      maxSize: Number.POSITIVE_INFINITY,
      referenced: undefined,
      hand: undefined,
      evictions: 0,
      onEvict: undefined,
      budget: undefined
    });
  }

  private evictOverLimit(state: EvictionState<K, V>): void {
    while (super.size > state.maxSize) {
      let next = state.hand?.next();
      if (next === undefined || next.done) {
        state.hand = super.entries();
        next = state.hand.next();
      }
      const oldest = next.value;
      if (next.done || oldest === undefined) return;
      super.delete(oldest[0]);
      // Second chance: read since it last reached the front, so it goes to the back instead.
      if (state.referenced?.delete(oldest[0])) {
        super.set(oldest[0], oldest[1]);
        continue;
      }
      state.budget?.untrack(oldest[1]);
      state.evictions++;
      state.onEvict?.(oldest[1], oldest[0]);
    }
  }
}

/** What only an evicting (limited or budgeted) collection, or one with a listener, needs. */
interface EvictionState<K extends string, V> {
  maxSize: number;
  /** Keys read since they last reached the front (CLOCK marks); only while bounded by `limit`. */
  referenced: Set<K> | undefined;
  /** The CLOCK hand: a live iterator, so eviction never rescans deleted slots at the Map's front. */
  hand: IterableIterator<[K, V]> | undefined;
  evictions: number;
  onEvict: EvictionListener<V, K> | undefined;
  budget: CacheBudget | undefined;
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

/**
 * The base of a Collection that keeps its entries elsewhere than in a Map (a guild's roles as
 * columns: src/structures/roles/RoleStore.ts). `class X extends MaplessCollection<K, V, Raw>`
 * gives objects with Collection's prototype chain (`instanceof Collection` and `instanceof Map`
 * hold, `find`/`filter`/`toJSON`… work) that are not constructed by Map, so they carry no Map hash
 * table: V8 gives every Map an empty 152-byte one, waste for a collection that never uses it.
 *
 * The subclass must serve every Map method itself (get, set, has, delete, clear, size, keys,
 * values, entries, forEach, [Symbol.iterator]) and add, update, remove and peek: the inherited ones
 * reach a Map's storage, which these objects do not have (Map's methods throw a TypeError on them).
 * Such a collection does not evict: `limit` is Infinity and a finite one is an InvalidOptionError
 * (a subclass may override both), and it is never registered with a budget.
 */
export const MaplessCollection = function MaplessCollection(
  this: { baseObject: unknown; eviction: null },
  baseObject: unknown
) {
  if (typeof baseObject !== 'function') {
    throw new InvalidOptionError('Collection.baseObject', 'a structure class', baseObject);
  }
  this.baseObject = baseObject;
  this.eviction = null;
} as unknown as typeof Collection;
MaplessCollection.prototype = Object.create(Collection.prototype, {
  constructor: { value: MaplessCollection, writable: true, configurable: true },
  limit: {
    configurable: true,
    get(): number {
      return Number.POSITIVE_INFINITY;
    },
    set(value: number | undefined): void {
      if (checkLimit(value) === Number.POSITIVE_INFINITY) return;
      throw new InvalidOptionError('Collection.limit', 'undefined or Infinity (this collection does not evict)', value);
    }
  },
  evictFromBudget: {
    configurable: true,
    writable: true,
    value(): void {
      // Never registered with a budget: nothing to drop.
    }
  }
});
