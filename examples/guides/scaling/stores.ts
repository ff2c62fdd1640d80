import {
  fromNodeRedis,
  fromRedisCluster,
  MemoryCacheStore,
  RedisCacheStore,
  type RemoteCacheStore,
  SqliteCacheStore
} from 'athena';
import Database from 'better-sqlite3';
import { Cluster } from 'ioredis';
import { createClient } from 'redis';

// node-redis v5: adapt it to the RedisLike shape the store reads.
const nodeRedis = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
const viaNodeRedis: RemoteCacheStore = new RedisCacheStore(fromNodeRedis(nodeRedis), { prefix: 'mybot:' });

// Redis Cluster (ioredis): single-key commands go to their slot, MGET/MSET are split per slot,
// SCAN walks every master.
const cluster = new Cluster([{ host: '127.0.0.1', port: 7000 }]);
const viaCluster: RemoteCacheStore = new RedisCacheStore(fromRedisCluster(cluster), { prefix: 'mybot:' });

// One host, no Redis: a SQLite file that every cluster process of the host opens (WAL mode).
const db = new Database('athena-cache.db');
db.pragma('journal_mode = WAL');
const viaSqlite: RemoteCacheStore = new SqliteCacheStore(db, { ttlSeconds: 86_400 });

// Tests and single-process bots: in memory, same contract.
const inMemory: RemoteCacheStore = new MemoryCacheStore();

console.log([viaNodeRedis, viaCluster, viaSqlite, inMemory].length, 'stores');
