import { BackpressureMonitor, Client, RedisIdentifyCoordinator } from 'athena';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const monitor = new BackpressureMonitor({
  storeProbe: () => redis.ping(),
  maxLoopDelayMs: 200,
  maxStoreLatencyMs: 250
}).start();
// Identifies wait while pressured (any other queue: gateIdentifyQueue(queue, monitor)).
const coordinator = new RedisIdentifyCoordinator(redis, { maxConcurrency: 16, prefix: 'mybot:', pressure: monitor });
const client = new Client(process.env.DISCORD_TOKEN ?? '', { identifyQueue: coordinator });
monitor.attach(client.shards);
await client.connect();
