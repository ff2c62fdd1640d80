/**
 * Bytes per user, per member and per guild skeleton (channels, roles, overwrites), for Athena's
 * structures, Eris 0.18 and discord.js 14, built from the same synthetic payloads.
 *
 *   node --expose-gc --import tsx bench/structures-memory.ts [--guilds 1000] [--members 50]
 *
 * Each library runs in its own child process so one's heap never counts against another's.
 * Phases, each measured as heapUsed + arrayBuffers after full GCs, with the payloads already garbage:
 *   users    : USERS distinct users into the library's user cache
 *   skeleton : GUILDS guilds with 20 channels, 15 roles and their overwrites, no members
 *   members  : GUILDS × MEMBERS members, every one of an already cached user
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const GUILDS = option('guilds', 1000);
const MEMBERS = option('members', 50);
const USERS = option('users', GUILDS * MEMBERS);

// ---------------------------------------------------------------- synthetic payloads

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const EPOCH = 1420070400000n;
const snowflake = (ms: number, n: number) => (((BigInt(ms) - EPOCH) << 22n) | BigInt(n & 0x3fffff)).toString();
const hex = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const word = (r: () => number, min: number, max: number) =>
  Array.from({ length: min + Math.floor(r() * (max - min + 1)) }, () =>
    String.fromCharCode(97 + Math.floor(r() * 26))
  ).join('');
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

const userID = (i: number) => snowflake(1_450_000_000_000 + i * 7_919, i);
const guildID = (g: number) => snowflake(1_500_000_000_000 + g * 104_729, g);

function userPayload(i: number) {
  const r = rng(i + 1);
  return {
    id: userID(i),
    username: word(r, 6, 14),
    discriminator: '0',
    global_name: r() < 0.5 ? word(r, 4, 12) : null,
    avatar: r() < 0.7 ? hex(r, 32) : null,
    public_flags: r() < 0.1 ? 64 : 0
  };
}

const PERMS = ['1024', '2048', '3072', '68608', '0', '1049600', '8192', '2147483648'];
function skeletonPayload(g: number) {
  const r = rng(1_000_000 + g);
  const id = guildID(g);
  const roles = [{ id, name: '@everyone', permissions: '1071698660929', position: 0 }];
  for (let i = 1; i < 15; i++) {
    roles.push({
      id: snowflake(1_500_000_000_000 + g * 104_729 + i * 1000, i),
      name: word(r, 4, 12),
      permissions: PERMS[i % PERMS.length] ?? '0',
      position: i
    });
  }
  const fullRoles = roles.map((role) => ({
    ...role,
    color: r() < 0.5 ? Math.floor(r() * 0xffffff) : 0,
    hoist: r() < 0.3,
    managed: false,
    mentionable: false,
    flags: 0,
    icon: null,
    unicode_emoji: null
  }));
  const overwrite = (oid: string, type: 0 | 1) => ({
    id: oid,
    type,
    allow: PERMS[Math.floor(r() * 4)] ?? '0',
    deny: r() < 0.5 ? '1024' : '0'
  });
  const channels: Record<string, unknown>[] = [];
  const categories: string[] = [];
  for (let c = 0; c < 20; c++) {
    const cid = snowflake(1_500_000_000_000 + g * 104_729 + 50_000 + c * 1000, c);
    const type = c < 3 ? 4 : c < 15 ? 0 : c < 19 ? 2 : 5;
    if (type === 4) categories.push(cid);
    const overwrites = [];
    const count = type === 4 ? 2 : Math.floor(r() * 4);
    if (count > 0) overwrites.push(overwrite(id, 0));
    for (let o = 1; o < count; o++) {
      const target = r() < 0.85 ? (fullRoles[1 + Math.floor(r() * 14)]?.id ?? id) : userID(Math.floor(r() * USERS));
      overwrites.push(overwrite(target, target.length && r() < 0.85 ? 0 : 1));
    }
    const base: Record<string, unknown> = {
      id: cid,
      type,
      guild_id: id,
      name: word(r, 5, 16),
      position: c,
      permission_overwrites: overwrites,
      parent_id: type === 4 ? null : (categories[Math.floor(r() * categories.length)] ?? null),
      nsfw: false,
      flags: 0
    };
    if (type === 0 || type === 5) {
      base.topic = r() < 0.4 ? word(r, 20, 60) : null;
      base.last_message_id = snowflake(1_700_000_000_000 + Math.floor(r() * 1e9), c);
      base.rate_limit_per_user = 0;
    }
    if (type === 2)
      Object.assign(base, {
        bitrate: 64000,
        user_limit: 0,
        rtc_region: null,
        last_message_id: null,
        rate_limit_per_user: 0
      });
    channels.push(base);
  }
  return {
    id,
    name: word(r, 5, 20),
    icon: hex(r, 32),
    owner_id: userID(Math.floor(r() * USERS)),
    afk_timeout: 300,
    verification_level: 1,
    default_message_notifications: 1,
    explicit_content_filter: 2,
    mfa_level: 0,
    features: r() < 0.2 ? ['COMMUNITY', 'NEWS', 'WELCOME_SCREEN_ENABLED'] : [],
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    application_id: null,
    afk_channel_id: null,
    splash: null,
    discovery_splash: null,
    joined_at: iso(1_600_000_000_000 + g * 1000),
    large: false,
    unavailable: false,
    member_count: MEMBERS,
    roles: fullRoles,
    channels,
    threads: [],
    members: [],
    voice_states: [],
    presences: [],
    stage_instances: [],
    emojis: [],
    stickers: []
  };
}

/** Members of guild g: users drawn with a skew (popular users sit in many guilds). */
function memberPayloads(g: number, roleIDs: string[]) {
  const r = rng(2_000_000 + g);
  const members = [];
  const seen = new Set<number>();
  while (members.length < MEMBERS) {
    const u = Math.floor(USERS * r() ** 2);
    if (seen.has(u)) continue;
    seen.add(u);
    const roll = r();
    const roles =
      roll < 0.4
        ? []
        : roll < 0.8
          ? [roleIDs[1]]
          : roll < 0.95
            ? [roleIDs[1], roleIDs[2]]
            : [roleIDs[3], roleIDs[1], roleIDs[4]];
    members.push({
      user: userPayload(u),
      nick: r() < 0.15 ? word(r, 3, 12) : null,
      avatar: null,
      roles: roles.map((x) => String(x)),
      joined_at: iso(1_600_000_000_000 + Math.floor(r() * 1e11)),
      premium_since: r() < 0.02 ? iso(1_650_000_000_000) : null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null
    });
  }
  return members;
}

