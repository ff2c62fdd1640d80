// The spec's env-gated lean mode snippet, verbatim between the markers. Around it only what a
// TypeScript user adds: imports, the environment variables and the values the snippet names
// (redis, intents, token), and a harness that connects and reports.

import {
  Client,
  Intents,
  Member,
  NullCollection,
  RedisCacheStore,
  RemoteBackedCollection,
  StageInstance,
  User,
  VoiceState
} from 'athena';
import Redis from 'ioredis';

declare global {
  namespace NodeJS {
    interface ProcessEnv {
      REDIS_URL: string;
      DISCORD_TOKEN: string;
      ATHENA_LEAN?: string;
    }
  }
}
const token = process.env.DISCORD_TOKEN;
const redis = new Redis(process.env.REDIS_URL);
const intents = Intents.Guilds | Intents.GuildMembers | Intents.GuildMessageReactions | Intents.GuildVoiceStates;

// --- spec snippet, verbatim ---
const lean = process.env.ATHENA_LEAN === '1';
const store = lean ? new RedisCacheStore(redis, { prefix: 'zira:' }) : undefined;

new Client(token, {
  intents,
  cache: lean
    ? {
        remoteStore: store,
        users: () => new RemoteBackedCollection(User, 50_000, store!, 'user'),
        members: (g) => new RemoteBackedCollection(Member, 50_000, store!, `member:${g.id}`),
        voiceStates: () => new NullCollection(VoiceState),
        stageInstances: () => new NullCollection(StageInstance)
      }
    : undefined
});
// --- end of snippet ---

// The snippet constructs its client without keeping it; the harness builds the same one to run it.
const client = new Client(token, {
  intents,
  cache: lean
    ? {
        remoteStore: store,
        users: () => new RemoteBackedCollection(User, 50_000, store!, 'user'),
        members: (g) => new RemoteBackedCollection(Member, 50_000, store!, `member:${g.id}`),
        voiceStates: () => new NullCollection(VoiceState),
        stageInstances: () => new NullCollection(StageInstance)
      }
    : undefined
});
await new Promise<void>((resolve) => {
  client.once('ready', () => resolve());
  void client.connect();
});
let voiceStates = 0;
for (const guild of client.guilds.values()) voiceStates += guild.voiceStates.size;
console.log(JSON.stringify({ lean, guilds: client.guilds.size, users: client.users.size, voiceStates }));
await client.destroy();
redis.disconnect();
process.exit(0);
