export * from './MemoryCacheStore.js';
export * from './RedisCacheStore.js';
export * from './RedisLike.js';
export type * from './RemoteCacheStore.js';
export * from './redisCluster.js';
export * from './SqliteCacheStore.js';
