/**
 * Fleet numbers: identify throughput fleet-wide and the resume share after a rolling restart.
 *
 *   npx tsx bench/fleet.ts [--shards 32] [--concurrency 4] [--window 5000] [--margin 100]
 *                          [--guilds 1600] [--clusters 2] [--queue lock|coordinator]
 *
 * Two ClusterManagers ("hosts") run shards 0..n/2-1 and n/2..n-1 of the simulator's bot, each with
 * `--clusters` processes of examples/reaction-roles/bot.ts, and share one Redis identify schedule
 * (`--queue lock`: RedisIdentifyQueue, the bucket lock; `coordinator`: RedisIdentifyCoordinator,
 * which adds the ascending order and the daily budget). The simulator enforces one identify per
 * bucket per `--window` ms (Discord: 5000); the queues hold a slot `--margin` ms longer.
 *
 * 1. Identify throughput: from the simulator's identify log, identifies per window achieved vs
 *    the ideal `max_concurrency` per window, and first-to-last time vs the ideal
 *    (ceil(shards / concurrency) - 1) windows. Refused identifies are counted.
 * 2. Resume share: each manager in turn restarts its clusters one at a time
 *    (`rollingRestart()`: stop with resumable sessions, new process, wait for ready); resumed
 *    shards / all shards from the simulator's resume log, and identifies made meanwhile.
 *
 * Needs Redis on 127.0.0.1:6379 (keys under a unique prefix, deleted at the end).
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { ClusterManager, type IdentifyQueue, RedisIdentifyCoordinator, RedisIdentifyQueue } from '../src/index.js';
import { Simulator } from '../src/testing/index.js';

const args = process.argv.slice(2);
function arg(name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} needs a non-negative integer`);
  return value;
}
const SHARDS = arg('shards', 32);
const CONCURRENCY = arg('concurrency', 4);
const WINDOW = arg('window', 5000);
const MARGIN = arg('margin', 100);
const GUILDS = arg('guilds', 1600);
const CLUSTERS = arg('clusters', 2);
const queueIndex = args.indexOf('--queue');
const QUEUE = queueIndex >= 0 ? args[queueIndex + 1] : 'lock';
if (QUEUE !== 'lock' && QUEUE !== 'coordinator') throw new Error('--queue is lock or coordinator');
const BOT = fileURLToPath(new URL('../examples/reaction-roles/bot.ts', import.meta.url));

const redis = new Redis(6379, '127.0.0.1', { maxRetriesPerRequest: 2 });
const prefix = `athena-bench:fleet:${randomBytes(4).toString('hex')}:`;
const sim = await Simulator.start({
  guilds: GUILDS,
  shards: SHARDS,
  seed: 'bench-fleet',
  maxConcurrency: CONCURRENCY,
  identifyIntervalMs: WINDOW,
  heartbeatInterval: 10_000,
  rest: { globalLimit: { limit: 5000, windowMs: 1000 } }
});

function hostQueue(): IdentifyQueue {
  // Each host has its own Redis connection, as separate machines would.
  const connection = redis.duplicate();
  connection.on('error', () => {});
  connections.push(connection);
  if (QUEUE === 'lock')
    return new RedisIdentifyQueue(connection, { maxConcurrency: CONCURRENCY, window: WINDOW + MARGIN, prefix });
  return new RedisIdentifyCoordinator(connection, {
    maxConcurrency: CONCURRENCY,
    window: WINDOW,
    marginMs: MARGIN,
    prefix,
    // One read for the bench: the simulator, like Discord, allows GET /gateway/bot twice per 5 s,
    // and the managers read it too (a coordinator retries a 429 on its own, noisily).
    sessionStartLimit: () =>
      (budget ??= readSessionStartLimit().catch((error: unknown) => {
        budget = undefined; // read again on the coordinator's next try
        throw error;
      }))
  });
}
const connections: Redis[] = [];
let budget: Promise<{ remaining: number; reset_after: number }> | undefined;
async function readSessionStartLimit(): Promise<{ remaining: number; reset_after: number }> {
  const response = await fetch(`${sim.restURL}/gateway/bot`, { headers: { Authorization: `Bot ${sim.token}` } });
  if (!response.ok) throw new Error(`GET /gateway/bot answered ${response.status}`);
  return ((await response.json()) as { session_start_limit: { remaining: number; reset_after: number } })
    .session_start_limit;
}

function host(range: [number, number]): ClusterManager {
  return new ClusterManager({
    file: BOT,
    token: sim.token,
    rest: { baseURL: sim.restURL },
    clusters: CLUSTERS,
    totalShards: SHARDS,
    shardRange: range,
    maxConcurrency: CONCURRENCY,
    identifyWindow: WINDOW + MARGIN,
    identifyQueue: hostQueue(),
    silent: true,
    readyTimeout: 300_000,
    env: { ATHENA_TOKEN: sim.token, ATHENA_REST_BASE_URL: sim.restURL, ATHENA_GLOBAL_RPS: '5000' }
  });
}

const half = SHARDS / 2;
const hosts = [host([0, half - 1]), host([half, SHARDS - 1])];
const ms = (n: number) => `${(n / 1000).toFixed(2)} s`;
try {
  // ── 1. identify throughput ──────────────────────────────────────────────────────────────────
  const started = Date.now();
  await Promise.all(hosts.map((h) => h.spawn()));
  await Promise.all(hosts.map((h) => h.waitForReady()));
  const allReady = Date.now() - started;
  const accepted = sim.stats.identifies.filter((r) => r.accepted).sort((a, b) => a.at - b.at);
  const refused = sim.stats.identifies.length - accepted.length;
  const first = accepted[0].at;
  const last = accepted[accepted.length - 1].at;
  const perWindow = new Map<number, number>();
  for (const r of accepted) {
    const w = Math.floor((r.at - first) / WINDOW);
    perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
  }
  const rounds = Math.ceil(SHARDS / CONCURRENCY);
  const idealSpan = (rounds - 1) * WINDOW;
  // Identifies per window: the count over the windows the run spanned (n identifies a window
  // apart span n - 1 windows and occupy n of them); ideal: max_concurrency per window.
  const achievedRate = accepted.length / ((last - first) / WINDOW + 1);
  const idealRate = SHARDS / (idealSpan / WINDOW + 1);
  console.log(
    `queue ${QUEUE}; ${SHARDS} shards on 2 managers x ${CLUSTERS} clusters; max_concurrency ${CONCURRENCY}; window ${WINDOW} ms (+${MARGIN} ms margin); ${GUILDS} guilds`
  );
  const refusals = sim.stats.identifies
    .filter((r) => !r.accepted)
    .map((r) => `shard ${r.shard[0]} (bucket ${r.bucket}): ${r.reason}`);
  console.log(
    `identifies accepted ${accepted.length}, refused by the simulator ${refused}${refused > 0 ? ` [${refusals.join('; ')}]` : ''}`
  );
  console.log(
    `identifies per ${WINDOW} ms window (from the first): ${[...perWindow.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, n]) => n)
      .join(' ')} (ideal ${CONCURRENCY} each)`
  );
  console.log(
    `first to last identify ${ms(last - first)} (ideal ${ms(idealSpan)}): ${achievedRate.toFixed(2)} identifies per window over the run vs ${idealRate.toFixed(2)} ideal (${((achievedRate / idealRate) * 100).toFixed(1)} %)`
  );
  console.log(`all clusters ready after ${ms(allReady)}`);

  // ── 2. rolling restart, one manager at a time ───────────────────────────────────────────────
  const identifiesBefore = sim.stats.identifies.length;
  const resumesBefore = sim.stats.resumes.length;
  const restartStarted = Date.now();
  for (const h of hosts) await h.rollingRestart();
  const restartTook = Date.now() - restartStarted;
  const resumes = sim.stats.resumes.slice(resumesBefore);
  const resumedShards = new Set<number>();
  for (const r of resumes) {
    if (!r.ok) continue;
    const session = sim.stats.session(r.sessionID);
    if (session) resumedShards.add(session.shard[0]);
  }
  const newIdentifies = sim.stats.identifies.slice(identifiesBefore);
  const replayed = resumes.reduce((n, r) => n + r.replayed, 0);
  console.log(
    `rolling restart of both managers (${hosts.length * CLUSTERS} clusters, one at a time) in ${ms(restartTook)}: ` +
      `${resumedShards.size}/${SHARDS} shards resumed (${((resumedShards.size / SHARDS) * 100).toFixed(1)} %), ` +
      `${resumes.filter((r) => !r.ok).length} resumes refused, ${newIdentifies.length} identifies, ${replayed} dispatches replayed`
  );
} finally {
  await Promise.all(hosts.map((h) => h.shutdown()));
  await sim.close();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  for (const connection of connections) connection.disconnect();
  redis.disconnect();
}
