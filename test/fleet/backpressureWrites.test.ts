/**
 * Writes piling up for the store are backpressure too: a BackpressureMonitor watching a write
 * queue pauses when its pending records pass `maxPendingWrites` and clears once they are under
 * half; the count is in its stats (and so in the fleet metrics).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackpressureMonitor, InvalidOptionError } from '../../src/index.js';
import { eventually } from './helpers.js';

test('pending writes over the threshold pause; under half of it, clear', async () => {
  const queue = { pending: 0 };
  const monitor = new BackpressureMonitor({
    writeQueues: [queue],
    maxPendingWrites: 1000,
    sampleIntervalMs: 10,
    recoverAfterMs: 30
  }).start();
  const events: string[] = [];
  monitor.on('pressure', (reason) => events.push(reason));
  monitor.on('clear', () => events.push('clear'));
  try {
    queue.pending = 800;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(monitor.pressured, false, 'under the threshold');
    queue.pending = 1500;
    await eventually(() => monitor.pressured, 1000, 'pressure');
    assert.match(events[0], /1500 writes waiting for the store > 1000/);
    assert.equal(monitor.stats.pendingWrites, 1500);
    queue.pending = 600; // under the threshold, not under half: still pressured
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(monitor.pressured, true);
    queue.pending = 400;
    await eventually(() => !monitor.pressured, 1000, 'clear');
    assert.deepEqual(events.slice(1), ['clear']);
    assert.equal(monitor.thresholds.maxPendingWrites, 1000);
  } finally {
    monitor.stop();
  }
});

test('bad write-queue options are typed errors', () => {
  assert.throws(() => new BackpressureMonitor({ writeQueues: [{} as never] }), InvalidOptionError);
  assert.throws(() => new BackpressureMonitor({ maxPendingWrites: 0 }), InvalidOptionError);
});
