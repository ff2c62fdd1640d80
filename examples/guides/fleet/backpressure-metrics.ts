import { BackpressureMonitor, Client, getClusterContext, Intents } from 'athena';
import { Redis } from 'ioredis';

// In the cluster bot: a monitor steering this process's shards.
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const cluster = getClusterContext();
const client = new Client(process.env.DISCORD_TOKEN ?? '', { ...cluster?.clientOptions(), intents: Intents.Guilds });
const monitor = new BackpressureMonitor({ storeProbe: () => redis.ping(), maxStoreLatencyMs: 250 }).start();
monitor.attach(client.shards); // the cluster's stats find the monitor through client.shards
cluster?.attach(client);
monitor.on('pressure', (reason) => console.warn(`backpressure: ${reason}`));
await client.connect();
