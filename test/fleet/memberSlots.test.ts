/**
 * The pieces of fleet member chunking on their own: the per-guild slots (local and Redis), the
 * scheduler's input checks, and MemberRequests' streaming mode (members counted, not collected;
 * the timeout restarted by every chunk).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { MemberRequests } from '../../src/gateway/MemberRequests.js';
import {
  GuildMembersTimeoutError,
  InvalidOptionError,
  LocalMemberRequestSlots,
  MemberChunkScheduler,
  RedisMemberRequestSlots
} from '../../src/index.js';
import { dropPrefix, REDIS_SKIP, redisOrNull, sleep, uniquePrefix } from './helpers.js';

const GUILD = '81384788765712384';

describe('LocalMemberRequestSlots', () => {
  test('a second taker of the same guild waits the cooldown; other guilds do not', async () => {
    const slots = new LocalMemberRequestSlots({ cooldownMs: 200, marginMs: 20 });
    const started = Date.now();
    await slots.acquire(GUILD);
    await slots.acquire('81384788765712385');
    assert.ok(Date.now() - started < 100, 'different guilds do not wait');
    await slots.acquire(GUILD);
    assert.ok(Date.now() - started >= 215, 'same guild waited cooldown + margin');
    assert.deepEqual(slots.stats, { granted: 3, waited: 1, waitedMs: slots.stats.waitedMs, blocked: 0, fallbacks: 0 });
  });

  test('block keeps the guild off for retry_after; an abort ends the wait', async () => {
    const slots = new LocalMemberRequestSlots({ cooldownMs: 50, marginMs: 0 });
    await slots.block(GUILD, 5000);
    const controller = new AbortController();
    const waiting = slots.acquire(GUILD, controller.signal);
    controller.abort(new Error('gave up'));
    await assert.rejects(waiting, /gave up/);
  });

  test('bad input is a typed error', async () => {
    assert.throws(() => new LocalMemberRequestSlots({ cooldownMs: 0 }), InvalidOptionError);
    assert.throws(() => new LocalMemberRequestSlots({ marginMs: -1 }), InvalidOptionError);
    await assert.rejects(new LocalMemberRequestSlots().acquire('not-a-guild'), InvalidOptionError);
    assert.throws(() => new MemberChunkScheduler({} as never), InvalidOptionError);
    const scheduler = new MemberChunkScheduler({ requestGuildMembers: () => Promise.reject(new Error('unused')) });
    await assert.rejects(scheduler.fetchAllMembers(GUILD, { maxRetries: -1 }), InvalidOptionError);
  });
});

describe('RedisMemberRequestSlots', () => {
  let redis: Redis | null = null;
  const prefix = uniquePrefix('member-slots-unit');
  before(async () => {
    redis = await redisOrNull();
  });
  after(async () => {
    if (redis) {
      await dropPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  test('two processes: SET NX PX spaces them by the cooldown; block sets the TTL to retry_after', async (t) => {
    if (!redis) {
      t.skip(REDIS_SKIP);
      return;
    }
    const a = new RedisMemberRequestSlots(redis, { prefix, cooldownMs: 300, marginMs: 0 });
    const b = new RedisMemberRequestSlots(redis.duplicate(), { prefix, cooldownMs: 300, marginMs: 0 });
    try {
      await a.acquire(GUILD);
      const ttl = await redis.pttl(a.keyOf(GUILD));
      assert.ok(ttl > 200 && ttl <= 300, `slot key lives the cooldown (${ttl} ms)`);
      assert.equal(a.keyOf(GUILD), `${prefix}op8:${GUILD}`);
      const started = Date.now();
      await b.acquire(GUILD);
      assert.ok(Date.now() - started >= 200, 'the other process waited for the key to expire');
      assert.equal(b.stats.waited, 1);
      await a.block(GUILD, 5000);
      assert.ok((await redis.pttl(a.keyOf(GUILD))) > 4000, 'RATE_LIMITED holds every process off');
    } finally {
      (b as unknown as { redis: Redis }).redis.disconnect();
    }
  });

  test('bad input is a typed error', () => {
    assert.throws(() => new RedisMemberRequestSlots({} as never), InvalidOptionError);
  });

  test('while Redis fails the slots of this process apply, with one warning', async () => {
    const failing = Promise.reject.bind(Promise, new Error('connection refused'));
    const down = { evalsha: failing, eval: failing, get: failing, set: failing, del: failing, ping: failing };
    const warnings: string[] = [];
    const slots = new RedisMemberRequestSlots(down as never, {
      cooldownMs: 150,
      marginMs: 0,
      logger: (message) => warnings.push(message)
    });
    const started = Date.now();
    await slots.acquire(GUILD);
    await slots.acquire(GUILD);
    assert.ok(Date.now() - started >= 140, 'still spaced, in this process');
    await slots.block(GUILD, 10);
    assert.equal(slots.stats.fallbacks, 3);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /connection refused/);
  });
});

describe('MemberRequests streaming mode', () => {
  const chunk = (nonce: string, index: number, count: number, n: number) => ({
    guild_id: GUILD,
    nonce,
    chunk_index: index,
    chunk_count: count,
    members: Array.from({ length: n }, (_, i) => ({ user: { id: String(1000 + index * n + i) } }))
  });

  test('members are counted, not collected; each chunk restarts the timeout', async () => {
    const requests = new MemberRequests(0, 15_000);
    const { payload, promise } = requests.create(GUILD, { stream: true, timeout: 150 });
    const nonce = payload.nonce as string;
    for (let i = 0; i < 4; i++) {
      await sleep(80); // 4 x 80 ms > 150 ms: only an idle timeout lets this finish
      assert.equal(requests.onChunk(chunk(nonce, i, 4, 250)), true);
    }
    const result = await promise;
    assert.equal(result.received, 1000);
    assert.equal(result.chunks, 4);
    assert.deepEqual(result.members, []);
  });

  test('without stream every member is collected; silence times out with the count so far', async () => {
    const requests = new MemberRequests(0, 15_000);
    const collected = requests.create(GUILD, { timeout: 1000 });
    requests.onChunk(chunk(collected.payload.nonce as string, 0, 2, 3));
    requests.onChunk(chunk(collected.payload.nonce as string, 1, 2, 3));
    const result = await collected.promise;
    assert.equal(result.members.length, 6);
    assert.equal(result.received, 6);

    const silent = requests.create(GUILD, { stream: true, timeout: 50 });
    requests.onChunk(chunk(silent.payload.nonce as string, 0, 3, 10));
    // The request's timer is unref'd (it never holds a process open): hold this one open meanwhile.
    const hold = setTimeout(() => {}, 1000);
    await assert.rejects(silent.promise, (error: unknown) => {
      assert.ok(error instanceof GuildMembersTimeoutError);
      assert.equal(error.received, 10);
      return true;
    });
    clearTimeout(hold);
    assert.throws(() => requests.create(GUILD, { stream: 'yes' as never }), InvalidOptionError);
  });
});
