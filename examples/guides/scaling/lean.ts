import {
  Client,
  type ClientCacheOptions,
  Intents,
  Member,
  NullCollection,
  RedisCacheStore,
  RemoteBackedCollection,
  StageInstance,
  User,
  VoiceState
} from 'athena';
import { Redis } from 'ioredis';

// Only the clusters that set ATHENA_LEAN=1 run lean; every other deployment keeps the defaults.
function leanCache(store: RedisCacheStore, hotSet: number): ClientCacheOptions {
  return {
    remoteStore: store,
    users: () => new RemoteBackedCollection(User, hotSet, store, 'user'),
    members: (guild) => new RemoteBackedCollection(Member, hotSet, store, `member:${guild.id}`),
    voiceStates: () => new NullCollection(VoiceState),
    stageInstances: () => new NullCollection(StageInstance)
  };
}

const lean = process.env.ATHENA_LEAN === '1';
const store = lean ? new RedisCacheStore(new Redis(process.env.REDIS_URL ?? ''), { prefix: 'mybot:' }) : undefined;

const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  intents: Intents.Guilds | Intents.GuildMessageReactions,
  messageLimit: lean ? 0 : 100,
  compress: 'zlib-stream',
  disableEvents: ['TYPING_START', 'PRESENCE_UPDATE'],
  cache: store ? leanCache(store, Number(process.env.ATHENA_HOT_SET) || 50_000) : undefined
});
await client.connect();
