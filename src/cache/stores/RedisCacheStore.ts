import { InvalidOptionError } from '../../util/errors.js';
import { RemoteStoreError } from '../errors.js';
import { checkKey, checkNamespace, checkTTL, escapeGlob } from './keys.js';
import type { RedisLike } from './RedisLike.js';
import type { BatchRemoteCacheStore, RemoteCacheEntry } from './RemoteCacheStore.js';

/** Options of a RedisCacheStore: key prefix, TTL, sliding expiry and round-trip sizes. */
export interface RedisCacheStoreOptions {
  /** Prepended to every key. Share the same prefix across all clusters so they deduplicate. */
  prefix?: string;
  /** Expiry of every record written (SET … EX); unset means no expiry. */
  ttlSeconds?: number;
  /** Slide the expiry on every read that finds the record (EXPIRE after GET/MGET). */
  updateTTLOnGet?: boolean;
  /** Keys per MGET, MSET or pipeline round trip (default 500). */
  batchSize?: number;
  /** SCAN COUNT hint (default 1000). */
  scanCount?: number;
}

/**
 * RemoteCacheStore over a Redis client (ioredis as passed, node-redis via `fromNodeRedis`, Redis
 * Cluster via `fromRedisCluster`). Keys are `prefix + namespace + ':' + id`, values the JSON
 * strings given; only vanilla commands, so any Redis (or compatible server) works.
 */
export class RedisCacheStore implements BatchRemoteCacheStore {
  readonly prefix: string;
  readonly ttlSeconds: number | undefined;
  readonly updateTTLOnGet: boolean;
  /** EXPIRE calls (sliding TTL) that failed; reads still answered. */
  expireErrors = 0;
  private readonly batchSize: number;
  private readonly scanCount: number;

  constructor(
    readonly client: RedisLike,
    options: RedisCacheStoreOptions = {}
  ) {
    if (client === null || typeof client !== 'object' || typeof client.get !== 'function') {
      throw new InvalidOptionError('RedisCacheStore.client', 'a Redis client (get/set/del/mget/scan)', client);
    }
    const prefix = options.prefix ?? '';
    if (typeof prefix !== 'string') throw new InvalidOptionError('RedisCacheStore.prefix', 'a string', prefix);
    if (options.updateTTLOnGet !== undefined && typeof options.updateTTLOnGet !== 'boolean') {
      throw new InvalidOptionError('RedisCacheStore.updateTTLOnGet', 'a boolean', options.updateTTLOnGet);
    }
    this.prefix = prefix;
    this.ttlSeconds = checkTTL('RedisCacheStore.ttlSeconds', options.ttlSeconds);
    this.updateTTLOnGet = options.updateTTLOnGet === true;
    this.batchSize = positiveInteger('RedisCacheStore.batchSize', options.batchSize, 500);
    this.scanCount = positiveInteger('RedisCacheStore.scanCount', options.scanCount, 1000);
  }

  /** The Redis key of a record. */
  key(namespace: string, id: string): string {
    return `${this.prefix}${namespace}:${id}`;
  }

  async getEntity(namespace: string, id: string): Promise<string | null> {
    checkKey(namespace, id);
    const key = this.key(namespace, id);
    const value = await this.call('GET', () => this.client.get(key));
    if (typeof value !== 'string') return null;
    this.slide([key]);
    return value;
  }

  async getEntities(namespace: string, ids: string[]): Promise<Array<string | null>> {
    for (const id of ids) checkKey(namespace, id);
    const keys = ids.map((id) => this.key(namespace, id));
    const batches: Promise<Array<string | null>>[] = [];
    for (let start = 0; start < keys.length; start += this.batchSize) {
      const batch = keys.slice(start, start + this.batchSize);
      batches.push(this.call('MGET', () => this.client.mget(...batch)));
    }
    const values = (await Promise.all(batches)).flat().map((v) => (typeof v === 'string' ? v : null));
    this.slide(keys.filter((_key, i) => values[i] !== null));
    return values;
  }