// ---------------------------------------------------------------- libraries

interface Library {
  addUser(raw: ReturnType<typeof userPayload>): void;
  addGuild(raw: ReturnType<typeof skeletonPayload>): void;
  addMembers(g: number, raw: ReturnType<typeof memberPayloads>): void;
  roleIDs(g: number): string[];
  counts(): { users: number; members: number; channels: number };
}

async function athena(): Promise<Library> {
  const { createStructureContext, Guild } = await import('../src/structures/index.js');
  const context = createStructureContext({ messageLimit: 0 });
  const guilds: InstanceType<typeof Guild>[] = [];
  return {
    addUser: (raw) => void context.users.add(raw),
    addGuild: (raw) => void guilds.push(new Guild(raw as never, context)),
    addMembers: (g, raw) => {
      const guild = guilds[g]!;
      for (const m of raw) guild.members.add({ ...m, id: m.user.id } as never, guild);
    },
    roleIDs: (g) => [...guilds[g]!.roles.keys()],
    counts: () => ({
      users: context.users.size,
      members: guilds.reduce((n, g) => n + g.members.size, 0),
      channels: guilds.reduce((n, g) => n + g.channels.size, 0)
    })
  };
}

async function eris(): Promise<Library> {
  const require = createRequire(import.meta.url);
  const Eris = require('eris');
  const client = new Eris.Client('Bot x', { restMode: false, messageLimit: 0 });
  client.shards.set(0, new Eris.Shard(0, client));
  const guilds: any[] = [];
  return {
    addUser: (raw) => void client.users.add(raw, client),
    addGuild: (raw) => void guilds.push(client.guilds.add(new Eris.Guild(raw, client), client)),
    addMembers: (g, raw) => {
      const guild = guilds[g];
      for (const m of raw) guild.members.add({ ...m, id: m.user.id }, guild);
    },
    roleIDs: (g) => [...guilds[g].roles.keys()],
    counts: () => ({
      users: client.users.size,
      members: guilds.reduce((n, g) => n + g.members.size, 0),
      channels: guilds.reduce((n, g) => n + g.channels.size, 0)
    })
  };
}

