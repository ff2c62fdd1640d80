// The README's example, type-checked by `npm run typecheck` (tsconfig.examples.json); needs DISCORD_TOKEN and REDIS_URL to run.

import { Client, Intents, Member, RedisCacheStore, RemoteBackedCollection, User } from 'athena';
import Redis from 'ioredis';

const store = new RedisCacheStore(new Redis(process.env.REDIS_URL!), { prefix: 'zira:', ttlSeconds: 86_400 });
const client = new Client(process.env.DISCORD_TOKEN!, {
  intents: Intents.Guilds | Intents.GuildMessageReactions,
  messageLimit: 0,
  compress: 'zlib-stream',
  cache: {
    remoteStore: store,
    users: () => new RemoteBackedCollection(User, 50_000, store, 'user'),
    members: (guild) => new RemoteBackedCollection(Member, 50_000, store, `member:${guild.id}`)
  }
});
client.on('messageReactionAdd', async (message, _emoji, reactor) => {
  const guild = client.guilds.get(message.guildID!);
  const member = guild && (await guild.fetchMember(reactor.id)); // hot set -> Redis -> REST
  if (member) await client.addGuildMemberRole(guild.id, member.id, ROLE_ID, 'reaction role');
});
const ROLE_ID = process.env.ROLE_ID ?? '0';
await client.connect();
