/**
 * Bytes per cached member by guild size: the default columnar MemberStore against Members in a Map
 * (`Collection(Member)`, what a limited or budgeted members cache still uses), counting heapUsed plus
 * ArrayBuffer bytes (typed-array contents live outside the V8 heap and heapUsed misses them).
 *
 *   node --expose-gc --import tsx bench/members-memory.ts [--total 200000]
 *
 * For each guild size (50, 1,000, 100,000 members) `total` members are spread over as many guilds
 * as that takes, guilds and users built first (a member's user is shared, not billed to it).
 * Members arrive one by one (`add`, as GUILD_MEMBER_ADD and chunks: columns grow by 1.5×) or as a
 * GUILD_CREATE's list (`MemberStore.load`, sized once; a Map-based collection adds one by one
 * either way). Each configuration runs in its own child process.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const TOTAL = Number(option('total', '200000'));

const uid = (n: number) => String(300000000000000000n + BigInt(n) * 4194305n);
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

function memberPayload(n: number, roleIDs: string[]) {
  const roll = (n * 2654435761) % 100;
  return {
    user: { id: uid(n), username: `user${n}`, discriminator: '0', global_name: null, avatar: null },
    nick: roll < 15 ? `nick${n}` : null,
    avatar: null,
    roles: roll < 40 ? [] : roll < 80 ? [roleIDs[1]] : roll < 95 ? [roleIDs[1], roleIDs[2]] : [roleIDs[3], roleIDs[1]],
    joined_at: iso(1_600_000_000_000 + n * 7_919_000),
    premium_since: roll === 99 ? iso(1_650_000_000_000) : null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null
  };
}

function heap(): number {
  for (let i = 0; i < 4; i++) (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

async function child(kind: 'store' | 'map', perGuild: number, arrival: 'adds' | 'create'): Promise<void> {
  const { Collection } = await import('../src/cache/Collection.js');
  const { createStructureContext, Guild, Member } = await import('../src/structures/index.js');
  const { MemberStore } = await import('../src/structures/members/MemberStore.js');
  const context = createStructureContext({
    messageLimit: 0,
    cache: kind === 'map' ? { members: () => new Collection(Member) as never } : {}
  });
  const guildCount = Math.max(1, Math.round(TOTAL / perGuild));
  const roleIDs = (g: number) => Array.from({ length: 4 }, (_, i) => String(200000000000000000n + BigInt(g * 8 + i)));
  for (let n = 0; n < guildCount * perGuild; n++) context.users.add(memberPayload(n, []).user);
  const skeleton = (g: number) => ({
    id: roleIDs(g)[0] as string,
    name: `g${g}`,
    owner_id: uid(0),
    roles: roleIDs(g).map((id, i) => ({ id, name: `r${i}`, permissions: '0', position: i, color: 0 })),
    members: [] as unknown[]
  });
  const guilds: InstanceType<typeof Guild>[] = [];
  for (let g = 0; g < guildCount; g++) guilds.push(new Guild(skeleton(g) as never, context));
  // Each guild's payloads built and dropped inside a function of its own: a dead local of this
  // frame could otherwise keep the last guild's payloads reachable while the heap is measured.
  const fill = (guild: InstanceType<typeof Guild>, g: number) => {
    const members = Array.from({ length: perGuild }, (_, i) => memberPayload(g * perGuild + i, roleIDs(g)));
    // What Guild.load does with a GUILD_CREATE's members (a Map-based collection adds them one by one).
    if (arrival === 'create' && guild.members instanceof MemberStore) guild.members.load(members);
    else for (const m of members) guild.members.add({ ...m, id: m.user.id } as never, guild);
  };
  const before = heap();
  for (let g = 0; g < guildCount; g++) fill(guilds[g] as InstanceType<typeof Guild>, g);
  const after = heap();
  const count = guilds.reduce((n, g) => n + g.members.size, 0);
  process.stdout.write(
    JSON.stringify({ kind, perGuild, arrival, guilds: guildCount, count, perMember: (after - before) / count })
  );
}

const at = args.indexOf('--child');
if (at >= 0) {
  await child(args[at + 1] as 'store' | 'map', Number(args[at + 2]), args[at + 3] as 'adds' | 'create');
} else {
  const self = fileURLToPath(import.meta.url);
  console.log(
    `| members per guild | arrival | MemberStore (B/member) | Map of Members (B/member) |\n|---|---|---|---|`
  );
  for (const perGuild of [50, 1000, 100_000]) {
    for (const arrival of ['adds', 'create'] as const) {
      const cells = [];
      for (const kind of ['store', 'map'] as const) {
        const run = spawnSync(
          process.execPath,
          [...process.execArgv, self, ...args, '--child', kind, String(perGuild), arrival],
          { encoding: 'utf8' }
        );
        const out = JSON.parse(run.stdout || '{}') as { perMember?: number };
        cells.push(out.perMember === undefined ? `error: ${run.stderr.slice(0, 200)}` : out.perMember.toFixed(1));
      }
      console.log(`| ${perGuild} | ${arrival} | ${cells.join(' | ')} |`);
    }
  }
}
