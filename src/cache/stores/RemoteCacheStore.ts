/**
 * A shared store outside the process heap (Redis, SQLite, …) holding one JSON string per record,
 * so every cluster of a fleet reads and writes one copy. Exactly the spec's five methods.
 *
 * Semantics every implementation follows (checked by `runRemoteCacheStoreContract` in athena/testing):
 * - a missing or expired record reads as `null`; `getEntities` answers in the order of `ids`;
 * - `getAllEntities(ns)` returns the values of that namespace only (not of `ns + 'x'`, not of a
 *   nested namespace `ns + ':…'`), in no particular order;
 * - `setEntity` overwrites; `ttlSeconds` (or the store's default) makes the record expire;
 * - `removeEntity` of a missing record succeeds;
 * - failures reject (Athena's stores reject with `RemoteStoreError`).
 */
export interface RemoteCacheStore {
  /** One record's JSON string, or null when it is missing or expired. */
  getEntity(namespace: string, id: string): Promise<string | null>;
  /**
   * Many records of one namespace in one round trip, answered in the order of `ids` (null for each miss;
   * duplicates repeat).
   */
  getEntities(namespace: string, ids: string[]): Promise<Array<string | null>>;
  /** Every live record of exactly this namespace (not of longer or nested ones), in no particular order. */
  getAllEntities(namespace: string): Promise<string[]>;
  /** Write (overwrite) one record; it expires after `ttlSeconds`, or the store's default expiry, if any. */
  setEntity(namespace: string, id: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Delete one record; deleting a missing record succeeds. */
  removeEntity(namespace: string, id: string): Promise<void>;
}

/** One record of a batched write. */
export interface RemoteCacheEntry {
  namespace: string;
  id: string;
  value: string;
}

/**
 * An optional extension of RemoteCacheStore: many records written in one store operation (a Redis
 * MSET or pipeline, one SQLite transaction). RemoteWriteQueue uses it when a store has it, so a
 * world loading at dispatch rate costs one round trip per batch instead of one per record.
 *
 * `setEntities` has `setEntity`'s semantics for every entry (overwrite; `ttlSeconds` or the store's
 * default expiry); entries may span namespaces. It resolves once every entry is stored and rejects
 * when any failed (entries before the failure may be stored: each is a whole, idempotent overwrite).
 */
export interface BatchRemoteCacheStore extends RemoteCacheStore {
  /** Write many records (of any namespaces) in one store operation, each with setEntity's semantics. */
  setEntities(entries: readonly RemoteCacheEntry[], ttlSeconds?: number): Promise<void>;
}

/** Whether a store has the optional batched write. */
export function supportsBatchWrites(store: RemoteCacheStore): store is BatchRemoteCacheStore {
  return typeof (store as Partial<BatchRemoteCacheStore>).setEntities === 'function';
}
