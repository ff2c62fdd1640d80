// The spec's first two snippets ("The pattern"), verbatim between the markers. Around them only what
// a TypeScript user adds: the environment variables they read, and a harness that connects, picks a
// guild and a user, and prints what the tiers answered. Run against the simulator with
// ATHENA_REST_BASE_URL=<its rest URL>, DISCORD_TOKEN=simulator and REDIS_URL=redis://127.0.0.1:6379.
declare global {
  namespace NodeJS {
    interface ProcessEnv {
      REDIS_URL: string;
      DISCORD_TOKEN: string;
    }
  }
}
const token = process.env.DISCORD_TOKEN;

// --- spec snippet 1, verbatim ---
import Redis from 'ioredis';
import { Client, RedisCacheStore, RemoteBackedCollection, User, Member } from 'athena';

const store = new RedisCacheStore(new Redis(process.env.REDIS_URL), {
  prefix: 'zira:',        // share the SAME prefix across all clusters to dedupe
  ttlSeconds: 86_400,     // optional expiry
  updateTTLOnGet: true    // optional sliding expiration
});

const client = new Client(token, {
  cache: {
    remoteStore: store,
    users: () => new RemoteBackedCollection(User, 50_000, store, 'user'),
    members: (guild) => new RemoteBackedCollection(Member, 50_000, store, `member:${guild.id}`)
  }
});
// --- end of snippet 1 ---

await new Promise<void>((resolve) => {
  client.once('ready', () => resolve());
  void client.connect();
});
const guild = [...client.guilds.values()].find((g) => g.members.size > 1)!;
const userID = [...guild.members.keys()].find((id) => id !== client.user?.id)!;
// Forget the hot set so the next lookups go to Redis, as a cold cluster's would.
guild.members.clear();
client.users.clear();
await new Promise((resolve) => setTimeout(resolve, 200)); // let the fire-and-forget writes land

// --- spec snippet 2, verbatim ---
const user = await client.fetchUser(userID);      // hot set -> Redis -> REST
const member = await guild.fetchMember(userID);   // hot set -> Redis -> REST
// --- end of snippet 2 ---

console.log(
  JSON.stringify({
    userID,
    user: user?.username ?? null,
    member: member?.id ?? null,
    memberUser: member?.user.username ?? null,
    roles: member?.roles.length ?? null,
    tiers: client.fetchStats
  })
);
await client.destroy();
process.exit(0);
