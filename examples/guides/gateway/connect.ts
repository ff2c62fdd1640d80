import { Client, Intents } from 'athena';

const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  intents: Intents.Guilds | Intents.GuildMessageReactions, // or ['Guilds', 'GuildMessageReactions']
  maxShards: 'auto', // GET /gateway/bot's recommended shard count
  shardConcurrency: 'auto', // session_start_limit.max_concurrency
  compress: 'zlib-stream', // or 'zstd-stream'; true means zlib-stream
  disableEvents: ['TYPING_START', 'PRESENCE_UPDATE'] // dropped before JSON.parse
});

client.on('shardReady', (id) => console.log(`shard ${id} ready`));
client.on('shardResume', (id) => console.log(`shard ${id} resumed`));
client.on('shardDisconnect', (error, id) => console.log(`shard ${id} disconnected: ${error?.message ?? 'closed'}`));
client.on('ready', () => console.log(`ready in ${client.guilds.size} guilds`));
await client.connect();
