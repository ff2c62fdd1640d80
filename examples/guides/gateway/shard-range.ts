import { Client, Intents } from 'athena';

// This process runs shards 16..31 of a 64-shard bot; other processes run the other ranges.
const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  intents: Intents.Guilds | Intents.GuildMessageReactions,
  maxShards: 64,
  firstShardID: 16,
  lastShardID: 31
});
await client.connect();

for (const [id, shard] of client.shards.shards) {
  console.log(`shard ${id}: ${shard.status}, ${shard.latency} ms`);
}
