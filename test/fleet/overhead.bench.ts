// Per-operation cost of the fleet primitives through Redis on 127.0.0.1: npx tsx test/fleet/overhead.bench.ts
import { Redis } from 'ioredis';
import { FleetRestLimiter, RedisIdentifyCoordinator, RedisSessionStore } from '../../src/index.js';

const redis = new Redis();
const prefix = `athena-bench:fleet:${process.pid}:`;
const limiter = new FleetRestLimiter(redis, { prefix, globalLimit: 1_000_000, globalWindowMs: 1000 });
// One request's share of the fleet limiter: acquire (route bucket + global + breaker) and the report of
// its answer (a route Discord does not limit, so the bucket never waits). Full numbers: bench/rest-fleet.ts.
const target = { routeKey: 'GET /users/:id', route: '/users/:id', majorParameter: '', bucketHash: undefined };
const ok = { status: 200, headers: undefined, rateLimit: undefined };
const take = async () => limiter.report(await limiter.acquire(target), target, ok);
for (let i = 0; i < 200; i++) await take();
let t = performance.now();
const N = 5000;
for (let i = 0; i < N; i++) await take();
const seq = (performance.now() - t) / N;
t = performance.now();
await Promise.all(Array.from({ length: N }, () => take()));
const par = (performance.now() - t) / N;
console.log(
  `limiter acquire + report: ${(seq * 1000).toFixed(0)} µs sequential round trip, ${(par * 1000).toFixed(0)} µs/request with ${N} concurrent`
);
const store = new RedisSessionStore(redis, { botID: '1', prefix });
t = performance.now();
for (let i = 0; i < 2000; i++) await store.set(i % 64, { sessionID: 'x', seq: i, resumeURL: 'wss://a/' });
console.log(`session store set: ${(((performance.now() - t) / 2000) * 1000).toFixed(0)} µs`);
const coord = new RedisIdentifyCoordinator(redis, {
  prefix,
  maxConcurrency: 16,
  window: 1,
  marginMs: 0,
  gatherMs: 0,
  pollMs: 1,
  logger: () => {}
});
t = performance.now();
for (let i = 0; i < 2000; i++) await coord.acquire(i);
console.log(`identify coordinator acquire (free slot): ${(((performance.now() - t) / 2000) * 1000).toFixed(0)} µs`);
let cursor = '0';
do {
  const [n, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
  cursor = n;
  if (keys.length) await redis.del(...keys);
} while (cursor !== '0');
redis.disconnect();
