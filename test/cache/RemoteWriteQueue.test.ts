import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RemoteWriteQueue } from '../../src/cache/index.js';
import { InvalidOptionError } from '../../src/util/errors.js';
import { CountingStore, FailingStore, HungStore, nextTurn } from './helpers/stores.js';

describe('RemoteWriteQueue', () => {
  test('writes are fire-and-forget, flushed on a later turn, and counted', async () => {
    const store = new CountingStore();
    const queue = new RemoteWriteQueue(store);
    assert.equal(queue.set('user', '1', '{"id":"1"}'), true);
    assert.equal(store.calls.setEntity, 0, 'nothing is written synchronously');
    await queue.drain();
    assert.equal(await store.inner.getEntity('user', '1'), '{"id":"1"}');
    assert.deepEqual(queue.counters, { queued: 1, coalesced: 0, flushed: 1, dropped: 0, errors: 0, bytesWritten: 10 });
  });

  test('coalesces per (namespace, id): last write wins, removals included', async () => {
    const store = new CountingStore();
    const queue = new RemoteWriteQueue(store);
    await store.inner.setEntity('user', '3', 'old');
    queue.set('user', '1', 'a');
    queue.set('user', '1', 'b');
    queue.set('member:9', '1', 'm');
    queue.set('user', '2', 'x');
    queue.remove('user', '2');
    queue.set('user', '3', 'y');
    queue.remove('user', '3');
    assert.equal(queue.pending, 4);
    await queue.drain();
    assert.equal(store.calls.setEntity + store.calls.removeEntity, 4);
    assert.equal(await store.inner.getEntity('user', '1'), 'b');
    assert.equal(await store.inner.getEntity('member:9', '1'), 'm');
    assert.equal(await store.inner.getEntity('user', '2'), null);
    assert.equal(await store.inner.getEntity('user', '3'), null);
    assert.equal(queue.counters.coalesced, 3);
    assert.equal(queue.counters.flushed, 4);
  });

  test('a store that never answers: in-flight stays at concurrency, pending at maxPending, the rest dropped', async () => {
    const store = new HungStore();
    const queue = new RemoteWriteQueue(store, { maxPending: 1000, concurrency: 8 });
    let accepted = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 1000; i++) if (queue.set('user', `${round}-${i}`, 'v')) accepted++;
      await nextTurn();
      assert.ok(queue.inFlight <= 8);
      assert.ok(queue.pending <= 1000);
    }
    assert.equal(store.started, 8);
    assert.equal(queue.inFlight, 8);
    assert.equal(queue.pending, 1000);
    assert.equal(accepted, 1008);
    assert.equal(queue.counters.dropped, 20_000 - 1008);
    assert.equal(queue.counters.queued, 1008);
    queue.clear();
    assert.equal(queue.pending, 0);
  });

  test('a failing store: errors counted, the queue keeps going, onError told', async () => {
    const store = new FailingStore();
    const seen: string[] = [];
    const queue = new RemoteWriteQueue(store, {
      onError: (_error, write) => {
        seen.push(write.id);
        throw new Error('listener bug');
      }
    });
    for (let i = 0; i < 100; i++) queue.set('user', String(i), 'v');
    queue.remove('user', 'gone');
    await queue.drain();
    assert.equal(queue.counters.errors, 101);
    assert.equal(queue.counters.flushed, 0);
    assert.equal(seen.length, 101);
  });

  test('concurrency limits operations in flight and every write still lands', async () => {
    const store = new CountingStore();
    let inFlight = 0;
    let peak = 0;
    const setEntity = store.setEntity.bind(store);
    store.setEntity = async (...args) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      await setEntity(...args);
      inFlight--;
    };
    const queue = new RemoteWriteQueue(store, { concurrency: 5 });
    for (let i = 0; i < 200; i++) queue.set('user', String(i), String(i));
    await queue.drain();
    assert.equal(peak, 5);
    assert.equal((await store.inner.getAllEntities('user')).length, 200);
  });

  test('options are validated', () => {
    const store = new CountingStore();
    assert.throws(() => new RemoteWriteQueue(store, { maxPending: 0 }), InvalidOptionError);
    assert.throws(() => new RemoteWriteQueue(store, { concurrency: 1.5 }), InvalidOptionError);
    assert.throws(() => new RemoteWriteQueue(store, { ttlSeconds: -1 }), InvalidOptionError);
  });
});
