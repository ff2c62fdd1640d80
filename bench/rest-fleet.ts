/**
 * What sharing REST limits through Redis costs per request: the same RestClient, local limiters
 * only vs with a FleetRestLimiter (Redis on 127.0.0.1) as its limit coordinator, against the
 * simulator on a warm bucket with high limits (so the numbers are the limiters' cost, not
 * Discord's limits).   npx tsx bench/rest-fleet.ts [requests]
 *
 * - sequential: one request after another, µs per request (the coordinator adds its round trips:
 *   acquire before the request, report after it, pipelined on one connection);
 * - concurrent: all requests at once, requests per second;
 * - coordinator alone: acquire + report without HTTP.
 * Rounds interleave the two clients and keep each one's best, so a shared machine's load falls on
 * both alike.
 */
import { Redis } from 'ioredis';
import { FleetRestLimiter } from '../src/fleet/FleetRestLimiter.js';
import { RestClient } from '../src/rest/index.js';
import { startRestHarness } from '../test/testing/rest/harness.js';

const N = Number(process.argv[2] ?? 2000);
const HIGH = { limit: 10_000_000, windowMs: 1_000 };
const sim = await startRestHarness({
  guilds: 1,
  seed: 'bench',
  rateLimits: { users: HIGH },
  globalLimit: HIGH,
  maxLogEntries: 10
});
const redis = new Redis({ host: '127.0.0.1', port: 6379 });
const prefix = `athena-bench:rest-fleet:${process.pid}:`;
const limiter = new FleetRestLimiter(redis, { prefix, globalLimit: 10_000_000, globalWindowMs: 1000 });
const options = { baseURL: sim.url, globalRequestsPerSecond: 10_000_000, connections: 32 };
const clients = {
  'local limiters only': new RestClient(sim.token, options),
  'with Redis coordinator': new RestClient(sim.token, { ...options, limitCoordinator: limiter })
};

async function concurrent(rest: RestClient, n: number): Promise<number> {
  const start = performance.now();
  await Promise.all(Array.from({ length: n }, () => rest.request('GET', '/users/@me')));
  return n / ((performance.now() - start) / 1000);
}

async function sequential(rest: RestClient, n: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await rest.request('GET', '/users/@me');
  return ((performance.now() - start) * 1000) / n;
}

for (const rest of Object.values(clients)) for (let i = 0; i < 200; i++) await rest.request('GET', '/users/@me');

const rows = Object.entries(clients).map(([name, rest]) => ({
  name,
  rest,
  concurrentRps: 0,
  sequentialUs: Number.POSITIVE_INFINITY
}));
for (let round = 0; round < 5; round++) {
  for (const row of rows) {
    row.concurrentRps = Math.max(row.concurrentRps, await concurrent(row.rest, N));
    row.sequentialUs = Math.min(row.sequentialUs, await sequential(row.rest, Math.min(N, 1000)));
  }
}

// The coordinator alone: what one request asks of Redis, without HTTP.
const target = { routeKey: 'GET /users/@me', route: '/users/@me', majorParameter: '', bucketHash: undefined };
const ok = {
  status: 200,
  headers: { hash: 'bench', limit: 10_000_000, remaining: 9_000_000, resetAfterMs: 1000 },
  rateLimit: undefined
};
const once = async () => limiter.report(await limiter.acquire(target), target, ok);
let aloneSequentialUs = Number.POSITIVE_INFINITY;
let aloneConcurrentUs = Number.POSITIVE_INFINITY;
for (let round = 0; round < 3; round++) {
  let start = performance.now();
  for (let i = 0; i < 2000; i++) await once();
  aloneSequentialUs = Math.min(aloneSequentialUs, ((performance.now() - start) * 1000) / 2000);
  start = performance.now();
  await Promise.all(Array.from({ length: 5000 }, once));
  aloneConcurrentUs = Math.min(aloneConcurrentUs, ((performance.now() - start) * 1000) / 5000);
}

const [local, fleet] = rows;
console.log(`REST fleet bench: ${N} requests per round, GET /users/@me on a warm bucket with high limits`);
console.log('client                    concurrent req/s   sequential µs/req');
for (const row of rows) {
  console.log(
    `${row.name.padEnd(26)}${row.concurrentRps.toFixed(0).padStart(16)}${row.sequentialUs.toFixed(0).padStart(20)}`
  );
}
console.log(
  `Redis coordinator overhead: +${(fleet.sequentialUs - local.sequentialUs).toFixed(0)} µs per sequential request, ` +
    `concurrent throughput x${(fleet.concurrentRps / local.concurrentRps).toFixed(2)}`
);
console.log(
  `coordinator alone (acquire + report, no HTTP): ${aloneSequentialUs.toFixed(0)} µs sequential, ` +
    `${aloneConcurrentUs.toFixed(1)} µs/request with 5,000 concurrent`
);
console.log(`limiter stats: ${JSON.stringify(limiter.stats)}`);
console.log(`simulator saw ${sim.rest.log.size} requests, 429s: ${JSON.stringify(sim.rest.log.rateLimits())}`);

for (const rest of Object.values(clients)) await rest.destroy();
let cursor = '0';
do {
  const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
  cursor = next;
  if (keys.length > 0) await redis.del(...keys);
} while (cursor !== '0');
redis.disconnect();
await sim.close();
