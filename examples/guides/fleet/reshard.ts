import {
  Client,
  Intents,
  Member,
  RedisCacheStore,
  RedisIdentifyCoordinator,
  RedisSessionStore,
  RemoteBackedCollection,
  User
} from 'athena';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const botID = process.env.BOT_ID ?? ''; // the bot's user id
const shardCount = Number(process.env.SHARD_COUNT); // the NEW count, e.g. 128 after 64

// The cache store: unchanged (same prefix). Its keys are user:<id> and member:<guild>:<id>, never
// a shard id, so the new shard set reads what the old one wrote and nothing is flushed.
const store = new RedisCacheStore(redis, { prefix: 'mybot:' });
const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  intents: Intents.Guilds | Intents.GuildMembers,
  maxShards: shardCount,
  // The same coordinator prefix as the old set: both sets share one identify schedule and budget.
  identifyQueue: new RedisIdentifyCoordinator(redis, { maxConcurrency: 16, prefix: 'mybot:' }),
  // Sessions are keyed by shard count: the new set never resumes an old layout's session.
  sessionStore: new RedisSessionStore(redis, { botID, shardCount, prefix: 'mybot:' }),
  cache: {
    remoteStore: store,
    users: () => new RemoteBackedCollection(User, 50_000, store, 'user'),
    members: (guild) => new RemoteBackedCollection(Member, 1_000, store, `member:${guild.id}`)
  }
});

client.once('ready', () => {
  // Every shard of the new set is up: now stop the old set (its processes call client.destroy()).
  console.log(`${shardCount} shards ready; stop the old shard set now`);
});
await client.connect();
