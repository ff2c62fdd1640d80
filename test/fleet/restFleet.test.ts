/**
 * Fleet-wide REST limits across four real processes (node --import tsx test/fleet/restFleetWorker.ts),
 * each with its own RestClient, its own Redis connection and its own FleetRestLimiter as the
 * client's `limitCoordinator`, against one simulator in this process:
 *
 * 1. All four hammer one route with a small bucket (GET /guilds/:id, scaled to 4 per 400 ms) and
 *    send enough other requests to press the global limit (scaled from 50/s to 20 per 500 ms):
 *    the simulator answers zero 429s.
 * 2. One process runs with a revoked token, so the simulator answers 401 to every request it
 *    sends: with the breaker scaled to 150 per 20 s (Athena's default is 7,500 per 10 min, 75% of
 *    Discord's 10,000), the simulator's count of 401s never passes 150, below the scaled ban
 *    threshold of 200, and every process, the three healthy ones too, gets FleetBreakerOpenError.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import type { Simulator } from '../../src/testing/index.js';
import { dropPrefix, REDIS_SKIP, redisOrNull, startSim, uniquePrefix } from './helpers.js';
import type { WorkerConfig, WorkerResult } from './restFleetWorker.js';

const WORKER = fileURLToPath(new URL('./restFleetWorker.ts', import.meta.url));
const PROCESSES = 4;

/** Start every worker, let them go at once, and collect their results. */
async function runFleet(configs: WorkerConfig[], timeoutMs: number): Promise<WorkerResult[]> {
  const children: ChildProcess[] = [];
  try {
    const ready: Promise<void>[] = [];
    const results: Promise<WorkerResult>[] = [];
    for (const config of configs) {
      const child = fork(WORKER, [], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, ATHENA_REST_FLEET_WORKER: JSON.stringify(config) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc']
      });
      children.push(child);
      const exited = new Promise<never>((_, reject) =>
        child.once('exit', (code) => reject(new Error(`${config.name} exited with ${code} before its result`)))
      );
      exited.catch(() => {});
      ready.push(Promise.race([new Promise<void>((resolve) => child.once('message', () => resolve())), exited]));
      results.push(
        Promise.race([
          new Promise<WorkerResult>((resolve) =>
            child.on('message', (message: { result?: WorkerResult }) => message.result && resolve(message.result))
          ),
          exited
        ])
      );
    }
    await withTimeout(Promise.all(ready), 30_000, 'the workers to start');
    for (const child of children) child.send('go');
    return await withTimeout(Promise.all(results), timeoutMs, 'the workers to finish');
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    })
  ]).finally(() => clearTimeout(timer));
}

