import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LocalIdentifyQueue, MemorySessionStore, SendQueue } from '../../src/gateway/index.js';

describe('SendQueue', () => {
  test('never exceeds the limit per sliding window, and heartbeats go first using reserved slots', async () => {
    const sent: { payload: string; at: number }[] = [];
    const queue = new SendQueue((payload) => sent.push({ payload, at: Date.now() }), {
      limit: 10,
      window: 200,
      heartbeatReserve: 2
    });
    for (let i = 0; i < 25; i++) queue.send(`cmd${i}`);
    assert.equal(sent.length, 8, 'commands leave the reserved slots free');
    queue.sendHeartbeat('hb1');
    assert.equal(sent.at(-1)!.payload, 'hb1', 'heartbeat is not stuck behind 17 commands');
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.deepEqual(
      sent.filter((x) => x.payload.startsWith('cmd')).map((x) => x.payload),
      Array.from({ length: 25 }, (_, i) => `cmd${i}`)
    );
    for (let i = 0; i < sent.length; i++) {
      const inWindow = sent.filter((x) => x.at > sent[i].at - 200 && x.at <= sent[i].at).length;
      assert.ok(inWindow <= 10, `at most 10 per 200 ms (got ${inWindow})`);
    }
    queue.reset();
  });

  test('reset hands back queued user commands but not identify/resume', () => {
    const queue = new SendQueue(() => {}, { limit: 3, window: 60_000, heartbeatReserve: 1 });
    queue.send('a');
    queue.send('b');
    queue.send('c');
    queue.send('identify', true);
    assert.deepEqual(queue.reset(), ['c']);
  });
});

describe('LocalIdentifyQueue', () => {
  test('one identify per shard_id % max_concurrency bucket per window, buckets in parallel', async () => {
    const queue = new LocalIdentifyQueue(4, 100);
    const start = performance.now();
    const grants: { shard: number; at: number }[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, shard) =>
        queue.acquire(shard).then(() => grants.push({ shard, at: performance.now() - start }))
      )
    );
    for (let bucket = 0; bucket < 4; bucket++) {
      const times = grants.filter((g) => g.shard % 4 === bucket).map((g) => g.at);
      assert.equal(times.length, 3);
      // The queue spaces by Date.now() (ms resolution): allow that rounding, nothing more.
      for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 98, `bucket ${bucket} spacing`);
    }
    // Shards start in order: the first wave is shards 0..3.
    assert.deepEqual(
      grants
        .slice(0, 4)
        .map((g) => g.shard)
        .sort(),
      [0, 1, 2, 3]
    );
    queue.destroy();
  });

  test('an aborted wait leaves the bucket', async () => {
    const queue = new LocalIdentifyQueue(1, 10_000);
    await queue.acquire(0);
    const abort = new AbortController();
    const waiting = queue.acquire(1, abort.signal);
    abort.abort(new Error('gone'));
    await assert.rejects(waiting, /gone/);
    queue.destroy();
  });
});

describe('MemorySessionStore', () => {
  test('stores copies per shard', () => {
    const store = new MemorySessionStore();
    const session = { sessionID: 'a', seq: 5, resumeURL: 'ws://x' };
    store.set(3, session);
    session.seq = 9;
    assert.equal(store.get(3)!.seq, 5);
    store.delete(3);
    assert.equal(store.get(3), undefined);
  });
});
