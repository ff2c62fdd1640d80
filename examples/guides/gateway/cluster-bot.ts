import { Client, getClusterContext, Intents } from 'athena';

/** What the manager may ask this bot over IPC, typed on both ends. */
export type BotProtocol = {
  guildCount: { request: null; response: number };
};

// null when the file runs on its own: the same bot runs standalone and clustered.
const cluster = getClusterContext<BotProtocol>();
const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  ...cluster?.clientOptions(), // shard range, total shards, the host's identify queue and sessions
  intents: Intents.Guilds | Intents.GuildMessageReactions
});
cluster?.attach(client); // ready, stats and graceful stop reported to the manager
cluster?.handle('guildCount', () => client.guilds.size);
await client.connect();
