import { InvalidOptionError } from '../util/errors.js';
import { Collection, type CollectionOptions } from './Collection.js';
import { type RemoteWriteQueue, sharedWriteQueue, type WriteCounters } from './RemoteWriteQueue.js';
import { parseStoredRecord } from './safeJson.js';
import { checkNamespace } from './stores/keys.js';
import type { RemoteCacheStore } from './stores/RemoteCacheStore.js';
import type { Identified, PayloadOf, StructureClass } from './types.js';

/** When the collection writes to the store: on first sighting only (the spec's default), or on every change. */
export type WriteThroughMode = 'add' | 'always';

export interface RemoteBackedCollectionOptions<V> extends CollectionOptions<V> {
  /** `'add'` (default): write on add. `'always'`: also on update and remove. */
  writeThrough?: WriteThroughMode;
  /** The write queue to use; default the process's shared queue for this store. */
  queue?: RemoteWriteQueue;
}

/**
 * Counters of one collection's remote tier. Reads: hits, misses (invalid included), invalid,
 * readErrors. Writes (shared shape with the queue): queued, coalesced, flushed, dropped, errors
 * (failed or unserialisable writes), bytesWritten.
 */
export interface RemoteCollectionStats extends WriteCounters {
  /** Records found in the store and rebuilt. */
  hits: number;
  /** Lookups that produced no instance (absent, unparsable, wrong shape). */
  misses: number;
  /** Of the misses: values that did not parse or failed `isStored`/`fromStored`. */
  invalid: number;
  /** Store reads that failed (the caller falls back to REST). */
  readErrors: number;
}

/**
 * A Collection whose records are also kept in a shared RemoteCacheStore.
 *
 * `add` of a raw payload writes `JSON.stringify(BaseClass.toStored?.(raw) ?? raw)` through the
 * write queue without awaiting (dispatch is never blocked; a slow store drops and counts writes).
 * The in-heap part is an ordinary bounded hot set: `get` sees only it, as the spec says; evicting
 * from it does not touch the store. `getRemote`/`getManyRemote` read the store and rebuild full
 * instances (`new BaseClass(raw, extra)`), putting them in the hot set without writing back.
 * Plain Map `set`/`delete` do not write through.
 */
export class RemoteBackedCollection<V extends Identified, Raw = never> extends Collection<string, V, Raw> {
  readonly store: RemoteCacheStore;
  readonly namespace: string;
  readonly writeThrough: WriteThroughMode;
  readonly queue: RemoteWriteQueue;
  readonly stats: RemoteCollectionStats = {
    hits: 0,
    misses: 0,
    invalid: 0,
    readErrors: 0,
    errors: 0,
    queued: 0,
    coalesced: 0,
    flushed: 0,
    dropped: 0,
    bytesWritten: 0
  };

  constructor(
    baseObject: StructureClass<V, Raw>,
    limit: number | undefined,
    store: RemoteCacheStore,
    namespace: string,
    options: RemoteBackedCollectionOptions<V> = {}
  ) {
    super(baseObject, limit, options);
    if (store === null || typeof store !== 'object' || typeof store.setEntity !== 'function') {
      throw new InvalidOptionError('RemoteBackedCollection.store', 'a RemoteCacheStore', store);
    }
    checkNamespace(namespace);
    if (namespace.includes('\u0000')) throw new InvalidOptionError('namespace', 'a string without NUL', namespace);
    const mode = options.writeThrough ?? 'add';
    if (mode !== 'add' && mode !== 'always') {
      throw new InvalidOptionError('RemoteBackedCollection.writeThrough', "'add' or 'always'", mode);
    }
    this.store = store;
    this.namespace = namespace;
    this.writeThrough = mode;
    this.queue = options.queue ?? sharedWriteQueue(store);
  }

  /** Eris `add`; a raw payload seen for the first time (or replacing) is written to the store too. */
  override add(obj: V | PayloadOf<Raw>, extra?: unknown, replace?: boolean): V {
    const isNew = replace === true || this.limit === 0 || !this.has((obj as Identified)?.id as string);
    const value = super.add(obj, extra, replace);
    if (isNew && !(obj instanceof this.baseObject)) this.writeRaw(value.id, obj);
    return value;
  }

