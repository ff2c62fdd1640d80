/**
 * The shared store of the lean configuration: Redis when REDIS_URL is set (ioredis), otherwise a
 * SQLite file every cluster of the host opens (ATHENA_SQLITE_PATH; WAL makes that multi-process
 * safe). ATHENA_STORE_PREFIX keeps runs apart on one Redis.
 */
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { RedisCacheStore, type RemoteCacheStore, SqliteCacheStore } from '../../src/index.js';

export interface OpenedStore {
  store: RemoteCacheStore;
  kind: 'redis' | 'sqlite';
  close(): Promise<void>;
}

export function openStore(env: NodeJS.ProcessEnv = process.env): OpenedStore {
  if (env.REDIS_URL) {
    const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: false });
    redis.on('error', () => {
      // Read/write errors are counted by the store and fall back to REST; no crash, no log spam.
    });
    return {
      store: new RedisCacheStore(redis, { prefix: env.ATHENA_STORE_PREFIX ?? 'athena:' }),
      kind: 'redis',
      close: async () => {
        redis.disconnect();
      }
    };
  }
  const path = env.ATHENA_SQLITE_PATH;
  if (!path) throw new Error('the lean configuration needs REDIS_URL or ATHENA_SQLITE_PATH');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  return {
    store: new SqliteCacheStore(db),
    kind: 'sqlite',
    close: async () => {
      db.close();
    }
  };
}
