import { MemoryCacheStore, type RemoteCacheStore } from '../../../src/cache/index.js';

/** A MemoryCacheStore that counts calls per method (to prove batching and coalescing). */
export class CountingStore implements RemoteCacheStore {
  readonly inner = new MemoryCacheStore();
  calls = { getEntity: 0, getEntities: 0, getAllEntities: 0, setEntity: 0, removeEntity: 0 };
  batches: string[][] = [];
  getEntity(namespace: string, id: string) {
    this.calls.getEntity++;
    return this.inner.getEntity(namespace, id);
  }
  getEntities(namespace: string, ids: string[]) {
    this.calls.getEntities++;
    this.batches.push([...ids]);
    return this.inner.getEntities(namespace, ids);
  }
  getAllEntities(namespace: string) {
    this.calls.getAllEntities++;
    return this.inner.getAllEntities(namespace);
  }
  setEntity(namespace: string, id: string, value: string, ttl?: number) {
    this.calls.setEntity++;
    return this.inner.setEntity(namespace, id, value, ttl);
  }
  removeEntity(namespace: string, id: string) {
    this.calls.removeEntity++;
    return this.inner.removeEntity(namespace, id);
  }
}

/** A store whose operations never settle: a dead connection without a timeout. */
export class HungStore implements RemoteCacheStore {
  started = 0;
  private never<T>(): Promise<T> {
    this.started++;
    return new Promise<T>(() => {});
  }
  getEntity() {
    return this.never<string | null>();
  }
  getEntities() {
    return this.never<Array<string | null>>();
  }
  getAllEntities() {
    return this.never<string[]>();
  }
  setEntity() {
    return this.never<void>();
  }
  removeEntity() {
    return this.never<void>();
  }
}

/** A store whose every operation rejects (Redis down, fail-fast client). */
export class FailingStore implements RemoteCacheStore {
  calls = 0;
  private fail<T>(): Promise<T> {
    this.calls++;
    return Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379'));
  }
  getEntity() {
    return this.fail<string | null>();
  }
  getEntities() {
    return this.fail<Array<string | null>>();
  }
  getAllEntities() {
    return this.fail<string[]>();
  }
  setEntity() {
    return this.fail<void>();
  }
  removeEntity() {
    return this.fail<void>();
  }
}

export const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
