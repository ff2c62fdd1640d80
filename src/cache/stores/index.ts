export * from './MemoryCacheStore.js';
export * from './RedisCacheStore.js';
export * from './RedisLike.js';
export * from './RemoteCacheStore.js';
export * from './redisCluster.js';
export * from './SqliteCacheStore.js';
