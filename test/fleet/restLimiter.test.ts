/**
 * FleetRestLimiter as the RestClient's limit coordinator, inside one process (the four-process run
 * is test/fleet/restFleet.test.ts): the option wiring, route buckets shared between clients, a
 * global 429 pausing every client, and what happens when Redis fails or stops answering (local
 * share, one warning per outage, stats and events, back to Redis when it answers).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import {
  attachFleetLimiter,
  Client,
  type FleetRedisClient,
  FleetRestLimiter,
  type FleetRestLimiterOptions,
  InvalidOptionError,
  RestClient
} from '../../src/index.js';
import type { Simulator } from '../../src/testing/index.js';
import { dropPrefix, eventually, REDIS_SKIP, redisOrNull, startSim, uniquePrefix } from './helpers.js';

/** A Redis client that can be made to fail (connection refused) or to hang (no answer) on demand. */
class FlakyRedis implements FleetRedisClient {
  mode: 'up' | 'down' | 'hang' = 'up';
  private readonly inner: FleetRedisClient;
  constructor(redis: Redis) {
    this.inner = redis as unknown as FleetRedisClient;
  }
  private call<T>(run: () => Promise<T>): Promise<T> {
    if (this.mode === 'down') return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    if (this.mode === 'hang') return new Promise<T>(() => {});
    return run();
  }
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]) {
    return this.call(() => this.inner.evalsha(sha, numKeys, ...args));
  }
  eval(script: string, numKeys: number, ...args: (string | number)[]) {
    return this.call(() => this.inner.eval(script, numKeys, ...args));
  }
  get(key: string) {
    return this.call(() => this.inner.get(key));
  }
  set(key: string, value: string, px: 'PX', ms: number) {
    return this.call(() => this.inner.set(key, value, px, ms));
  }
  del(...keys: string[]) {
    return this.call(() => this.inner.del(...keys));
  }
  ping() {
    return this.call(() => this.inner.ping());
  }
}

