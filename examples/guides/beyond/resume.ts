import { Client, RedisIdentifyCoordinator, RedisSessionStore } from 'athena';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const coordinator = new RedisIdentifyCoordinator(redis, { maxConcurrency: 16, prefix: 'mybot:' });
const sessions = new RedisSessionStore(redis, { botID: '123456789012345678', shardCount: 64, prefix: 'mybot:' });
// This host runs shards 32..63 of 64.
const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  firstShardID: 32,
  lastShardID: 63,
  maxShards: 64,
  identifyQueue: coordinator,
  sessionStore: sessions
});
await client.connect();

// A restart of this host that keeps its sessions for the next process to resume.
process.once('SIGTERM', async () => {
  client.disconnect({ keepSession: true });
  await sessions.flush();
  process.exit(0);
});
