/** Small parts of the fleet: shard layout, assignment parsing, the Redis identify lock. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAssignment } from '../../src/cluster/protocol.js';
import { RedisIdentifyQueue, splitShardRange } from '../../src/index.js';
import { redisOrNull } from './fleetHarness.js';

test('splitShardRange: contiguous, sizes differ by at most one, never more clusters than shards', () => {
  assert.deepEqual(splitShardRange(0, 15, 4), [
    { first: 0, last: 3 },
    { first: 4, last: 7 },
    { first: 8, last: 11 },
    { first: 12, last: 15 }
  ]);
  assert.deepEqual(splitShardRange(10, 16, 3), [
    { first: 10, last: 12 },
    { first: 13, last: 14 },
    { first: 15, last: 16 }
  ]);
  assert.equal(splitShardRange(0, 1, 8).length, 2);
  assert.throws(() => splitShardRange(5, 4, 1), RangeError);
  assert.throws(() => splitShardRange(0, 4, 0), RangeError);
});

test('parseAssignment rejects malformed or inconsistent assignments', () => {
  const ok = { clusterID: 1, clusterCount: 2, firstShardID: 4, lastShardID: 7, totalShards: 8, maxConcurrency: 1 };
  assert.deepEqual(parseAssignment(JSON.stringify(ok)), ok);
  assert.equal(parseAssignment(undefined), null);
  assert.equal(parseAssignment('{not json'), null);
  assert.equal(parseAssignment(JSON.stringify({ ...ok, lastShardID: 8 })), null);
  assert.equal(parseAssignment(JSON.stringify({ ...ok, firstShardID: -1 })), null);
  assert.equal(parseAssignment(JSON.stringify({ ...ok, maxConcurrency: 0 })), null);
});

test('RedisIdentifyQueue: rejects bad options; two queues (two hosts) space one bucket by the window', async (t) => {
  assert.throws(() => new RedisIdentifyQueue({} as never, { maxConcurrency: 1 }), /Redis client/);
  const redis = await redisOrNull();
  if (!redis) {
    t.skip('Redis not reachable on 127.0.0.1:6379');
    return;
  }
  assert.throws(() => new RedisIdentifyQueue(redis, { maxConcurrency: 0 }), /maxConcurrency/);
  const prefix = `athena-idq-${process.pid}:`;
  try {
    const hostA = new RedisIdentifyQueue(redis, { maxConcurrency: 2, window: 200, prefix });
    const hostB = new RedisIdentifyQueue(redis, { maxConcurrency: 2, window: 200, prefix });
    const granted: { shard: number; at: number }[] = [];
    const take = (queue: RedisIdentifyQueue, shard: number) =>
      queue.acquire(shard).then(() => granted.push({ shard, at: Date.now() }));
    // Shards 0, 2, 4 (bucket 0) and 1, 3 (bucket 1), spread over both hosts.
    await Promise.all([take(hostA, 0), take(hostB, 2), take(hostA, 4), take(hostB, 1), take(hostA, 3)]);
    for (const bucket of [0, 1]) {
      const times = granted.filter((g) => g.shard % 2 === bucket).map((g) => g.at);
      for (let i = 1; i < times.length; i++) {
        // The lock spaces SETs in Redis by 200 ms; observed here after a round trip, allow jitter.
        assert.ok(times[i] - times[i - 1] >= 150, `bucket ${bucket}: grants ${times[i] - times[i - 1]} ms apart`);
      }
    }
    assert.equal(hostA.stats.acquired + hostB.stats.acquired, 5);
    // An aborted waiter rejects with the signal's reason and does not hold up the next one.
    const abort = new AbortController();
    const aborted = hostA.acquire(0, abort.signal);
    abort.abort(new Error('gave up'));
    await assert.rejects(aborted, /gave up/);
  } finally {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
});
