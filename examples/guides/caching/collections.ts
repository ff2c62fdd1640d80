import { Client, Collection, Intents, Member, NullCollection, StageInstance, User, VoiceState } from 'athena';

const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  intents: Intents.Guilds | Intents.GuildMessages | Intents.GuildMessageReactions,
  messageLimit: 20, // messages kept per channel (default 100, 0 keeps none)
  cache: {
    users: () => new Collection(User, 100_000), // at most 100,000 users in this process
    members: () => new Collection(Member, 2_000), // at most 2,000 members per guild
    voiceStates: () => new NullCollection(VoiceState), // never cached
    stageInstances: () => new NullCollection(StageInstance)
  }
});

client.on('ready', () => {
  const big = client.guilds.filter((guild) => guild.memberCount > 10_000);
  console.log(`${client.guilds.size} guilds, ${big.length} large, ${client.users.size} users cached`);
  const someone = client.users.random();
  if (someone) console.log(client.users.peek(someone.id)?.username); // peek: no recency change
  console.log(`users evicted so far: ${client.users.evictions}`);
});
await client.connect();
