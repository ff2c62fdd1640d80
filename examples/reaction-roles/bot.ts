/**
 * A reaction-role bot: reacting with 🔴/🟢/🔵/🟡/🟣 on a guild's role message gives the matching
 * role, removing the reaction takes it away. Each toggle resolves the member through the tiers
 * (`fetchMember`: hot set, shared store, REST) and calls add/removeGuildMemberRole.
 *
 * Runs standalone (`DISCORD_TOKEN=… tsx examples/reaction-roles/bot.ts`) or as a cluster of a
 * ClusterManager (then `getClusterContext()` supplies its shards, identify queue and sessions).
 *
 * Env: DISCORD_TOKEN (or ATHENA_TOKEN) · ATHENA_LEAN=1 for the spec's lean configuration, with
 * REDIS_URL (Redis) or ATHENA_SQLITE_PATH (SQLite) as the shared store · ATHENA_HOT_SET (default
 * 50000) · ATHENA_GLOBAL_RPS, the bot's global REST budget (default Discord's 50/s), which the
 * clusters of a fleet share · ATHENA_REST_BASE_URL to point it at a simulator.
 */
import {
  Client,
  DiscordRESTError,
  getClusterContext,
  Intents,
  Member,
  NullCollection,
  RemoteBackedCollection,
  StageInstance,
  User,
  VoiceState
} from '../../src/index.js';
import { roleIDByName, roleNameFor } from './roles.js';
import { type OpenedStore, openStore } from './store.js';

const token = process.env.ATHENA_TOKEN || process.env.DISCORD_TOKEN;
if (!token) {
  console.error('reaction-roles: set DISCORD_TOKEN');
  process.exit(1);
}
const lean = process.env.ATHENA_LEAN === '1';
const hotSet = Number(process.env.ATHENA_HOT_SET) > 0 ? Number(process.env.ATHENA_HOT_SET) : 50_000;
const opened: OpenedStore | undefined = lean ? openStore() : undefined;
const store = opened?.store;
/** What the manager may ask this bot over IPC (typed on both ends). */
export type ReactionRolesProtocol = {
  /** Ids of the users in this cluster's hot set (the fleet test checks the store dedupes them). */
  hotUserIDs: { request: null; response: string[] };
};
const cluster = getClusterContext<ReactionRolesProtocol>();
// Discord's global limit is per token, not per process: each cluster takes an equal share.
const globalBudget = Number(process.env.ATHENA_GLOBAL_RPS) > 0 ? Number(process.env.ATHENA_GLOBAL_RPS) : 50;
const globalRequestsPerSecond = Math.max(1, Math.floor(globalBudget / (cluster?.clusterCount ?? 1)));

const client = new Client(token, {
  ...cluster?.clientOptions(),
  intents: Intents.Guilds | Intents.GuildMessageReactions,
  rest: { globalRequestsPerSecond },
  messageLimit: 0,
  cache:
    lean && store
      ? {
          remoteStore: store,
          users: () => new RemoteBackedCollection(User, hotSet, store, 'user'),
          members: (g) => new RemoteBackedCollection(Member, hotSet, store, `member:${g.id}`),
          voiceStates: () => new NullCollection(VoiceState),
          stageInstances: () => new NullCollection(StageInstance)
        }
      : undefined
});
cluster?.attach(client);
cluster?.handle('hotUserIDs', () => [...client.users.keys()]);

const count = (name: string) => cluster?.count(name);

/**
 * Toggles of one (guild, user, role) run in arrival order: an add and a quick remove must reach
 * Discord in that order, or the member ends with the wrong role.
 */
const chains = new Map<string, Promise<void>>();

/**
 * Roles of guilds this process has no GUILD_CREATE for. A respawned cluster resumes its shards'
 * sessions, and a resumed session does not send the guilds again: those are read over REST once.
 */
const restRoles = new Map<string, Promise<Map<string, string>>>();

async function roleIDFor(guildID: string, roleName: string): Promise<string | undefined> {
  const guild = client.guilds.get(guildID);
  if (guild) return roleIDByName(guild, roleName);
  let roles = restRoles.get(guildID);
  if (!roles) {
    count('guild.rest');
    roles = client.getRESTGuild(guildID).then((g) => new Map(g.roles.map((r) => [r.name, r.id])));
    restRoles.set(guildID, roles);
    roles.catch(() => restRoles.delete(guildID));
  }
  return (await roles).get(roleName);
}

/** Whether the user is (still) a member: through the tiers for cached guilds, REST otherwise. */
async function isMember(guildID: string, userID: string): Promise<boolean> {
  const guild = client.guilds.get(guildID);
  if (guild) {
    count(guild.members.get(userID) ? 'member.hot' : 'member.fetched');
    return (await client.fetchMember(guild, userID)) !== null;
  }
  count('member.rest');
  try {
    await client.getRESTGuildMember(guildID, userID);
    return true;
  } catch (error) {
    if (error instanceof DiscordRESTError && error.code === 10007) return false;
    throw error;
  }
}

function toggle(guildID: string | undefined, emojiName: string | null, userID: string, add: boolean): void {
  const roleName = roleNameFor(emojiName);
  if (guildID === undefined || roleName === undefined || userID === client.user?.id) return;
  const key = `${guildID}:${userID}:${roleName}`;
  const previous = chains.get(key) ?? Promise.resolve();
  const next = previous.then(async () => {
    const roleID = await roleIDFor(guildID, roleName);
    if (roleID === undefined) {
      count('role.missing');
      return;
    }
    if (!(await isMember(guildID, userID))) {
      count('member.missing');
      return;
    }
    if (add) await client.addGuildMemberRole(guildID, userID, roleID, 'reaction role');
    else await client.removeGuildMemberRole(guildID, userID, roleID, 'reaction role');
    count(add ? 'toggles.add' : 'toggles.remove');
  });
  const tail = next.catch((error: Error) => {
    count('toggles.failed');
    client.emit('warn', `role toggle failed in guild ${guildID}: ${error.message}`);
  });
  chains.set(key, tail);
  void tail.then(() => {
    if (chains.get(key) === tail) chains.delete(key);
  });
  cluster?.track(tail);
}

client.on(
  'messageReactionAdd',
  (message: { guildID?: string }, emoji: { name: string | null }, reactor: { id: string }) =>
    toggle(message.guildID, emoji.name, reactor.id, true)
);
client.on('messageReactionRemove', (message: { guildID?: string }, emoji: { name: string | null }, userID: string) =>
  toggle(message.guildID, emoji.name, userID, false)
);
client.on('error', (error: Error) => console.error('reaction-roles:', error.message));
client.on('shardDisconnect', (error: Error | undefined, id: number) =>
  console.log(`shard ${id} disconnected${error ? `: ${error.message}` : ''}`)
);
client.on('warn', (message: string, id?: number) =>
  console.log(`warn${id === undefined ? '' : ` (shard ${id})`}: ${message}`)
);
client.on('shardResume', (id: number) => console.log(`shard ${id} resumed`));
if (!cluster) {
  client.on('ready', () => console.log(`reaction-roles: ready in ${client.guilds.size} guilds`));
  const stop = async () => {
    await client.destroy();
    await opened?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

await client.connect();
