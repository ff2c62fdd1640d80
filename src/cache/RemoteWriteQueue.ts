import { InvalidOptionError } from '../util/errors.js';
import { type RemoteCacheStore, supportsBatchWrites } from './stores/RemoteCacheStore.js';

/** Counters of writes; a queue keeps one set, and each RemoteBackedCollection its own share. */
export interface WriteCounters {
  /** Writes accepted (a write coalesced into a pending one counts too). */
  queued: number;
  /** Writes that replaced a still-pending write of the same record (last write wins). */
  coalesced: number;
  /** Writes the store acknowledged (a batched write counts each of its records). */
  flushed: number;
  /** Writes refused because the queue was full. */
  dropped: number;
  /** Writes whose store operation failed (a failed batch counts each of its records). */
  errors: number;
  /** UTF-8 bytes of values the store acknowledged. */
  bytesWritten: number;
}

/** A fresh set of write counters, all zero. */
export function emptyWriteCounters(): WriteCounters {
  return { queued: 0, coalesced: 0, flushed: 0, dropped: 0, errors: 0, bytesWritten: 0 };
}

/**
 * Options of a RemoteWriteQueue: how many records may wait, how many operations run at once, batch size, TTL.
 */
export interface RemoteWriteQueueOptions {
  /** Most records waiting to be written; beyond it new records are dropped and counted. Default 100,000. */
  maxPending?: number;
  /**
   * Most store operations in flight at once (a batch is one operation). Default 64 single writes,
   * or 8 batches for a batching store: 8 × 500 records keep Redis busy, and since a turn starts at
   * most `concurrency` operations, it also bounds the serialisation work done in one event-loop turn.
   */
  concurrency?: number;
  /**
   * Most records per batched write, for stores with `setEntities` (Redis, SQLite, Memory).
   * Default 500. 1 turns batching off (one `setEntity` per record).
   */
  batchSize?: number;
  /** TTL passed with every set (else the store's own default applies). */
  ttlSeconds?: number;
  /** Told about each failed store operation (after it is counted). */
  onError?: (error: unknown, write: { namespace: string; id: string; removal: boolean }) => void;
}

interface PendingWrite {
  namespace: string;
  id: string;
  /** The JSON to store, or null for a removal. */
  value: string | null;
  counters: WriteCounters | undefined;
}

/**
 * Fire-and-forget writes to a RemoteCacheStore that never block or grow with a slow store.
 *
 * `set`/`remove` are O(1) and return at once. Writes wait in a Map keyed by record, so a second
 * write of the same (namespace, id) replaces the first (removals too: last write wins). Once per
 * event-loop turn (setImmediate) pending writes are handed to the store, at most `concurrency` at
 * a time in insertion order; each completion lets the next start. The Map holds at most
 * `maxPending` records: when a store is slow or dead, in-flight operations stay at `concurrency`,
 * pending records stop at `maxPending`, and further new records are dropped and counted.
 * Memory is therefore bounded whatever the store does; give your Redis client a command timeout
 * (ioredis `commandTimeout`) so a hung connection frees its slots.
 *
 * When the store has the optional `setEntities` (BatchRemoteCacheStore), consecutive pending sets
 * go out together, up to `batchSize` per operation: a Redis MSET or pipeline, one SQLite
 * transaction. Removals stay single operations. One round trip then carries hundreds of records,
 * which is what lets write-through keep up with a world loading at dispatch rate.
 */
