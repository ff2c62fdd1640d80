/**
 * Loading guilds cold: the part of bench/dispatch's "all guilds loaded" that is Athena's own. A
 * recorded session (READY and 2,000 GUILD_CREATEs from the simulator) is fed through the Client's
 * dispatch (the built package, bench/built.ts) in a fresh process per run, so the code runs as it
 * does on a real connect: not yet optimised. Sockets and inflate are left out (the floor pays them
 * too); JSON.parse is timed beside the handlers, as the floor's share.
 *
 *   npx tsx bench/guild-load.ts [--guilds 2000] [--runs 7] [--passes 2]
 *   npx tsx bench/guild-load.ts --runs 1 --cpu-prof --cpu-prof-dir=DIR   # a profile of one cold run
 *   npx tsx bench/guild-load.ts --node-flags="--v8-pool-size=1"          # V8/Node flags for the child
 *
 * Each run is a child process that parses and dispatches the session `passes` times into a new
 * Client each time (pass 1 cold, later passes warm). The table gives medians over runs.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_ENTRY, ensureBuilt } from './built.js';

interface PassResult {
  parseMs: number;
  handlerMs: number;
  guilds: number;
}

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const childFile = process.argv.find((a) => a.startsWith('--child='))?.slice('--child='.length);
if (childFile) await runChild(childFile, Number(arg('passes', '2')));
else await runParent();

async function runParent(): Promise<void> {
  ensureBuilt();
  const { recordSession } = await import('./replay/record.js');
  const guilds = Number(arg('guilds', '2000'));
  const runs = Number(arg('runs', '7'));
  const passes = Number(arg('passes', '2'));
  const recording = await recordSession({ guilds, reactions: 0, seed: 'bench-dispatch' });
  const file = join(tmpdir(), `athena-guild-load-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(recording.session));
  const profiling = process.argv.filter((a) => a.startsWith('--cpu-prof'));
  // Node/V8 flags for the child only (diagnosis: e.g. --node-flags="--v8-pool-size=1 --trace-opt").
  const nodeFlags = (process.argv.find((a) => a.startsWith('--node-flags='))?.slice('--node-flags='.length) ?? '')
    .split(' ')
    .filter((flag) => flag.length > 0);
  const results: PassResult[][] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const child = fork(fileURLToPath(import.meta.url), [`--child=${file}`, '--passes', String(passes)], {
        execArgv: ['--import', 'tsx', ...profiling, ...nodeFlags],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc']
      });
      const [message] = (await once(child, 'message')) as [PassResult[]];
      await once(child, 'exit');
      results.push(message);
      console.log(
        `run ${run + 1}: ${message.map((p, i) => `pass ${i + 1} parse ${p.parseMs.toFixed(0)} ms, handlers ${p.handlerMs.toFixed(0)} ms`).join('; ')}`
      );
    }
  } finally {
    rmSync(file, { force: true });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  console.log(`\n${guilds} GUILD_CREATEs through Client dispatch, median of ${runs} fresh processes\n`);
  console.log('| pass | JSON.parse (ms) | handlers (ms) | handlers per guild (µs) |');
  console.log('|---|---|---|---|');
  for (let pass = 0; pass < passes; pass++) {
    const parse = median(results.map((r) => r[pass]!.parseMs));
    const handlers = median(results.map((r) => r[pass]!.handlerMs));
    const label = pass === 0 ? '1 (cold)' : `${pass + 1} (warm)`;
    console.log(
      `| ${label} | ${parse.toFixed(0)} | ${handlers.toFixed(0)} | ${((handlers * 1000) / guilds).toFixed(0)} |`
    );
  }
}

async function runChild(file: string, passes: number): Promise<void> {
  const { Client } = (await import(BUILT_ENTRY)) as typeof import('../src/index.js');
  const session = JSON.parse(readFileSync(file, 'utf8')) as string[];
  const results: PassResult[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const client = new Client('bench', { intents: ['Guilds', 'GuildMessageReactions'], messageLimit: 0 });
    // The Client's own entry point for a shard's dispatches (what ShardManager's sink calls).
    const dispatch = (client as unknown as { handleDispatch(shard: unknown, t: string, d: unknown): void })
      .handleDispatch;
    const shard = { id: 0, guildsReceived: false };
    let parseMs = 0;
    let handlerMs = 0;
    for (const text of session) {
      const t0 = performance.now();
      const packet = JSON.parse(text) as { t: string; d: unknown };
      const t1 = performance.now();
      dispatch.call(client, shard, packet.t, packet.d);
      handlerMs += performance.now() - t1;
      parseMs += t1 - t0;
    }
    results.push({ parseMs, handlerMs, guilds: client.guilds.size });
  }
  process.send?.(results);
  process.disconnect?.();
}