describe('fleet REST limits: four processes, one Redis, one simulator', { timeout: 120_000 }, () => {
  let redis: Redis | null = null;
  let sim: Simulator | null = null;
  const prefixes: string[] = [];

  before(async () => {
    redis = await redisOrNull();
    if (!redis) return;
    sim = await startSim({
      rest: {
        globalLimit: { limit: 20, windowMs: 500 },
        rateLimits: { guild: { limit: 4, windowMs: 400 }, users: { limit: 10_000, windowMs: 1000 } }
      }
    });
  });
  after(async () => {
    await sim?.close();
    if (redis) {
      for (const prefix of prefixes) await dropPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  test('hammering one small bucket and the global limit: zero 429s', async (t) => {
    if (!redis || !sim) {
      console.warn(`fleet REST test skipped: ${REDIS_SKIP}`);
      t.skip(REDIS_SKIP);
      return;
    }
    const prefix = uniquePrefix('rest4');
    prefixes.push(prefix);
    const guildID = sim.world.guildIDs()[Symbol.iterator]().next().value as string;
    const HOT = 8;
    const OTHER = 24;
    const configs: WorkerConfig[] = Array.from({ length: PROCESSES }, (_, i) => ({
      name: `rest-${i}`,
      restURL: sim!.restURL,
      token: sim!.token,
      // 16 of the simulator's 20 per window, plus 300 ms for the drift from a grant in Redis to the
      // request's arrival (four processes on a shared 2-core machine).
      limiter: { prefix, globalLimit: 16, globalWindowMs: 500, globalMarginMs: 300 },
      workload: {
        kind: 'hammer',
        paths: [
          ...Array.from({ length: HOT }, () => `/guilds/${guildID}`),
          ...Array.from({ length: OTHER }, () => '/users/@me')
        ]
      }
    }));
    const results = await runFleet(configs, 90_000);
    const elapsed = Math.max(...results.map((r) => r.elapsedMs)).toFixed(0);
    const log = sim.rest.log;
    const counts = log.rateLimits();
    const hot = log.list((e) => e.route === '/guilds/:guild_id').length;
    console.log(
      `fleet REST (4 processes): ${log.size} requests (${hot} on one 4-per-400-ms bucket) in ${elapsed} ms from "go", ` +
        `429s ${JSON.stringify(counts)}; waits per process ` +
        results.map((r) => `${r.name}: bucket ${r.limiter.bucketWaits} global ${r.limiter.globalWaits}`).join(', ')
    );
    assert.equal(counts.causedByClient + counts.injected, 0, 'the simulator answered no 429 at all');
    assert.deepEqual(counts.byScope, { user: 0, global: 0, shared: 0 });
    for (const result of results) {
      assert.deepEqual(result.errors, {}, `${result.name} had no failed request`);
      assert.equal(result.ok, HOT + OTHER);
      assert.equal(result.rateLimited, 0);
      assert.equal(result.limiter.degraded, false);
      assert.equal(result.limiter.localGrants, 0, 'every grant came from Redis');
    }
    assert.equal(hot, PROCESSES * HOT);
    assert.ok(
      results.some((r) => r.limiter.bucketWaits > 0),
      'the shared route bucket made processes wait'
    );
    assert.ok(
      results.some((r) => r.limiter.globalWaits > 0),
      'the fleet global window made processes wait'
    );
    // One request per process asks Redis again when a slot frees, not every waiting one.
    const globalWaits = results.reduce((sum, r) => sum + r.limiter.globalWaits, 0);
    assert.ok(globalWaits < 2 * log.size, `${globalWaits} global waits for ${log.size} requests`);
  });

  test('one process answered 401: the whole fleet stops below the invalid-request limit', async (t) => {
    if (!redis || !sim) {
      console.warn(`fleet REST test skipped: ${REDIS_SKIP}`);
      t.skip(REDIS_SKIP);
      return;
    }
    const prefix = uniquePrefix('rest4-breaker');
    prefixes.push(prefix);
    const BREAKER = 150;
    const BAN_THRESHOLD = 200;
    // The global limit is not what this test is about: let requests flow.
    sim.rest.rateLimits.configureGlobal({ limit: 1000, windowMs: 500 });
    sim.rest.log.clear();
    const limiter = { prefix, globalLimit: 400, invalidLimit: BREAKER, invalidWindowMs: 20_000 };
    const configs: WorkerConfig[] = Array.from({ length: PROCESSES }, (_, i) => ({
      name: i === 0 ? 'rest-revoked' : `rest-${i}`,
      restURL: sim!.restURL,
      // A process still running with a revoked token: Discord answers it 401, for the fleet's IP.
      token: i === 0 ? 'revoked-token' : sim!.token,
      limiter,
      workload: { kind: 'untilRefused', paths: ['/users/@me'], loops: i === 0 ? 8 : 2, deadlineMs: 30_000 }
    }));
    const results = await runFleet(configs, 90_000);
    const unauthorized = sim.rest.log.list((e) => e.status === 401).length;
    console.log(
      `fleet REST breaker (4 processes): the simulator answered ${unauthorized} 401s (breaker ${BREAKER}, ` +
        `scaled ban threshold ${BAN_THRESHOLD}); ` +
        results.map((r) => `${r.name}: ${r.ok} ok, ${JSON.stringify(r.errors)}`).join('; ')
    );
    assert.ok(unauthorized <= BREAKER, `${unauthorized} 401s, at most the breaker's ${BREAKER}`);
    assert.ok(unauthorized < BAN_THRESHOLD);
    assert.ok(unauthorized >= BREAKER - 8, `the breaker opened at its limit, not early (${unauthorized})`);
    const [revoked, ...healthy] = results;
    assert.equal(revoked.errors['DiscordRESTError:401'], unauthorized, 'every 401 went to the revoked process');
    assert.equal(revoked.errors.FleetBreakerOpenError, 8, 'each loop of the revoked process was stopped');
    for (const result of healthy) {
      assert.ok(result.ok > 0, `${result.name} worked until the breaker opened`);
      assert.equal(result.errors['DiscordRESTError:401'] ?? 0, 0);
      assert.equal(result.errors.FleetBreakerOpenError, 2, `${result.name}: both loops got the typed breaker error`);
      assert.ok(result.limiter.fleetInvalid >= BREAKER - 8);
    }
  });
});
