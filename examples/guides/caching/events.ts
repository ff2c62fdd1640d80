import { Client, Intents, Member } from 'athena';

const client = new Client(process.env.DISCORD_TOKEN ?? '', {
  intents: Intents.Guilds | Intents.GuildMembers | Intents.GuildMessageReactions
});

// Listener arguments are typed from ClientEvents: Eris's event names and argument order.
client.on('guildMemberUpdate', (guild, member, oldMember) => {
  console.log(`${member.id} in ${guild.name}: ${member.roles.length} roles (was cached: ${oldMember !== null})`);
});

client.on('messageReactionAdd', async (message, emoji, reactor) => {
  // The reactor is a cached Member or User, or only `{ id }` when neither is cached.
  const guild = message.guildID === undefined ? undefined : client.guilds.get(message.guildID);
  if (!guild) return;
  const member = reactor instanceof Member ? reactor : await guild.fetchMember(reactor.id);
  console.log(`${member?.user.username ?? reactor.id} reacted with ${emoji.name}`);
});

client.on('warn', (message, shardID) => console.warn(`shard ${shardID}: ${message}`));
client.on('error', (error, shardID) => console.error(`shard ${shardID}:`, error));
await client.connect();
