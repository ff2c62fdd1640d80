/**
 * Backpressure: a slow store (Redis behind a proxy that delays replies by 300 ms) makes the
 * monitor pause every shard's reads and hold identifies; bytes read stay flat while paused; once
 * the store is fast again reads resume and every dispatch arrives, gap-free. A blocked event loop
 * trips the same switch.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { BackpressureMonitor, gateIdentifyQueue, LocalIdentifyQueue } from '../../src/index.js';
import type { Simulator } from '../../src/testing/index.js';
import { DelayProxy } from './delayProxy.js';
import { eventually, host, REDIS_SKIP, redisOrNull, sleep, startSim, WINDOW } from './helpers.js';

const SHARDS = 4;

describe('BackpressureMonitor', { timeout: 60_000 }, () => {
  let available = false;
  const cleanups: (() => Promise<void> | void)[] = [];

  before(async () => {
    const redis = await redisOrNull();
    available = redis !== null;
    redis?.disconnect();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('a slow store pauses reads and identifies; nothing is lost after recovery', async (t) => {
    if (!available) {
      console.warn(`backpressure test skipped: ${REDIS_SKIP}`);
      t.skip(REDIS_SKIP);
      return;
    }
    const proxy = await DelayProxy.start();
    cleanups.push(() => proxy.close());
    const slow = new Redis({ host: '127.0.0.1', port: proxy.port, maxRetriesPerRequest: 1 });
    slow.on('error', () => {});
    cleanups.push(() => slow.disconnect());
    const sim: Simulator = await startSim({ guilds: 64, shards: SHARDS, heartbeatInterval: 5000 });
    cleanups.push(() => sim.close());

    const monitor = new BackpressureMonitor({
      storeProbe: () => slow.ping(),
      maxStoreLatencyMs: 100,
      sampleIntervalMs: 25,
      recoverAfterMs: 200
    }).start();
    cleanups.push(() => monitor.stop());
    const queue = new LocalIdentifyQueue(4, WINDOW + 50);
    cleanups.push(() => queue.destroy());
    const h = host(sim, [0, SHARDS - 1], SHARDS, { identifyQueue: gateIdentifyQueue(queue, monitor) });
    cleanups.push(() => h.manager.disconnect());
    monitor.attach(h.manager);
    await h.manager.connect({ url: sim.gatewayURL, shards: SHARDS, maxConcurrency: 4 });
    await eventually(() => h.readyShards.size === SHARDS, 20_000, 'shards ready');

    // As fast as the client reads: the simulator stops generating while sockets are backed up.
    const traffic = sim.traffic.run({ events: 20_000, mix: { reaction: 3, message: 1, memberUpdate: 1 } });
    await sleep(200);
    proxy.delay = 300;
    await eventually(() => monitor.pressured, 5000, 'pressure from the slow store');
    const shards = [...h.manager.shards.values()];
    assert.ok(
      shards.every((s) => s.readingPaused),
      'every shard paused reading'
    );

    // Identify waits while pressured.
    const pausesAt = monitor.stats.pauses;
    let identified = false;
    void gateIdentifyQueue(queue, monitor)
      .acquire(1)
      .then(() => {
        identified = true;
      });

    await sleep(150); // frames already inside ws's parser drain
    const bytesAt = shards.reduce((n, s) => n + s.stats.bytesWire, 0);
    const heapAt = process.memoryUsage().heapUsed;
    await sleep(800);
    const bytesGrowth = shards.reduce((n, s) => n + s.stats.bytesWire, 0) - bytesAt;
    const heapGrowth = process.memoryUsage().heapUsed - heapAt;
    console.log(
      `backpressure: ${bytesGrowth} bytes read while paused; heap ${(heapGrowth / 1048576).toFixed(1)} MB; ` +
        `store latency ${Math.round(monitor.stats.storeLatencyMs)} ms`
    );
    // The checks below need one uninterrupted pause. On a loaded machine the monitor can recover
    // and pause again inside the window (a probe answered under the threshold); then reading and
    // the held identify were rightly let through, and only the recovery path below is checked.
    if (monitor.stats.pauses === pausesAt && monitor.pressured) {
      assert.equal(bytesGrowth, 0, 'no bytes read while paused');
      assert.equal(identified, false, 'identify waited while pressured');
    } else {
      console.log('backpressure: the monitor recovered inside the window (machine load); pause checks not applicable');
    }

    proxy.delay = 0;
    await eventually(() => !monitor.pressured, 5000, 'recovery');
    assert.ok(shards.every((s) => !s.readingPaused));
    await eventually(() => identified, 2000, 'the held identify slot');
    await traffic;
    for (const session of sim.stats.sessions()) {
      await eventually(
        () => h.manager.shards.get(session.shard[0])!.seq === sim.stats.session(session.sessionID)!.seq,
        20_000,
        `shard ${session.shard[0]} caught up`
      );
    }

    for (const session of sim.stats.sessions()) {
      const seqs = h.delivered.filter((d) => d.session === session.sessionID).map((d) => d.s);
      assert.equal(seqs.length, session.seq, `shard ${session.shard[0]}: every dispatch delivered once`);
      assert.ok(
        seqs.every((s, i) => s === i + 1),
        `shard ${session.shard[0]}: in order, no gap`
      );
    }
    assert.equal(sim.stats.identifyCount, SHARDS, 'no session was lost to the pause');
    assert.ok(shards.every((s) => s.stats.readPauses >= 1 && s.stats.readPausedMs > 0));
    assert.ok(monitor.stats.pauses >= 1 && monitor.stats.pausedMs > 0);
  });

  test('a blocked event loop turns the monitor pressured, then clear', async () => {
    const monitor = new BackpressureMonitor({ maxLoopDelayMs: 100, sampleIntervalMs: 20, recoverAfterMs: 100 }).start();
    const events: string[] = [];
    monitor.on('pressure', (reason) => events.push(`pressure: ${reason}`));
    monitor.on('clear', () => events.push('clear'));
    try {
      await sleep(60);
      const until = Date.now() + 300;
      while (Date.now() < until) {
        // busy: the loop is blocked
      }
      await eventually(() => monitor.pressured, 1000, 'pressure');
      assert.match(events[0], /event loop delay \d+ ms > 100 ms/);
      await eventually(() => !monitor.pressured, 2000, 'clear');
      assert.deepEqual(events.slice(1), ['clear']);
      assert.ok(monitor.stats.loopDelayMs < 100);
    } finally {
      monitor.stop();
    }
  });
});
