/**
 * `npm start`: the fleet on one machine. Starts the simulator (20,000 guilds by default), a
 * ClusterManager running 4 clusters of examples/reaction-roles/bot.ts in the lean configuration
 * (shared store: SQLite in a temp file, or Redis when REDIS_URL is set), drives reactions, and
 * shows shards ready, per-cluster heap, hit rates and role toggles per second. Fleet stats are
 * served on 127.0.0.1 (/metrics, /stats).
 *
 * With DISCORD_TOKEN set the same bot connects to Discord instead (no simulator, no traffic).
 *
 *   tsx src/cluster/demo/start.ts [--guilds 20000] [--clusters 4] [--shards N] [--rate 500]
 *                                 [--duration S] [--metrics-port 9464] [--identify-window 250]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Simulator } from '../../testing/index.js';
import { ClusterManager } from '../ClusterManager.js';
import { FleetMetricsServer } from '../FleetMetricsServer.js';
import { renderFrame, TerminalView } from './view.js';

const { values } = parseArgs({
  options: {
    guilds: { type: 'string', default: '20000' },
    clusters: { type: 'string', default: '4' },
    shards: { type: 'string' },
    rate: { type: 'string', default: '500' },
    duration: { type: 'string' },
    'metrics-port': { type: 'string', default: '0' },
    'identify-window': { type: 'string', default: '250' },
    'max-concurrency': { type: 'string', default: '4' },
    help: { type: 'boolean', default: false }
  }
});

if (values.help) {
  console.log(
    'usage: npm start -- [--guilds 20000] [--clusters 4] [--shards N] [--rate 500] [--duration S] [--metrics-port P]'
  );
  process.exit(0);
}

function int(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) {
    console.error(`--${name} must be an integer >= ${min} (got ${text})`);
    process.exit(2);
  }
  return n;
}

const guilds = int('guilds', values.guilds, 1) ?? 20_000;
const clusters = int('clusters', values.clusters, 1) ?? 4;
const rate = int('rate', values.rate, 1) ?? 500;
const duration = int('duration', values.duration, 1);
const metricsPort = int('metrics-port', values['metrics-port'], 0) ?? 0;
const identifyWindow = int('identify-window', values['identify-window'], 1) ?? 250;
const maxConcurrency = int('max-concurrency', values['max-concurrency'], 1) ?? 4;
const discordToken = process.env.DISCORD_TOKEN;
const botFile = fileURLToPath(new URL('../../../examples/reaction-roles/bot.ts', import.meta.url));

const GLOBAL_RPS = 1000;
const view = new TerminalView();
const started = Date.now();
let sim: Simulator | null = null;
let tempDir: string | null = null;
const env: NodeJS.ProcessEnv = { ATHENA_LEAN: '1', ATHENA_STORE_PREFIX: `athena-demo-${process.pid}:` };

if (!discordToken) {
  view.log(`starting the simulator: ${guilds} guilds…`);
  sim = await Simulator.start({
    guilds,
    seed: 'npm-start',
    shards: int('shards', values.shards, 1),
    maxConcurrency,
    // The server enforces a little less than the manager paces: socket jitter is not a violation.
    identifyIntervalMs: Math.max(0, identifyWindow - 50),
    // A bot this size has a raised global REST limit; the clusters share it (ATHENA_GLOBAL_RPS).
    rest: { globalLimit: { limit: GLOBAL_RPS, windowMs: 1000 } }
  });
  env.ATHENA_GLOBAL_RPS = String(GLOBAL_RPS);
  env.ATHENA_TOKEN = sim.token;
  env.ATHENA_REST_BASE_URL = sim.restURL;
}
if (!process.env.REDIS_URL) {
  tempDir = mkdtempSync(join(tmpdir(), 'athena-fleet-'));
  env.ATHENA_SQLITE_PATH = join(tempDir, 'store.sqlite');
}
const storeName = process.env.REDIS_URL ? `Redis ${process.env.REDIS_URL}` : `SQLite ${env.ATHENA_SQLITE_PATH}`;

const manager = new ClusterManager({
  file: botFile,
  clusters,
  token: discordToken ?? sim?.token,
  totalShards: sim ? int('shards', values.shards, 1) : 'auto',
  maxConcurrency: sim ? maxConcurrency : undefined,
  identifyWindow: sim ? identifyWindow : 5000,
  rest: sim ? { baseURL: sim.restURL } : undefined,
  env,
  silent: true
});
manager.on('output', (id, line) => view.log(`[cluster ${id}] ${line}`));
manager.on('respawn', (id, delay) => view.log(`cluster ${id} exited; respawning in ${delay} ms`));
await manager.spawn();
const metrics = new FleetMetricsServer(manager, { port: metricsPort });
const port = await metrics.listen();
view.log(
  `${manager.totalShards} shards in ${manager.clusters.size} clusters · store ${storeName} · ` +
    `metrics http://127.0.0.1:${port}/metrics · stats http://127.0.0.1:${port}/stats`
);

let trafficStarted = false;
manager.once('allReady', () => {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  view.log(`all ${manager.totalShards} shards ready after ${seconds} s`);
  if (!sim) return;
  trafficStarted = true;
  view.log(`driving ${rate} reactions/s`);
  void sim.traffic.run({ events: Number.MAX_SAFE_INTEGER, rate, mix: { reaction: 1 } });
});

const lastToggles = new Map<number, number>();
let lastFrameAt = Date.now();
let stopping = false;

async function frame(force = false): Promise<void> {
  const stats = await manager.stats(2000);
  const now = Date.now();
  const seconds = Math.max(0.001, (now - lastFrameAt) / 1000);
  lastFrameAt = now;
  const perSecond = new Map<number, number>();
  let total = 0;
  for (const s of stats) {
    const toggles = (s.counters['toggles.add'] ?? 0) + (s.counters['toggles.remove'] ?? 0);
    total += toggles;
    const previous = lastToggles.get(s.clusterID) ?? toggles;
    perSecond.set(s.clusterID, Math.max(0, toggles - previous) / seconds);
    lastToggles.set(s.clusterID, toggles);
  }
  const footer = [`store ${storeName}`];
  if (sim) footer.push(`traffic: ${trafficStarted ? `${rate} reactions/s` : 'waits for every shard'}`);
  if (duration) footer.push(`exits after ${duration} s`);
  view.draw(
    renderFrame({
      title: sim ? `athena fleet on the simulator (${guilds} guilds)` : 'athena fleet on Discord',
      elapsedSeconds: (now - started) / 1000,
      clusters: manager.info(),
      stats,
      togglesPerSecond: perSecond,
      totalToggles: total,
      footer
    }),
    force
  );
}

const ticker = setInterval(() => {
  if (!stopping) void frame().catch((error: Error) => view.log(`stats failed: ${error.message}`));
}, 1000);

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  sim?.traffic.stop();
  await frame(true).catch(() => undefined);
  await manager.shutdown();
  await metrics.close();
  await sim?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  process.exit(code);
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));
if (duration) setTimeout(() => void stop(0), duration * 1000);
