/**
 * Heap held by one simulated world, per library and cache setting, each in its own child process
 * with --expose-gc: heapUsed + arrayBuffers (typed-array memory outside the heap) after full
 * collections once every guild loaded, minus the same before connecting.
 *
 *   npx tsx bench/memory.ts [--guilds 20000] [--only athena,athena-budget,discordjs,discordjs-limits,eris]
 *
 * Intents: GUILDS, GUILD_MEMBERS, GUILD_VOICE_STATES (no presences, so large guilds arrive with only
 * the bot and voice members, the same for every library). Settings:
 *   athena            defaults
 *   athena-budget     cache.memberBudget 50,000 (process-wide) and users bounded to 50,000
 *   discordjs         defaults
 *   discordjs-limits  Options.cacheWithLimits: 50,000 users, 10 members per guild (keeping the bot),
 *                     no messages, presences or reactions
 *   eris              defaults
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SETTINGS = ['athena', 'athena-budget', 'discordjs', 'discordjs-limits', 'eris'] as const;
type Setting = (typeof SETTINGS)[number];

interface Held {
  type: 'held';
  bytes: number;
  guilds: number;
  members: number;
  users: number;
  loadMs: number;
}

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const childSetting = process.argv.find((a) => a.startsWith('--child='))?.slice('--child='.length);
if (childSetting) await runChild(childSetting as Setting);
else await runParent();

async function runParent(): Promise<void> {
  const { Simulator } = await import('../src/testing/index.js');
  const guilds = Number(arg('guilds', '20000'));
  const only = arg('only', SETTINGS.join(',')).split(',') as Setting[];
  const sim = await Simulator.start({
    guilds,
    seed: 'bench-memory',
    identifyIntervalMs: 0,
    maxConcurrency: 16,
    shards: Math.max(1, Math.ceil(guilds / 2000))
  });
  let worldMembers = 0;
  for (const id of sim.world.guildIDs()) {
    const size = sim.world.memberCount(id);
    worldMembers += size > 250 ? 1 : size;
  }
  const rows: (Held & { setting: Setting })[] = [];
  try {
    for (const setting of only) {
      const child = fork(fileURLToPath(import.meta.url), [`--child=${setting}`], {
        execArgv: ['--expose-gc', '--import', 'tsx', '--max-old-space-size=8192'],
        env: { ...process.env, SIM_TOKEN: sim.token, SIM_REST_URL: sim.restURL, SIM_GUILDS: String(guilds) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc']
      });
      const [held] = (await once(child, 'message')) as [Held];
      child.send({ type: 'exit' });
      await once(child, 'exit');
      rows.push({ ...held, setting });
      console.log(
        `${setting}: ${(held.bytes / 1e6).toFixed(1)} MB, ${held.guilds} guilds, ${held.members} members, ` +
          `${held.users} users, loaded in ${Math.round(held.loadMs)} ms`
      );
    }
  } finally {
    await sim.close();
  }
  const by = (s: Setting) => rows.find((r) => r.setting === s);
  const ratio = (a: Held | undefined, b: Held | undefined) => (a && b ? (a.bytes / b.bytes).toFixed(2) : '-');
  console.log(`\n${guilds} guilds, ${worldMembers} member records sent in GUILD_CREATEs\n`);
  console.log(
    '| setting | heap held (MB) | guilds | members | users | B per member sent | × discord.js default | × Eris | × discord.js limits |'
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.setting} | ${(r.bytes / 1e6).toFixed(1)} | ${r.guilds} | ${r.members} | ${r.users} | ` +
        `${Math.round(r.bytes / worldMembers)} | ${ratio(r, by('discordjs'))} | ${ratio(r, by('eris'))} | ` +
        `${ratio(r, by('discordjs-limits'))} |`
    );
  }
}

async function settleHeap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  for (let i = 0; i < 6; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Typed-array backing stores live outside the V8 heap: counted too, or moving a cache into
  // typed arrays would look free.
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

async function runChild(setting: Setting): Promise<void> {
  const token = process.env.SIM_TOKEN ?? '';
  const restURL = process.env.SIM_REST_URL ?? '';
  // Load every library's code before the baseline, so only the cache is counted.
  const [{ Client }, { Collection }, { User }, djs, Eris] = await Promise.all([
    import('../src/Client.js'),
    import('../src/cache/Collection.js'),
    import('../src/structures/User.js'),
    import('discord.js'),
    import('eris')
  ]);
  const baseline = await settleHeap();
  const started = performance.now();
  const expected = Number(process.env.SIM_GUILDS);
  let count: () => { guilds: number; members: number; users: number };
  /** Guilds whose GUILD_CREATE has been applied (a library's ready can fire before all arrive). */
  let loaded: () => number;
  let keep: unknown;
  /** Run once every guild is loaded, before the heap is read. */
  let beforeMeasure = () => {};

  if (setting === 'athena' || setting === 'athena-budget') {
    const client = new Client(token, {
      rest: { baseURL: restURL },
      intents: ['Guilds', 'GuildMembers', 'GuildVoiceStates'],
      compress: true,
      identifyWindow: 0,
      messageLimit: 0,
      cache: setting === 'athena-budget' ? { memberBudget: 50_000, users: () => new Collection(User, 50_000) } : {}
    });
    const ready = once(client, 'ready');
    await client.connect();
    await ready;
    keep = client;
    loaded = () => client.guilds.size;
    // Counted built: channelGuildMap is filled on first use, and Eris and discord.js hold theirs.
    beforeMeasure = () => void client.channelGuildMap.size;
    count = () => {
      let members = 0;
      for (const guild of client.guilds.values()) members += guild.members.size;
      return { guilds: client.guilds.size, members, users: client.users.size };
    };
  } else if (setting === 'discordjs' || setting === 'discordjs-limits') {
    const { Client: DJSClient, GatewayIntentBits, Options } = djs;
    const client: InstanceType<typeof DJSClient> = new DJSClient({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers, GatewayIntentBits.GuildVoiceStates],
      shards: 'auto',
      // Eris and Athena identify with Discord's default large_threshold (250); discord.js sends 50,
      // which would make the simulator send it a fifth of the members.
      ws: { large_threshold: 250 },
      rest: { api: restURL.replace(/\/v10$/, '') },
      ...(setting === 'discordjs-limits'
        ? {
            makeCache: Options.cacheWithLimits({
              ...Options.DefaultMakeCacheSettings,
              UserManager: 50_000,
              GuildMemberManager: { maxSize: 10, keepOverLimit: (member) => member.id === client.user?.id },
              MessageManager: 0,
              PresenceManager: 0,
              ReactionManager: 0
            })
          }
        : {})
    });
    const ready = new Promise((resolve) => client.once('clientReady' as 'ready', resolve));
    await client.login(token);
    await ready;
    keep = client;
    loaded = () => client.guilds.cache.filter((guild) => guild.available).size;
    count = () => {
      let members = 0;
      for (const guild of client.guilds.cache.values()) members += guild.members.cache.size;
      return { guilds: client.guilds.cache.size, members, users: client.users.cache.size };
    };
  } else {
    // Eris's REST speaks only HTTPS: its gateway lookup is pointed at the simulator instead.
    const response = await fetch(`${restURL}/gateway/bot`, { headers: { authorization: `Bot ${token}` } });
    const info = (await response.json()) as { url: string; shards: number };
    const client = new Eris.Client(`Bot ${token}`, {
      intents: ['guilds', 'guildMembers', 'guildVoiceStates'],
      compress: true,
      maxShards: info.shards
    });
    // Both lookups (getBotGateway when shardConcurrency is 'auto') answer from the simulator.
    Object.assign(client, { getGateway: async () => info, getBotGateway: async () => info });
    const ready = once(client, 'ready');
    await client.connect();
    await ready;
    keep = client;
    loaded = () => client.guilds.size;
    count = () => {
      let members = 0;
      for (const guild of client.guilds.values()) members += guild.members.size;
      return { guilds: client.guilds.size, members, users: client.users.size };
    };
  }
  // Measured only once every guild is loaded: discord.js emits ready after a per-shard guild
  // timeout even while GUILD_CREATEs are still arriving, which once understated its heap.
  while (loaded() < expected) await new Promise((resolve) => setTimeout(resolve, 50));
  const loadMs = performance.now() - started;
  beforeMeasure();
  const held = (await settleHeap()) - baseline;
  process.send?.({ type: 'held', bytes: held, loadMs, ...count() });
  process.on('message', () => {
    void keep;
    process.exit(0);
  });
}
