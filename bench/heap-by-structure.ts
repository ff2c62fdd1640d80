/**
 * Where a guild's bytes go: builds the simulator world of bench/memory.ts (seed 'bench-memory') as
 * Athena structures, straight from GUILD_CREATE payloads (no gateway), and reports heapUsed +
 * arrayBuffers per guild; with --snapshot also a heap snapshot grouped by (object class ← the
 * object that first retains it . edge), per guild. This is how each compaction of the cache was
 * proven: run it before and after a change and compare the rows.
 *
 *   node --expose-gc --import tsx bench/heap-by-structure.ts [--guilds 2000] [--mode skeleton|full|budget]
 *                                                            [--snapshot] [--rows 40]
 *
 * Modes: skeleton (GUILD_CREATEs without members or voice states), full (as sent to a bot with the
 * GUILD_MEMBERS intent, users cached before the baseline so they are not counted), budget (full,
 * with a process-wide member budget and a users limit of 2.5 per guild, the ratio of bench/memory's
 * athena-budget setting). Payloads are kept as JSON text until each guild is built, and the text's
 * size is taken off the baseline, so only the structures are counted.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { Collection } from '../src/cache/Collection.js';
import { resolveCacheOptions } from '../src/client/options.js';
import { createStructureContext, Guild, User } from '../src/structures/index.js';
import { World } from '../src/testing/world/World.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? (args[at + 1] ?? fallback) : fallback;
};
const GUILDS = Number(option('guilds', '2000'));
const MODE = option('mode', 'skeleton');
const ROWS = Number(option('rows', '40'));
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const INTENTS = 1 | 2 | 128; // GUILDS, GUILD_MEMBERS, GUILD_VOICE_STATES (bench/memory.ts)
let world: World | null = new World({ seed: 'bench-memory', guilds: GUILDS });
const texts: string[] = [];
const users: unknown[] = [];
const totals = { roles: 0, channels: 0, overwrites: 0, emojis: 0, members: 0 };
for (const id of world.guildIDs()) {
  const payload = world.guildCreate(id, { largeThreshold: 250, presences: false, intents: INTENTS });
  totals.roles += payload.roles.length;
  totals.emojis += payload.emojis.length;
  for (const channel of payload.channels ?? []) {
    totals.channels++;
    totals.overwrites += 'permission_overwrites' in channel ? (channel.permission_overwrites?.length ?? 0) : 0;
  }
  if (MODE === 'skeleton') {
    payload.members = [];
    payload.voice_states = [];
  }
  for (const member of payload.members ?? []) if (member.user) users.push(member.user);
  totals.members += payload.members?.length ?? 0;
  texts.push(JSON.stringify(payload));
}
world = null;

const context =
  MODE === 'budget'
    ? createStructureContext({
        messageLimit: 0,
        users: new Collection(User, Math.round(GUILDS * 2.5)),
        cache: resolveCacheOptions({ memberBudget: Math.round(GUILDS * 2.5) }, 0).factories
      })
    : createStructureContext({ messageLimit: 0 });
// Users are the client's, not the guild's: cached before the baseline (except in budget mode, where
// the users limit is part of what is measured).
if (MODE === 'full') for (const user of users) context.users.add(user as never);
users.length = 0;

const settle = () => {
  for (let i = 0; i < 5; i++) gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};
// A one-byte string of n characters takes 16 B of header plus n rounded up to 8.
const textBytes = texts.reduce((sum, text) => sum + 16 + Math.ceil(text.length / 8) * 8, 0);
const before = settle() - textBytes;
const guilds = texts.map((text, i) => {
  texts[i] = '';
  return new Guild(JSON.parse(text), context);
});
const after = settle();
const per = (n: number) => (n / GUILDS).toFixed(1);
console.log(
  `${GUILDS} guilds, mode ${MODE}: ${Math.round((after - before) / GUILDS)} B per guild ` +
    `(per guild: ${per(totals.roles)} roles, ${per(totals.channels)} channels, ${per(totals.overwrites)} overwrites, ` +
    `${per(totals.emojis)} emojis, ${per(totals.members)} members)`
);

if (args.includes('--snapshot')) printSnapshot();
(globalThis as { keep?: unknown }).keep = guilds;

/** Self sizes by (class ← first retainer . edge), per guild, biggest first. */
function printSnapshot(): void {
  const file = join(tmpdir(), `athena-heap-${process.pid}.heapsnapshot`);
  v8.writeHeapSnapshot(file);
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: {
      meta: { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]] };
    };
    nodes: number[];
    edges: number[];
    strings: string[];
  };
  rmSync(file);
  const { meta } = snapshot.snapshot;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const [nodeTypes] = meta.node_types;
  const [edgeTypes] = meta.edge_types;
  const { nodes, edges, strings } = snapshot;
  const count = nodes.length / nodeFields;
  const retainer = new Int32Array(count).fill(-1);
  const via: string[] = new Array(count);
  let edge = 0;
  for (let node = 0; node < count; node++) {
    const edgeCount = nodes[node * nodeFields + 4] as number;
    for (let e = 0; e < edgeCount; e++, edge += edgeFields) {
      const type = edgeTypes[edges[edge] as number];
      if (type === 'weak' || type === 'shortcut') continue;
      const to = (edges[edge + 2] as number) / nodeFields;
      if (retainer[to] !== -1) continue;
      retainer[to] = node;
      const name = edges[edge + 1] as number;
      via[to] = type === 'element' || type === 'hidden' ? `[${type}]` : String(strings[name]);
    }
  }
  const classOf = (node: number) => {
    const type = nodeTypes[nodes[node * nodeFields] as number] as string;
    if (type.includes('string')) return 'string';
    return `${type}:${String(strings[nodes[node * nodeFields + 1] as number]).slice(0, 40)}`;
  };
  const bytes = new Map<string, number>();
  const objects = new Map<string, number>();
  for (let node = 0; node < count; node++) {
    const parent = retainer[node] as number;
    const key = `${classOf(node)} ← ${parent < 0 ? '-' : classOf(parent)}.${(via[node] ?? '').slice(0, 30)}`;
    bytes.set(key, (bytes.get(key) ?? 0) + (nodes[node * nodeFields + 3] as number));
    objects.set(key, (objects.get(key) ?? 0) + 1);
  }
  console.log('\n| B per guild | objects per guild | class ← retainer.edge |\n|---|---|---|');
  for (const [key, size] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, ROWS)) {
    console.log(`| ${Math.round(size / GUILDS)} | ${per(objects.get(key) ?? 0)} | ${key} |`);
  }
}
