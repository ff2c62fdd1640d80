import {
  BackpressureMonitor,
  Client,
  Intents,
  Member,
  RedisCacheStore,
  RedisMemberRequestSlots,
  RemoteBackedCollection,
  RemoteWriteQueue
} from 'athena';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const store = new RedisCacheStore(redis, { prefix: 'mybot:' });
const writes = new RemoteWriteQueue(store);
const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  intents: Intents.Guilds | Intents.GuildMembers,
  // One whole-list request per guild per 30 s for the whole fleet: a SET NX PX key per guild.
  memberRequestSlots: new RedisMemberRequestSlots(redis, { prefix: 'mybot:' }),
  cache: {
    remoteStore: store,
    // A hot set of 1,000 per guild; every member is written through to Redis as its chunk arrives.
    members: (guild) => new RemoteBackedCollection(Member, 1_000, store, `member:${guild.id}`, { queue: writes })
  }
});
// Chunks can arrive faster than Redis takes their writes: past 10,000 waiting records the shards
// stop reading until half are written, so the backlog never holds the guild in heap either.
new BackpressureMonitor({ storeProbe: () => redis.ping(), writeQueues: [writes], maxPendingWrites: 10_000 })
  .attach(client.shards)
  .start();

client.on('guildCreate', async (guild) => {
  if (!guild.large) return;
  // Streams chunk by chunk; waits its turn when another process just asked for this guild,
  // and waits out RATE_LIMITED (up to 3 times) instead of failing.
  const received = await guild.fetchAllMembers({ timeout: 30_000 });
  console.log(`${guild.name}: ${received} members streamed, ${guild.members.size} kept in heap`);
});
await client.connect();
