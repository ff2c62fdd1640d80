import { CacheBudget, Client, Collection, Intents, Member } from 'athena';

// With your own members factory, pass the budget yourself (here: also at most 5,000 per guild).
const budget = new CacheBudget(300_000);
const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  intents: Intents.Guilds | Intents.GuildMembers,
  cache: { members: () => new Collection(Member, 5_000, { budget }) }
});
await client.connect();