  async getAllEntities(namespace: string): Promise<string[]> {
    checkNamespace(namespace);
    const keyPrefix = this.key(namespace, '');
    const pattern = `${escapeGlob(keyPrefix)}*`;
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await this.call('SCAN', () =>
        this.client.scan(cursor, 'MATCH', pattern, 'COUNT', this.scanCount)
      );
      // A ':' after the namespace means a nested namespace (`member:1` under `member`): not ours.
      for (const key of keys) if (!key.includes(':', keyPrefix.length)) found.add(key);
      cursor = String(next);
    } while (cursor !== '0');
    const keys = [...found];
    const values: string[] = [];
    for (let start = 0; start < keys.length; start += this.batchSize) {
      const batch = keys.slice(start, start + this.batchSize);
      // Keys that expired or were removed since SCAN listed them read as null and are skipped.
      for (const value of await this.call('MGET', () => this.client.mget(...batch))) {
        if (typeof value === 'string') values.push(value);
      }
    }
    return values;
  }

  async setEntity(namespace: string, id: string, value: string, ttlSeconds?: number): Promise<void> {
    checkKey(namespace, id);
    const ttl = checkTTL('ttlSeconds', ttlSeconds) ?? this.ttlSeconds;
    const key = this.key(namespace, id);
    await this.call('SET', () =>
      ttl === undefined ? this.client.set(key, value) : this.client.set(key, value, 'EX', ttl)
    );
  }

  /**
   * The batched write, in chunks of `batchSize`: MSET when records do not expire (one command),
   * else a pipeline of SET … EX (one write, one read), else parallel SETs. Rejects with the first
   * failure once every chunk has answered.
   */
  async setEntities(entries: readonly RemoteCacheEntry[], ttlSeconds?: number): Promise<void> {
    for (const entry of entries) checkKey(entry.namespace, entry.id);
    const ttl = checkTTL('ttlSeconds', ttlSeconds) ?? this.ttlSeconds;
    const chunks: Promise<unknown>[] = [];
    for (let start = 0; start < entries.length; start += this.batchSize) {
      chunks.push(this.writeChunk(entries.slice(start, start + this.batchSize), ttl));
    }
    const failure = (await Promise.allSettled(chunks)).find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private writeChunk(entries: readonly RemoteCacheEntry[], ttl: number | undefined): Promise<unknown> {
    const client = this.client;
    if (ttl === undefined && client.mset !== undefined) {
      const keyValues: string[] = [];
      for (const e of entries) keyValues.push(this.key(e.namespace, e.id), String(e.value));
      return this.call('MSET', () => client.mset!(...keyValues));
    }
    if (client.pipeline !== undefined) {
      const commands = entries.map((e) => {
        const command = ['set', this.key(e.namespace, e.id), String(e.value)];
        if (ttl !== undefined) command.push('EX', String(ttl));
        return command;
      });
      return this.call('SET (pipeline)', async () => {
        const replies = await client.pipeline!(commands).exec();
        // ioredis answers null when the connection closed before the pipeline was sent.
        if (replies === null) throw new Error('pipeline not executed');
        const failed = replies.find(([error]) => error !== null);
        if (failed) throw failed[0];
      });
    }
    return Promise.all(entries.map((e) => this.setEntity(e.namespace, e.id, e.value, ttl)));
  }

  async removeEntity(namespace: string, id: string): Promise<void> {
    checkKey(namespace, id);
    const key = this.key(namespace, id);
    await this.call('DEL', () => this.client.del(key));
  }

  /** Sliding expiry: fire-and-forget EXPIRE per key found, so reads never wait on it. */
  private slide(keys: string[]): void {
    const expire = this.client.expire;
    if (!this.updateTTLOnGet || this.ttlSeconds === undefined || expire === undefined) return;
    for (const key of keys) {
      expire.call(this.client, key, this.ttlSeconds).catch(() => {
        this.expireErrors++;
      });
    }
  }

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new RemoteStoreError(operation, error);
    }
  }
}

function positiveInteger(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new InvalidOptionError(option, 'a positive integer', value);
}
