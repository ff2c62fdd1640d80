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
  getEntity(namespace: string, id: string): Promise<string | null>;
  getEntities(namespace: string, ids: string[]): Promise<Array<string | null>>;
  getAllEntities(namespace: string): Promise<string[]>;
  setEntity(namespace: string, id: string, value: string, ttlSeconds?: number): Promise<void>;
  removeEntity(namespace: string, id: string): Promise<void>;
}
