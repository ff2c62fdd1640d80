import { Client, Intents, Member, RedisCacheStore, RemoteBackedCollection, User } from 'athena';
import { Redis } from 'ioredis'; // under NodeNext; with bundler/preserve resolution `import Redis from 'ioredis'`

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { commandTimeout: 1000 });
const store = new RedisCacheStore(redis, {
  prefix: 'mybot:', // the SAME prefix on every cluster: one copy of each user fleet-wide
  ttlSeconds: 86_400, // records not seen for a day expire
  updateTTLOnGet: true // each read slides the expiry
});

const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  intents: Intents.Guilds | Intents.GuildMessageReactions,
  cache: {
    remoteStore: store,
    users: () => new RemoteBackedCollection(User, 50_000, store, 'user'),
    members: (guild) => new RemoteBackedCollection(Member, 50_000, store, `member:${guild.id}`)
  }
});

client.on('messageReactionAdd', async (message, emoji, reactor) => {
  const guild = message.guildID === undefined ? undefined : client.guilds.get(message.guildID);
  if (!guild) return;
  const member = await guild.fetchMember(reactor.id); // hot set -> Redis -> REST
  const user = await client.fetchUser(reactor.id); // hot set -> Redis -> REST
  console.log(`${user?.username} (${member?.roles.length ?? 0} roles) reacted with ${emoji.name}`);
});
await client.connect();
