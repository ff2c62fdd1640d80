/**
 * Fleet-wide REST limits through Redis: four RestClients (each with its own Redis connection and
 * its own local limiters, as four processes would have) hammer one route against a simulator whose
 * global limit is 20 per 500 ms (scaled down from 50/s): zero 429s. Then the simulator answers 401
 * to one of them: the whole fleet stops at its breaker (30 per 10 s), below a scaled-down Discord
 * threshold of 40 (10,000 per 10 min on Discord; Athena's default breaker is 7,500).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { attachFleetLimiter, FleetBreakerOpenError, FleetRestLimiter, RestClient } from '../../src/index.js';
import type { Simulator } from '../../src/testing/index.js';
import { dropPrefix, REDIS_SKIP, redisOrNull, startSim, uniquePrefix } from './helpers.js';

describe('FleetRestLimiter: four clients, one Redis', { timeout: 60_000 }, () => {
  let redis: Redis | null = null;
  let sim: Simulator | null = null;
  const prefixes: string[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];

  before(async () => {
    redis = await redisOrNull();
    if (!redis) return;
    sim = await startSim({
      rest: { globalLimit: { limit: 20, windowMs: 500 }, rateLimits: { users: { limit: 10_000, windowMs: 1000 } } }
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

  function fleet(options: { invalidLimit?: number }) {
    const prefix = uniquePrefix('rest');
    prefixes.push(prefix);
    return Array.from({ length: 4 }, () => {
      const connection = redis!.duplicate();
      connection.on('error', () => {});
      const rest = new RestClient(sim!.token, { baseURL: sim!.restURL, retries: 0 });
      // 16 of the simulator's 20 per window, and a 300 ms window margin: slots are granted before the
      // RestClient's own queues, and on a loaded machine the drift to the server can pass 100 ms.
      const limiter = new FleetRestLimiter(connection, {
        prefix,
        globalLimit: 16,
        globalWindowMs: 500,
        globalMarginMs: 300,
        invalidLimit: options.invalidLimit ?? 7500,
        invalidWindowMs: 10_000
      });
      attachFleetLimiter(rest, limiter);
      cleanups.push(async () => {
        await rest.destroy();
        connection.disconnect();
      });
      return { rest, limiter };
    });
  }

  test('hammering one route and the global limit: zero 429s', async (t) => {
    if (!redis || !sim) {
      console.warn(`fleet REST test skipped: ${REDIS_SKIP}`);
      t.skip(REDIS_SKIP);
      return;
    }
    const clients = fleet({});
    const userID = sim.world.botUser.id;
    const started = Date.now();
    await Promise.all(
      clients.map(({ rest }) => Promise.all(Array.from({ length: 15 }, () => rest.request('GET', `/users/${userID}`))))
    );
    const elapsed = Date.now() - started;
    console.log(`fleet REST: 60 requests through the fleet limiter in ${elapsed} ms (simulator allows 20 per 500 ms)`);
    for (const { rest, limiter } of clients) {
      assert.equal(rest.stats.rateLimited, 0, 'no 429 reached any client');
      assert.equal(limiter.stats.granted, 15);
    }
    assert.ok(
      clients.some(({ limiter }) => limiter.stats.globalWaits > 0),
      'the fleet window made someone wait'
    );
  });

  test('one client answered 401: the fleet stops before the invalid-request limit', async (t) => {
    if (!redis || !sim) {
      console.warn(`fleet REST test skipped: ${REDIS_SKIP}`);
      t.skip(REDIS_SKIP);
      return;
    }
    const LIMIT = 30;
    const DISCORD_THRESHOLD = 40;
    const clients = fleet({ invalidLimit: LIMIT });
    const [bad, ...good] = clients;
    sim.rest.faults.unauthorizedBurst({ route: '/channels/', requests: 1000 });
    const channelID = '1';
    let unauthorized = 0;
    let refused = 0;
    const badRun = Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 50; i++) {
          try {
            await bad.rest.request('GET', `/channels/${channelID}`);
          } catch (error) {
            if (error instanceof FleetBreakerOpenError) {
              refused++;
              return;
            }
            if ((error as { status?: number }).status === 401) unauthorized++;
          }
        }
      })
    );
    await badRun;
    sim.rest.faults.clear();
    console.log(`fleet REST: ${unauthorized} 401s answered before the breaker opened (limit ${LIMIT})`);
    // Up to 4 requests already in flight when the breaker opens still get their answer.
    assert.ok(unauthorized >= LIMIT && unauthorized <= LIMIT + 4, `${unauthorized} 401s`);
    assert.ok(unauthorized < DISCORD_THRESHOLD, 'stopped before the threshold that would ban the IP');
    assert.equal(refused, 4, 'every worker of the 401 client was stopped');
    // The other clients never got a 401, yet the fleet breaker stops them too.
    for (const { rest } of good) {
      await assert.rejects(rest.request('GET', `/users/${sim.world.botUser.id}`), FleetBreakerOpenError);
    }
    assert.ok(good.every(({ limiter }) => limiter.stats.fleetInvalid >= LIMIT));
  });
});