export class RemoteWriteQueue {
  readonly maxPending: number;
  readonly concurrency: number;
  readonly batchSize: number;
  /** Batched store operations started (0 for stores without `setEntities`). */
  batches = 0;
  readonly counters: WriteCounters = emptyWriteCounters();
  private readonly ttlSeconds: number | undefined;
  private readonly onError: RemoteWriteQueueOptions['onError'];
  private readonly pendingWrites = new Map<string, PendingWrite>();
  private running = 0;
  private scheduled = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly store: RemoteCacheStore,
    options: RemoteWriteQueueOptions = {}
  ) {
    this.maxPending = positiveInteger('RemoteWriteQueue.maxPending', options.maxPending, 100_000);
    const batchSize = positiveInteger('RemoteWriteQueue.batchSize', options.batchSize, 500);
    this.batchSize = supportsBatchWrites(store) ? batchSize : 1;
    this.concurrency = positiveInteger(
      'RemoteWriteQueue.concurrency',
      options.concurrency,
      this.batchSize > 1 ? 8 : 64
    );
    this.ttlSeconds =
      options.ttlSeconds === undefined
        ? undefined
        : positiveInteger('RemoteWriteQueue.ttlSeconds', options.ttlSeconds, 0);
    this.onError = options.onError;
  }

  /** Records waiting to be handed to the store. */
  get pending(): number {
    return this.pendingWrites.size;
  }

  /** Store operations started and not yet settled. */
  get inFlight(): number {
    return this.running;
  }

  /** Queue a write of `value`. Returns false when the queue is full and the write was dropped. */
  set(namespace: string, id: string, value: string, counters?: WriteCounters): boolean {
    return this.enqueue(namespace, id, value, counters);
  }

  /** Queue a removal. Returns false when dropped. */
  remove(namespace: string, id: string, counters?: WriteCounters): boolean {
    return this.enqueue(namespace, id, null, counters);
  }

  /** Resolves once nothing is pending or in flight (for shutdown and tests; never resolves on a hung store). */
  drain(): Promise<void> {
    if (this.pendingWrites.size === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Forget every pending (not yet started) write, counting them as dropped. */
  clear(): void {
    for (const write of this.pendingWrites.values()) {
      this.counters.dropped++;
      if (write.counters) write.counters.dropped++;
    }
    this.pendingWrites.clear();
    this.settleIdle();
  }

  private enqueue(namespace: string, id: string, value: string | null, counters: WriteCounters | undefined): boolean {
    const key = `${namespace}\u0000${id}`;
    const existing = this.pendingWrites.get(key);
    if (existing !== undefined) {
      existing.value = value;
      existing.counters = counters;
      this.count(counters, 'queued');
      this.count(counters, 'coalesced');
      return true;
    }
    if (this.pendingWrites.size >= this.maxPending) {
      this.count(counters, 'dropped');
      return false;
    }
    this.pendingWrites.set(key, { namespace, id, value, counters });
    this.count(counters, 'queued');
    this.schedule();
    return true;
  }

  private schedule(): void {
    if (this.scheduled || this.pendingWrites.size === 0 || this.running >= this.concurrency) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startWrites();
    });
  }

  /**
   * Start as many operations as free slots allow, oldest writes first: with batching, runs of sets
   * gather into one operation of up to `batchSize` records; a removal is always its own operation.
   */
  private startWrites(): void {
    let batch: PendingWrite[] = [];
    for (const [key, write] of this.pendingWrites) {
      const joinsBatch = this.batchSize > 1 && write.value !== null && batch.length > 0;
      // A batch being gathered holds a slot already; anything else needs a free one.
      if (!joinsBatch && this.running + (batch.length > 0 ? 1 : 0) >= this.concurrency) break;
      this.pendingWrites.delete(key);
      if (this.batchSize > 1 && write.value !== null) {
        batch.push(write);
        if (batch.length >= this.batchSize) {
          this.start(batch);
          batch = [];
        }
      } else {
        this.start([write]);
      }
    }
    if (batch.length > 0) this.start(batch);
  }

  private start(writes: PendingWrite[]): void {
    this.running++;
    this.perform(writes).then(
      () => this.finish(writes, undefined),
      (error: unknown) => this.finish(writes, error ?? new Error('store rejected'))
    );
  }

  private perform(writes: PendingWrite[]): Promise<void> {
    try {
      const store = this.store;
      if (writes.length > 1 && supportsBatchWrites(store)) {
        this.batches++;
        return store.setEntities(
          writes.map((w) => ({ namespace: w.namespace, id: w.id, value: w.value as string })),
          this.ttlSeconds
        );
      }
      const write = writes[0];
      return write.value === null
        ? store.removeEntity(write.namespace, write.id)
        : store.setEntity(write.namespace, write.id, write.value, this.ttlSeconds);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private finish(writes: PendingWrite[], error: unknown): void {
    this.running--;
    for (const write of writes) {
      if (error === undefined) {
        this.count(write.counters, 'flushed');
        if (write.value !== null) {
          const bytes = Buffer.byteLength(write.value);
          this.counters.bytesWritten += bytes;
          if (write.counters) write.counters.bytesWritten += bytes;
        }
      } else {
        this.count(write.counters, 'errors');
        try {
          this.onError?.(error, { namespace: write.namespace, id: write.id, removal: write.value === null });
        } catch {
          // A throwing error listener must not break the queue.
        }
      }
    }
    this.schedule();
    this.settleIdle();
  }

  private count(counters: WriteCounters | undefined, field: Exclude<keyof WriteCounters, 'bytesWritten'>): void {
    this.counters[field]++;
    if (counters) counters[field]++;
  }

  private settleIdle(): void {
    if (this.pendingWrites.size > 0 || this.running > 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** One queue per store, shared by every collection writing to it, so the bound is process-wide. */
const sharedQueues = new WeakMap<RemoteCacheStore, RemoteWriteQueue>();

/** The process's shared queue for a store (created with default options on first use). */
export function sharedWriteQueue(store: RemoteCacheStore): RemoteWriteQueue {
  let queue = sharedQueues.get(store);
  if (!queue) sharedQueues.set(store, (queue = new RemoteWriteQueue(store)));
  return queue;
}

function positiveInteger(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new InvalidOptionError(option, 'a positive integer', value);
}
