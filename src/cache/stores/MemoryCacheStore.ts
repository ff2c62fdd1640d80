import { checkKey, checkNamespace, checkTTL } from './keys.js';
import type { BatchRemoteCacheStore, RemoteCacheEntry } from './RemoteCacheStore.js';

/** Options of a MemoryCacheStore: default TTL and the clock (for tests). */
export interface MemoryCacheStoreOptions {
  /** Default expiry for records written without their own TTL. */
  ttlSeconds?: number;
  /** Clock in milliseconds (tests pass a fake one). */
  now?: () => number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * A RemoteCacheStore in this process's heap: for tests and single-process bots that want the
 * remote-tier API without Redis. Expired records are dropped when read or listed.
 */
export class MemoryCacheStore implements BatchRemoteCacheStore {
  private readonly namespaces = new Map<string, Map<string, Entry>>();
  private readonly ttlSeconds: number | undefined;
  private readonly now: () => number;

  constructor(options: MemoryCacheStoreOptions = {}) {
    this.ttlSeconds = checkTTL('MemoryCacheStore.ttlSeconds', options.ttlSeconds);
    this.now = options.now ?? Date.now;
  }

  /** Records currently held (expired ones included until they are next read). */
  get size(): number {
    let total = 0;
    for (const entries of this.namespaces.values()) total += entries.size;
    return total;
  }

  async getEntity(namespace: string, id: string): Promise<string | null> {
    checkKey(namespace, id);
    return this.read(namespace, id, this.now());
  }

  async getEntities(namespace: string, ids: string[]): Promise<Array<string | null>> {
    for (const id of ids) checkKey(namespace, id);
    const now = this.now();
    return ids.map((id) => this.read(namespace, id, now));
  }

  async getAllEntities(namespace: string): Promise<string[]> {
    checkNamespace(namespace);
    const entries = this.namespaces.get(namespace);
    if (!entries) return [];
    const now = this.now();
    const values: string[] = [];
    for (const [id, entry] of entries) {
      if (entry.expiresAt <= now) entries.delete(id);
      else values.push(entry.value);
    }
    return values;
  }

  async setEntity(namespace: string, id: string, value: string, ttlSeconds?: number): Promise<void> {
    checkKey(namespace, id);
    const ttl = checkTTL('ttlSeconds', ttlSeconds) ?? this.ttlSeconds;
    let entries = this.namespaces.get(namespace);
    if (!entries) this.namespaces.set(namespace, (entries = new Map()));
    entries.set(id, { value: String(value), expiresAt: ttl === undefined ? Infinity : this.now() + ttl * 1000 });
  }

  /** The batched write: a loop of `setEntity` (all keys checked first, so a bad entry writes nothing). */
  async setEntities(entries: readonly RemoteCacheEntry[], ttlSeconds?: number): Promise<void> {
    for (const entry of entries) checkKey(entry.namespace, entry.id);
    checkTTL('ttlSeconds', ttlSeconds);
    for (const entry of entries) await this.setEntity(entry.namespace, entry.id, entry.value, ttlSeconds);
  }

  async removeEntity(namespace: string, id: string): Promise<void> {
    checkKey(namespace, id);
    const entries = this.namespaces.get(namespace);
    if (!entries) return;
    entries.delete(id);
    if (entries.size === 0) this.namespaces.delete(namespace);
  }

  private read(namespace: string, id: string, now: number): string | null {
    const entries = this.namespaces.get(namespace);
    const entry = entries?.get(id);
    if (entry === undefined) return null;
    if (entry.expiresAt <= now) {
      entries!.delete(id);
      return null;
    }
    return entry.value;
  }
}