  /** Eris `update`; with `writeThrough: 'always'` the record is rewritten (from `toRaw()` when the structure has it). */
  override update(obj: V | PayloadOf<Raw> | (Partial<Raw> & Identified), extra?: unknown, replace?: boolean): V {
    const existed = this.has((obj as Identified)?.id as string);
    const value = super.update(obj, extra, replace);
    if (existed && this.writeThrough === 'always') {
      const toRaw = (value as V & { toRaw?: () => unknown }).toRaw;
      if (typeof toRaw === 'function') this.writeRaw(value.id, toRaw.call(value));
      else if (!(obj instanceof this.baseObject)) this.writeRaw(value.id, obj);
    }
    // When absent, super.update went through this.add, which already wrote the record.
    return value;
  }

  /** Eris `remove`; with `writeThrough: 'always'` the record is removed from the store too. */
  override remove(obj: Identified): V | null {
    const removed = super.remove(obj);
    if (this.writeThrough === 'always' && typeof obj?.id === 'string') {
      this.queue.remove(this.namespace, obj.id, this.stats);
    }
    return removed;
  }

  /**
   * Queue a store write of a raw payload (through `toStored`), whatever the write-through mode:
   * for records fetched from REST, and for bots that write after their own edits.
   * Returns false when the queue is full (the write is dropped and counted).
   */
  writeRaw(id: string, raw: unknown): boolean {
    let json: string;
    try {
      const stored = this.baseObject.toStored ? this.baseObject.toStored(raw as Raw) : raw;
      json = JSON.stringify(stored);
    } catch {
      // Unserialisable (a cycle, a BigInt): counted as an error, dispatch carries on.
      this.stats.errors++;
      return false;
    }
    if (typeof json !== 'string') return false;
    return this.queue.set(this.namespace, id, json, this.stats);
  }

  /** Read one record from the store and rebuild it; null when absent or invalid. Rejects on store errors. */
  async getRemote(id: string, extra?: unknown): Promise<V | null> {
    let text: string | null;
    try {
      text = await this.store.getEntity(this.namespace, id);
    } catch (error) {
      this.stats.readErrors++;
      throw error;
    }
    return this.rebuild(id, text, extra);
  }

  /** Read many records in one store call; answers in order of `ids`, null for each miss. Rejects on store errors. */
  async getManyRemote(ids: string[], extra?: unknown): Promise<Array<V | null>> {
    if (ids.length === 0) return [];
    let texts: Array<string | null>;
    try {
      texts = await this.store.getEntities(this.namespace, ids);
    } catch (error) {
      this.stats.readErrors++;
      throw error;
    }
    return Promise.all(ids.map((id, i) => this.rebuild(id, texts[i] ?? null, extra)));
  }

  private async rebuild(id: string, text: string | null, extra: unknown): Promise<V | null> {
    if (typeof text !== 'string') {
      this.stats.misses++;
      return null;
    }
    const parsed = parseStoredRecord(text);
    const base = this.baseObject;
    if (!parsed.ok || (base.isStored !== undefined && !safely(() => base.isStored!(parsed.value)))) {
      return this.invalid();
    }
    let raw: unknown = parsed.value;
    if (base.fromStored !== undefined) {
      try {
        raw = await base.fromStored(parsed.value, extra);
      } catch {
        return this.invalid();
      }
      if (raw === null || raw === undefined) return this.invalid();
    }
    let value: V;
    try {
      value = new base(raw as Raw, extra as never);
    } catch {
      return this.invalid();
    }
    if (value.id !== id) return this.invalid();
    this.stats.hits++;
    // Dispatch may have added a fresher instance while the store answered: keep that one.
    const current = this.peek(id);
    if (current !== undefined) return current;
    this.set(id, value);
    return value;
  }

  private invalid(): null {
    this.stats.invalid++;
    this.stats.misses++;
    return null;
  }
}

function safely(check: () => boolean): boolean {
  try {
    return check() === true;
  } catch {
    return false;
  }
}
