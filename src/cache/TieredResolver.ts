import { InvalidOptionError } from '../util/errors.js';
import type { Collection } from './Collection.js';
import { RemoteBackedCollection } from './RemoteBackedCollection.js';
import type { Identified, PayloadOf } from './types.js';

/**
 * Loads one record from the source of truth (REST). Resolve with the raw payload, or with `null`
 * when the record does not exist (e.g. Discord's 404 Unknown User/Member): that becomes the typed
 * "not found" result. Throw only for real failures (network, 5xx); the error reaches the caller.
 */
export type RecordLoader<Raw> = (id: string) => Promise<PayloadOf<Raw> | null>;

/** Options of a TieredResolver: the extra argument for rebuilt instances and the store read timeout. */
export interface TieredResolverOptions {
  /** Passed to the structure constructor (`new BaseClass(raw, extra)`) and `fromStored`: a guild, the client… */
  extra?: unknown;
  /**
   * How long a store read may take before its ids go to REST instead (default 1000 ms). A Redis
   * client with an offline queue holds commands while Redis is down; this keeps fetches answering.
   */
  storeTimeoutMs?: number;
}

/** Counters of a resolver, one per tier. */
export interface TieredResolverStats {
  /** Answered from the hot set. */
  hotHits: number;
  /** Answered from the remote store. */
  storeHits: number;
  /** Ids the store did not have (or had invalid). */
  storeMisses: number;
  /** Batches whose store read failed or timed out (those ids went to REST). */
  storeErrors: number;
  /** `getEntities` calls made (one per tick with misses). */
  storeBatches: number;
  /** Loader calls. */
  restLoads: number;
  /** Loader answers of "does not exist". */
  notFound: number;
  /** Loader failures. */
  restErrors: number;
}

interface Waiter<V> {
  resolve(value: V | null): void;
  reject(error: unknown): void;
}

/**
 * Async resolution through the tiers: hot set, then remote store, then REST.
 *
 * - `resolve(id)` answers from the hot set synchronously-fast when it can.
 * - Concurrent calls for one id share one promise (single flight).
 * - Ids that miss the hot set within one event-loop turn go to the store as one `getEntities`.
 * - Store misses, and every id of a batch whose store read failed, go to the loader one by one.
 * - What the loader returns enters the hot set and is written to the store; `null` (not found) is
 *   returned as `null`, never thrown.
 *
 * With a plain Collection (no remote store) the store tier is skipped.
 */
export class TieredResolver<V extends Identified, Raw = never> {
  readonly stats: TieredResolverStats = {
    hotHits: 0,
    storeHits: 0,
    storeMisses: 0,
    storeErrors: 0,
    storeBatches: 0,
    restLoads: 0,
    notFound: 0,
    restErrors: 0
  };
  private readonly extra: unknown;
  private readonly storeTimeoutMs: number;
  private readonly inFlight = new Map<string, Promise<V | null>>();
  private batch = new Map<string, Waiter<V>>();
  private batchScheduled = false;

  constructor(
    readonly collection: Collection<string, V, Raw>,
    readonly load: RecordLoader<Raw>,
    options: TieredResolverOptions = {}
  ) {
    this.extra = options.extra;
    const timeout = options.storeTimeoutMs ?? 1000;
    if (typeof timeout !== 'number' || !(timeout > 0)) {
      throw new InvalidOptionError('TieredResolver.storeTimeoutMs', 'a positive number of ms', timeout);
    }
    this.storeTimeoutMs = timeout;
  }

  /** Ids whose resolution is under way. */
  get pending(): number {
    return this.inFlight.size;
  }

  /** The record, or `null` when it does not exist. Rejects only when the loader fails. */
  resolve(id: string): Promise<V | null> {
    const hot = this.collection.get(id);
    if (hot !== undefined) {
      this.stats.hotHits++;
      return Promise.resolve(hot);
    }
    const running = this.inFlight.get(id);
    if (running !== undefined) return running;
    const promise = new Promise<V | null>((resolve, reject) => {
      if (this.collection instanceof RemoteBackedCollection) {
        this.batch.set(id, { resolve, reject });
        this.scheduleBatch();
      } else {
        this.loadFromSource(id).then(resolve, reject);
      }
    });
    this.inFlight.set(id, promise);
    const forget = () => {
      if (this.inFlight.get(id) === promise) this.inFlight.delete(id);
    };
    promise.then(forget, forget);
    return promise;
  }

  /** Resolve many ids (batched like concurrent `resolve` calls); answers in order. */
  resolveMany(ids: string[]): Promise<Array<V | null>> {
    return Promise.all(ids.map((id) => this.resolve(id)));
  }

  private scheduleBatch(): void {
    if (this.batchScheduled) return;
    this.batchScheduled = true;
    setImmediate(() => {
      this.batchScheduled = false;
      const batch = this.batch;
      this.batch = new Map();
      void this.runBatch(batch);
    });
  }

  private async runBatch(batch: Map<string, Waiter<V>>): Promise<void> {
    const collection = this.collection as unknown as RemoteBackedCollection<V, Raw>;
    const ids = [...batch.keys()];
    let found: Array<V | null>;
    this.stats.storeBatches++;
    try {
      found = await withTimeout(collection.getManyRemote(ids, this.extra), this.storeTimeoutMs);
    } catch {
      // The store is down or slow to fail: REST still answers.
      this.stats.storeErrors++;
      found = ids.map(() => null);
    }
    ids.forEach((id, i) => {
      const waiter = batch.get(id)!;
      const value = found[i];
      if (value !== null && value !== undefined) {
        this.stats.storeHits++;
        waiter.resolve(value);
        return;
      }
      this.stats.storeMisses++;
      this.loadFromSource(id).then(waiter.resolve, waiter.reject);
    });
  }

  private async loadFromSource(id: string): Promise<V | null> {
    this.stats.restLoads++;
    let raw: PayloadOf<Raw> | null;
    try {
      raw = await this.load(id);
    } catch (error) {
      this.stats.restErrors++;
      throw error;
    }
    if (raw === null || raw === undefined) {
      this.stats.notFound++;
      return null;
    }
    // Some sources answer without a top-level id (REST's guild member carries it in `user.id`):
    // the record is the one asked for, so it is cached under that id.
    if (typeof (raw as { id?: unknown }).id !== 'string') raw = { ...raw, id } as PayloadOf<Raw>;
    const collection = this.collection;
    const existing = collection.peek(id);
    // Dispatch may have cached it meanwhile: keep that instance, but still refresh the store.
    const value = existing ?? collection.add(raw, this.extra);
    if (collection instanceof RemoteBackedCollection && existing !== undefined) {
      collection.writeRaw(id, raw);
    }
    return value;
  }
}

class StoreTimeoutError extends Error {
  override name = 'StoreTimeoutError';
}

/** Reject when `promise` has not settled within `ms` (the late answer, if any, is ignored). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StoreTimeoutError(`store read took over ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      }
    );
  });
}
