/**
 * The structure work of loading guilds and of the reaction hot path, without sockets, zlib or
 * JSON.parse (those are the same for every version of the cache): CPU time to build every guild of a
 * recorded session from its parsed GUILD_CREATE, and to upsert the member of each recorded
 * MESSAGE_REACTION_ADD (what the handler does before the user's listener).
 *
 *   npx tsx bench/members-load.ts [--guilds 2000] [--reactions 50000] [--rounds 7]
 *
 * Each round parses the payloads afresh (untimed), builds a new context and times the two phases
 * with process.cpuUsage; the table gives the median and the spread over rounds after the first.
 */

import { upsertMember } from '../src/gateway/dispatch/members.js';
import { createStructureContext, Guild } from '../src/structures/index.js';
import type { MemberPayload } from '../src/structures/Member.js';
import { recordSession } from './replay/record.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}
const GUILDS = arg('guilds', 2000);
const REACTIONS = arg('reactions', 50000);
const ROUNDS = arg('rounds', 7);

const recording = await recordSession({ guilds: GUILDS, reactions: REACTIONS, seed: 'bench-dispatch' });
const cpuMs = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const load: number[] = [];
const react: number[] = [];
let members = 0;
for (let round = 0; round < ROUNDS; round++) {
  const creates = recording.session.slice(1).map((text) => JSON.parse(text).d);
  const reactions = recording.reactions.map((text) => JSON.parse(text).d);
  (globalThis as { gc?: () => void }).gc?.();
  const context = createStructureContext({ messageLimit: 0 });
  const guilds = new Map<string, Guild>();
  let start = process.cpuUsage();
  for (const d of creates) guilds.set(d.id, new Guild(d, context));
  load.push(cpuMs(start));
  members = [...guilds.values()].reduce((n, g) => n + g.members.size, 0);
  start = process.cpuUsage();
  let sink = 0;
  for (const d of reactions) {
    const guild = guilds.get(d.guild_id);
    if (guild && d.member) sink += upsertMember(guild, d.member as MemberPayload & { user: { id: string } }).flags;
  }
  react.push(cpuMs(start));
  if (sink < 0) console.log(sink);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const warm = (xs: number[]) => xs.slice(1);
console.log(
  `${recording.guilds} guilds (${members} members), ${recording.reactions.length} reactions, ${ROUNDS} rounds`
);
console.log(
  `load: first ${load[0]?.toFixed(0)} ms, then median ${median(warm(load)).toFixed(0)} ms ` +
    `(${Math.min(...warm(load)).toFixed(0)}–${Math.max(...warm(load)).toFixed(0)})`
);
console.log(
  `reaction upserts: first ${react[0]?.toFixed(0)} ms, then median ${median(warm(react)).toFixed(0)} ms ` +
    `(${Math.min(...warm(react)).toFixed(0)}–${Math.max(...warm(react)).toFixed(0)}), ` +
    `${((median(warm(react)) * 1000) / recording.reactions.length).toFixed(2)} µs each`
);
