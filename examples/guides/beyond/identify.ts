import { Client, RedisIdentifyCoordinator } from 'athena';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const coordinator = new RedisIdentifyCoordinator(redis, {
  maxConcurrency: 16, // session_start_limit.max_concurrency
  prefix: 'mybot:', // the same on every host of this bot
  // Read at the first identify, when the client below exists.
  sessionStartLimit: () => client.getBotGateway().then((g) => g.session_start_limit)
});
const client: Client = new Client(process.env.DISCORD_TOKEN ?? '', { identifyQueue: coordinator });
await client.connect();
