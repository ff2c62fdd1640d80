import { Client, Intents } from 'athena';

// One bound for every guild's members together: 300,000 members in this process, whatever the
// number of guilds; the least recently used go first, from whichever guild holds them.
const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  intents: Intents.Guilds | Intents.GuildMembers,
  cache: { memberBudget: 300_000 }
});

client.on('ready', () => {
  const budget = client.memberBudget;
  if (budget) console.log(`${budget.size} of ${budget.maxEntries} members cached, ${budget.evictions} evicted`);
});
await client.connect();
