/**
 * REST limiter throughput and queue overhead, Athena's RestClient against @discordjs/rest,
 * on the same simulator in the same run.   npx tsx bench/rest.ts [requests]
 *
 * - warm bucket, high limits: every request GET /users/@me on one bucket whose limit is far
 *   above what is sent, so the numbers are the client's own cost, not Discord's limits.
 * - concurrent: all requests issued at once (what a bot does when it reacts to a burst).
 * - sequential: one after another; overhead = time per request minus a raw undici request.
 * - limiter only (Athena): Bucket acquire/release without HTTP, µs per request.
 */
import { REST } from '@discordjs/rest';
import { Agent } from 'undici';
import { Bucket } from '../src/rest/Bucket.js';
import { Gate } from '../src/rest/Gate.js';
import { GlobalLimiter } from '../src/rest/GlobalLimiter.js';
import { InvalidRequestGuard } from '../src/rest/InvalidRequestGuard.js';
import { RESTMethods, RestClient } from '../src/rest/index.js';
import { startRestHarness } from '../test/testing/rest/harness.js';

const N = Number(process.argv[2] ?? 3000);
const HIGH = { limit: 10_000_000, windowMs: 1_000 };

const sim = await startRestHarness({
  guilds: 1,
  seed: 'bench',
  rateLimits: { users: HIGH },
  globalLimit: HIGH,
  maxLogEntries: 10
});
const athena = new RestClient(sim.token, { baseURL: sim.url, globalRequestsPerSecond: 10_000_000, connections: 32 });
const api = new RESTMethods(athena);
const djs = new REST({
  version: '10',
  api: sim.url.replace(/\/v10$/, ''),
  globalRequestsPerSecond: 10_000_000
}).setToken(sim.token);
const raw = new Agent({ connections: 32, keepAliveTimeout: 30_000 });
const origin = new URL(sim.url).origin;

const clients: Record<string, () => Promise<unknown>> = {
  athena: () => api.getRESTUser('@me'),
  '@discordjs/rest': () => djs.get('/users/@me'),
  'raw undici': async () => {
    const res = await raw.request({
      origin,
      path: '/api/v10/users/@me',
      method: 'GET',
      headers: { authorization: `Bot ${sim.token}` }
    });
    return res.body.json();
  }
};

async function concurrent(fn: () => Promise<unknown>, n: number): Promise<number> {
  const start = performance.now();
  await Promise.all(Array.from({ length: n }, fn));
  return n / ((performance.now() - start) / 1000);
}

async function sequential(fn: () => Promise<unknown>, n: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - start) * 1000) / n; // µs per request
}

for (const fn of Object.values(clients)) {
  for (let i = 0; i < 200; i++) await fn(); // warm buckets and sockets
}

// Rounds interleave the clients and keep each one's best, so the load of a shared machine
// falls on all of them alike.
const rows = Object.keys(clients).map((client) => ({
  client,
  concurrentRps: 0,
  sequentialUs: Number.POSITIVE_INFINITY
}));
for (let round = 0; round < 5; round++) {
  for (const row of rows) {
    const fn = clients[row.client];
    row.concurrentRps = Math.max(row.concurrentRps, await concurrent(fn, N));
    row.sequentialUs = Math.min(row.sequentialUs, await sequential(fn, Math.min(N, 1000)));
  }
}
const rawRow = rows.find((r) => r.client === 'raw undici')!;

// The limiter alone: acquire + release on a warm bucket with a high limit.
const guard = new InvalidRequestGuard(10_000, 600_000, () => {});
const gate = new Gate(new GlobalLimiter(Number.POSITIVE_INFINITY, 1000, 0), guard);
// What RestClient does with each answer: the bucket learns its headers, the guard its status.
const answer = (ticket: Awaited<ReturnType<Bucket['acquire']>>) => {
  bucket.release(ticket, state);
  guard.record(200, undefined, performance.now());
};
const bucket = new Bucket('bench', gate);
const state = { limit: 10_000_000, remaining: 10_000_000, resetAfterMs: 60_000 };
answer(await bucket.acquire());
const LIMITER_N = 200_000;
let start = performance.now();
for (let i = 0; i < LIMITER_N; i++) answer(await bucket.acquire());
const limiterSequentialUs = ((performance.now() - start) * 1000) / LIMITER_N;
start = performance.now();
await Promise.all(
  Array.from({ length: LIMITER_N }, async () => {
    answer(await bucket.acquire());
  })
);
const limiterConcurrentUs = ((performance.now() - start) * 1000) / LIMITER_N;
gate.destroy();

console.log(`REST bench: ${N} requests per round, GET /users/@me on a warm bucket with high limits`);
console.log('client            concurrent req/s   sequential µs/req   overhead vs raw undici µs/req');
for (const row of rows) {
  console.log(
    `${row.client.padEnd(18)}${row.concurrentRps.toFixed(0).padStart(16)}${row.sequentialUs.toFixed(0).padStart(20)}${(row.sequentialUs - rawRow.sequentialUs).toFixed(0).padStart(31)}`
  );
}
const a = rows.find((r) => r.client === 'athena')!;
const d = rows.find((r) => r.client === '@discordjs/rest')!;
console.log(`athena / @discordjs/rest concurrent throughput: ${(a.concurrentRps / d.concurrentRps).toFixed(2)}x`);
console.log(`athena / @discordjs/rest sequential time per request: ${(a.sequentialUs / d.sequentialUs).toFixed(2)}x`);
console.log(
  `athena limiter alone: ${limiterSequentialUs.toFixed(2)} µs/request sequential, ${limiterConcurrentUs.toFixed(2)} µs/request with ${LIMITER_N} queued`
);
console.log(`simulator saw ${sim.rest.log.size} requests, 429s: ${JSON.stringify(sim.rest.log.rateLimits())}`);

await athena.destroy();
await raw.close();
await sim.close();
process.exit(0);
