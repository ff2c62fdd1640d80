import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { fromNodeRedis, MemoryCacheStore, RedisCacheStore, SqliteCacheStore } from '../../src/cache/index.js';
import { runRemoteCacheStoreContract } from '../../src/testing/storeContract.js';
import { REDIS_SKIP, redisAnswers, uniquePrefix } from './helpers/redis.js';

const harness = { test, assert };

runRemoteCacheStoreContract('Memory', () => ({ store: new MemoryCacheStore() }), harness);

runRemoteCacheStoreContract(
  'SQLite',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'athena-sqlite-'));
    const db = new Database(join(dir, 'cache.db'));
    return {
      store: new SqliteCacheStore(db),
      cleanup: () => {
        db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    };
  },
  harness
);

const redisUp = await redisAnswers();
if (!redisUp) console.warn(`[storeContract] ${REDIS_SKIP}: Redis contract runs are skipped`);

/** Delete every key under a prefix (the cleanup of each Redis case). */
async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

const ioredis = redisUp ? new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false }) : undefined;
const nodeRedis = redisUp ? await createClient({ url: 'redis://127.0.0.1:6379' }).connect() : undefined;
after(async () => {
  ioredis?.disconnect();
  await nodeRedis?.close();
});

runRemoteCacheStoreContract(
  'Redis (ioredis)',
  () => {
    const prefix = uniquePrefix('ioredis');
    return { store: new RedisCacheStore(ioredis!, { prefix }), cleanup: () => deletePrefix(ioredis!, prefix) };
  },
  harness,
  { skip: redisUp ? undefined : REDIS_SKIP }
);

runRemoteCacheStoreContract(
  'Redis (node-redis)',
  () => {
    const prefix = uniquePrefix('node-redis');
    return {
      store: new RedisCacheStore(fromNodeRedis(nodeRedis!), { prefix }),
      cleanup: () => deletePrefix(ioredis!, prefix)
    };
  },
  harness,
  { skip: redisUp ? undefined : REDIS_SKIP }
);
