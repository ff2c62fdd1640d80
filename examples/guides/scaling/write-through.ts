import { Client, Intents, Member, RedisCacheStore, RemoteBackedCollection, RemoteWriteQueue, User } from 'athena';
import { Redis } from 'ioredis';

const store = new RedisCacheStore(new Redis(process.env.REDIS_URL ?? '', { commandTimeout: 1000 }), {
  prefix: 'mybot:',
  batchSize: 500 // keys per MSET / pipeline round trip
});

// One queue for the process's writes: up to 500 records per MSET, at most 8 batches in flight,
// at most 200,000 records waiting (beyond that writes are dropped and counted, never buffered).
const queue = new RemoteWriteQueue(store, {
  batchSize: 500,
  concurrency: 8,
  maxPending: 200_000,
  onError: (error, write) => console.warn(`store write of ${write.namespace}:${write.id} failed`, error)
});

const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  intents: Intents.Guilds | Intents.GuildMembers,
  cache: {
    remoteStore: store,
    users: () => new RemoteBackedCollection(User, 50_000, store, 'user', { queue }),
    // 'always': every member update and removal reaches the store too, not only first sightings.
    members: (guild) =>
      new RemoteBackedCollection(Member, 50_000, store, `member:${guild.id}`, { queue, writeThrough: 'always' })
  }
});
await client.connect();

// Before a planned exit, let the pending writes land.
process.once('SIGTERM', async () => {
  client.disconnect({ keepSession: true });
  await queue.drain();
  process.exit(0);
});
