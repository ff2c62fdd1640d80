import { Client, type IdentifyQueue, Intents, LocalIdentifyQueue } from 'athena';

// Two Clients of one bot in one process share one queue: the bucket rule is per bot, not per Client.
const queue: IdentifyQueue = new LocalIdentifyQueue(16); // max_concurrency 16: buckets 0..15
const token = process.env.DISCORD_TOKEN ?? '';
const options = { intents: Intents.Guilds, maxShards: 64, shardConcurrency: 16, identifyQueue: queue };

const low = new Client(token, { ...options, firstShardID: 0, lastShardID: 31 });
const high = new Client(token, { ...options, firstShardID: 32, lastShardID: 63 });
await Promise.all([low.connect(), high.connect()]);