async function discordjs(): Promise<Library> {
  const { Client, GatewayIntentBits } = await import('discord.js');
  const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers] });
  const guilds: any[] = [];
  return {
    addUser: (raw) => void (client.users as any)._add(raw),
    addGuild: (raw) => void guilds.push((client.guilds as any)._add(raw)),
    addMembers: (g, raw) => {
      const guild = guilds[g];
      for (const m of raw) guild.members._add(m);
    },
    roleIDs: (g) => [...guilds[g].roles.cache.keys()],
    counts: () => ({
      users: client.users.cache.size,
      members: guilds.reduce((n, g) => n + g.members.cache.size, 0),
      channels: guilds.reduce((n, g) => n + g.channels.cache.size, 0)
    })
  };
}

function heap(): number {
  for (let i = 0; i < 4; i++) (globalThis as { gc?: () => void }).gc?.();
  // Typed-array contents live outside the V8 heap (arrayBuffers): counted, or columnar storage
  // would look free.
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

const make = (name: string) => (name === 'athena' ? athena() : name === 'eris' ? eris() : discordjs());

async function measure(name: string): Promise<void> {
  // Warm the code paths in a throwaway instance, so compiled code and feedback are not billed
  // to the structures.
  {
    const warm = await make(name);
    for (let i = 0; i < 2000; i++) warm.addUser(userPayload(i));
    for (let g = 0; g < 50; g++) warm.addGuild(skeletonPayload(g));
    for (let g = 0; g < 50; g++) warm.addMembers(g, memberPayloads(g, warm.roleIDs(g)));
  }
  const lib = await make(name);
  const base0 = heap();
  for (let i = 0; i < USERS; i++) lib.addUser(userPayload(i));
  const afterUsers = heap();
  for (let g = 0; g < GUILDS; g++) lib.addGuild(skeletonPayload(g));
  const afterSkeleton = heap();
  for (let g = 0; g < GUILDS; g++) lib.addMembers(g, memberPayloads(g, lib.roleIDs(g)));
  const afterMembers = heap();
  const counts = lib.counts();
  process.stdout.write(
    JSON.stringify({
      name,
      users: counts.users,
      members: counts.members,
      channels: counts.channels,
      perUser: (afterUsers - base0) / counts.users,
      perGuildSkeleton: (afterSkeleton - afterUsers) / GUILDS,
      perMember: (afterMembers - afterSkeleton) / counts.members
    })
  );
}

const child = args.indexOf('--child');
if (child >= 0) {
  await measure(args[child + 1] ?? 'athena');
} else {
  if (!(globalThis as { gc?: unknown }).gc) {
    console.error('run with: node --expose-gc --import tsx bench/structures-memory.ts');
    process.exit(1);
  }
  const self = fileURLToPath(import.meta.url);
  const rows = [];
  for (const name of ['athena', 'eris', 'discord.js']) {
    const run = spawnSync(process.execPath, [...process.execArgv, self, ...args, '--child', name], {
      encoding: 'utf8',
      maxBuffer: 1 << 20
    });
    if (run.status !== 0) {
      console.error(`${name} failed:\n${run.stderr}`);
      continue;
    }
    rows.push(JSON.parse(run.stdout));
  }
  console.log(`guilds ${GUILDS}, members per guild ${MEMBERS}, user pool ${USERS}, node ${process.version}`);
  console.log('| library | per user (B) | per member (B) | per guild skeleton (KB) | users | members | channels |');
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.name} | ${row.perUser.toFixed(0)} | ${row.perMember.toFixed(0)} | ${(row.perGuildSkeleton / 1024).toFixed(2)} | ${row.users} | ${row.members} | ${row.channels} |`
    );
  }
}