describe('FleetRestLimiter as the RestClient limit coordinator', { timeout: 60_000 }, () => {
  let redis: Redis | null = null;
  let sim: Simulator | null = null;
  const prefixes: string[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];

  before(async () => {
    redis = await redisOrNull();
    if (!redis) return;
    sim = await startSim({
      rest: {
        globalLimit: { limit: 20, windowMs: 500 },
        rateLimits: { guild: { limit: 3, windowMs: 300 }, users: { limit: 10_000, windowMs: 1000 } }
      }
    });
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await sim?.close();
    if (redis) {
      for (const prefix of prefixes) await dropPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  function skipWithoutRedis(t: { skip(message: string): void }): boolean {
    if (redis && sim) return false;
    console.warn(`fleet REST test skipped: ${REDIS_SKIP}`);
    t.skip(REDIS_SKIP);
    return true;
  }

  function client(limiter: FleetRestLimiter): RestClient {
    const rest = new RestClient(sim!.token, { baseURL: sim!.restURL, retries: 0, limitCoordinator: limiter });
    cleanups.push(() => rest.destroy());
    return rest;
  }

  function limiterOn(connection: FleetRedisClient, options: FleetRestLimiterOptions = {}) {
    const prefix = uniquePrefix('rest');
    prefixes.push(prefix);
    const warnings: string[] = [];
    const limiter = new FleetRestLimiter(connection, {
      prefix,
      globalLimit: 16,
      globalWindowMs: 500,
      globalMarginMs: 200,
      logger: (m) => warnings.push(m),
      ...options
    });
    return { limiter, warnings, prefix };
  }

  test('options: a coordinator must have acquire and report; limiter options are checked', (t) => {
    if (skipWithoutRedis(t)) return;
    assert.throws(() => new RestClient('x', { limitCoordinator: {} as never }), InvalidOptionError);
    assert.throws(() => new FleetRestLimiter(redis as never, { fallbackShare: 2 }), InvalidOptionError);
    assert.throws(() => new FleetRestLimiter(redis as never, { commandTimeoutMs: 0 }), InvalidOptionError);
    assert.throws(() => new FleetRestLimiter({} as never), InvalidOptionError);
    const { limiter } = limiterOn(redis as never);
    const rest = new RestClient('x', { baseURL: 'http://127.0.0.1:1/api/v10' });
    const detach = attachFleetLimiter(rest, limiter);
    assert.equal(rest.limitCoordinator, limiter);
    detach();
    assert.equal(rest.limitCoordinator, undefined);
    void rest.destroy();
  });

  test('Client passes rest.limitCoordinator through to its RestClient', async (t) => {
    if (skipWithoutRedis(t)) return;
    const { limiter } = limiterOn(redis as never);
    const bot = new Client(sim!.token, { rest: { baseURL: sim!.restURL, limitCoordinator: limiter } });
    assert.equal(bot.rest.limitCoordinator, limiter);
    await bot.rest.request('GET', '/users/@me');
    assert.equal(limiter.stats.granted, 1);
    await bot.destroy();
  });

  test('four clients share one route bucket through Redis: zero 429s', async (t) => {
    if (skipWithoutRedis(t)) return;
    sim!.rest.log.clear();
    const prefix = uniquePrefix('rest');
    prefixes.push(prefix);
    const limiters = Array.from({ length: 4 }, () => {
      const connection = redis!.duplicate();
      connection.on('error', () => {});
      cleanups.push(() => connection.disconnect());
      return new FleetRestLimiter(connection, { prefix, globalLimit: 16, globalWindowMs: 500, globalMarginMs: 200 });
    });
    const guildID = sim!.world.guildIDs()[Symbol.iterator]().next().value as string;
    const clients = limiters.map((limiter) => client(limiter));
    await Promise.all(
      clients.map((rest) => Promise.all(Array.from({ length: 6 }, () => rest.request('GET', `/guilds/${guildID}`))))
    );
    assert.deepEqual(sim!.rest.log.rateLimits().byScope, { user: 0, global: 0, shared: 0 });
    assert.ok(
      limiters.some((l) => l.stats.bucketWaits > 0),
      'the fleet bucket (3 per 300 ms) made clients wait'
    );
    assert.equal(
      limiters.reduce((sum, l) => sum + l.stats.granted, 0),
      24
    );
  });

  test('a global 429 seen by one client pauses every client', async (t) => {
    if (skipWithoutRedis(t)) return;
    const { limiter: first, prefix } = limiterOn(redis as never);
    const second = new FleetRestLimiter(redis as never, { prefix, globalLimit: 16, globalWindowMs: 500 });
    const [a, b] = [client(first), client(second)];
    await a.request('GET', '/users/@me');
    sim!.rest.log.clear();
    sim!.rest.faults.rateLimitStorm({ scope: 'global', requests: 1, retryAfterMs: 500 });
    const retried = a.request('GET', '/users/@me'); // 429 global, retried after the pause
    await eventually(() => sim!.rest.log.rateLimits().byScope.global === 1, 2000, 'the global 429');
    await new Promise((resolve) => setTimeout(resolve, 20)); // its report reaches Redis
    const started = performance.now();
    await b.request('GET', '/users/@me');
    const waited = performance.now() - started;
    await retried;
    assert.ok(second.stats.globalWaits > 0, 'the other client waited for the pause');
    assert.ok(waited >= 300, `the other client waited out the pause (${waited.toFixed(0)} ms)`);
  });

  test('Redis down: a local share of each limit, one warning per outage, back to Redis when it answers', async (t) => {
    if (skipWithoutRedis(t)) return;
    const flaky = new FlakyRedis(redis!);
    const { limiter, warnings } = limiterOn(flaky, {
      globalLimit: 20,
      globalMarginMs: 0,
      fallbackShare: 0.25,
      retryIntervalMs: 200
    });
    const events: string[] = [];
    limiter.on('degraded', () => events.push('degraded'));
    limiter.on('recovered', () => events.push('recovered'));
    const rest = client(limiter);
    await rest.request('GET', '/users/@me');
    assert.equal(limiter.stats.degraded, false);

    flaky.mode = 'down';
    sim!.rest.log.clear();
    const started = performance.now();
    await Promise.all(Array.from({ length: 15 }, () => rest.request('GET', '/users/@me')));
    const elapsed = performance.now() - started;
    // 20 per 500 ms × 25% = 5 per 500 ms: 15 requests need two full windows.
    assert.ok(elapsed >= 950, `local share paced the requests (${elapsed.toFixed(0)} ms)`);
    assert.deepEqual(sim!.rest.log.rateLimits().byScope, { user: 0, global: 0, shared: 0 });
    assert.equal(limiter.stats.degraded, true);
    assert.equal(limiter.stats.outages, 1);
    assert.ok(limiter.stats.localGrants >= 14);
    assert.deepEqual(events, ['degraded']);
    assert.equal(warnings.filter((w) => w.includes('Redis failed')).length, 1, 'one warning for the outage');
    assert.match(warnings[0], /local share of 25%/);

    flaky.mode = 'up';
    await new Promise((resolve) => setTimeout(resolve, 250));
    await rest.request('GET', '/users/@me');
    assert.equal(limiter.stats.degraded, false);
    assert.deepEqual(events, ['degraded', 'recovered']);
    assert.match(warnings.at(-1)!, /fleet-wide again/);
  });

  test('Redis not answering counts as down after commandTimeoutMs', async (t) => {
    if (skipWithoutRedis(t)) return;
    const flaky = new FlakyRedis(redis!);
    const { limiter, warnings } = limiterOn(flaky, { commandTimeoutMs: 100, retryIntervalMs: 60_000 });
    const rest = client(limiter);
    flaky.mode = 'hang';
    const started = performance.now();
    await rest.request('GET', '/users/@me');
    await rest.request('GET', '/users/@me');
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000, `one timeout, then local decisions (${elapsed.toFixed(0)} ms)`);
    assert.equal(limiter.stats.degraded, true);
    assert.equal(limiter.stats.localGrants, 2);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /did not answer within 100 ms/);
  });
});
