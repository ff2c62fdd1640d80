/**
 * Backpressure in the fleet metrics: one cluster whose BackpressureMonitor is forced into a pause
 * (its store probe made slow over IPC). A scrape of `/metrics` during the pause shows the cluster
 * and every shard paused, the store latency over the threshold and time accruing; `/stats`
 * carries the same; after recovery the pause is counted and reads are on again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ClusterManager, FleetMetricsServer, type FleetSnapshot } from '../../src/index.js';
import type { BackpressureBotProtocol } from './fixtures/backpressureBot.js';
import { sleep, startSim } from './fleetHarness.js';

const BOT = fileURLToPath(new URL('./fixtures/backpressureBot.ts', import.meta.url));

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function scrapeUntil(port: number, ok: (text: string) => boolean, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    if (ok(text) || Date.now() > until) return text;
    await sleep(100);
  }
}

test('a forced backpressure pause shows in /metrics and /stats, and its end too', { timeout: 60_000 }, async () => {
  const sim = await startSim({ guilds: 40, shards: 2 });
  const manager = new ClusterManager<BackpressureBotProtocol>({
    file: BOT,
    token: sim.token,
    rest: { baseURL: sim.restURL },
    clusters: 1,
    totalShards: 2,
    maxConcurrency: 4,
    identifyWindow: 400,
    silent: true,
    readyTimeout: 40_000,
    env: { ATHENA_TOKEN: sim.token, ATHENA_REST_BASE_URL: sim.restURL }
  });
  const metrics = new FleetMetricsServer(manager);
  try {
    await manager.spawn();
    await manager.waitForReady();
    const port = await metrics.listen();

    const calm = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.equal(sample(calm, 'athena_cluster_backpressure_paused', 'cluster="0"'), 0, calm);
    assert.equal(
      sample(calm, 'athena_cluster_backpressure_threshold_seconds', 'cluster="0",measure="store_latency"'),
      0.1
    );

    // Force the pause: every store probe now takes 400 ms, over the 100 ms threshold.
    await manager.request(0, 'slowStore', { ms: 400 });
    const paused = await scrapeUntil(
      port,
      (text) => sample(text, 'athena_cluster_backpressure_paused', 'cluster="0"') === 1,
      10_000
    );
    assert.equal(sample(paused, 'athena_cluster_backpressure_paused', 'cluster="0"'), 1, paused);
    assert.equal(sample(paused, 'athena_cluster_backpressure_pauses', 'cluster="0"'), 1);
    assert.ok((sample(paused, 'athena_cluster_store_latency_seconds', 'cluster="0"') ?? 0) > 0.1, paused);
    for (const shard of ['0', '1']) {
      assert.equal(sample(paused, 'athena_shard_reading_paused', `cluster="0",shard="${shard}"`), 1, paused);
    }
    assert.ok(sample(paused, 'athena_cluster_event_loop_delay_seconds', 'cluster="0"') !== undefined);
    // An identify held by the pause is counted.
    assert.equal(await manager.request(0, 'holdIdentify', null), 1);
    const holding = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.equal(sample(holding, 'athena_cluster_backpressure_identifies_waiting', 'cluster="0"'), 1, holding);
    // Time paused includes the pause under way: it grows between two scrapes.
    const first = sample(paused, 'athena_cluster_backpressure_paused_seconds', 'cluster="0"') ?? 0;
    await sleep(300);
    const json = (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as FleetSnapshot;
    const bp = json.stats[0].backpressure;
    assert.ok(bp !== null, 'the cluster reports backpressure');
    assert.equal(bp.paused, true);
    assert.ok(bp.pausedMs / 1000 > first, `paused time grows (${first} s, then ${bp.pausedMs} ms)`);
    assert.ok(json.stats[0].shards.every((s) => s.readingPaused));

    // Recover: the store answers at once again.
    await manager.request(0, 'slowStore', { ms: 0 });
    const clear = await scrapeUntil(
      port,
      (text) => sample(text, 'athena_cluster_backpressure_paused', 'cluster="0"') === 0,
      10_000
    );
    assert.equal(sample(clear, 'athena_cluster_backpressure_paused', 'cluster="0"'), 0, clear);
    assert.ok((sample(clear, 'athena_cluster_backpressure_pauses', 'cluster="0"') ?? 0) >= 1);
    assert.ok((sample(clear, 'athena_cluster_backpressure_paused_seconds', 'cluster="0"') ?? 0) > 0.3);
    assert.equal(sample(clear, 'athena_cluster_backpressure_identifies_waiting', 'cluster="0"'), 0, 'released');
    for (const shard of ['0', '1']) {
      assert.equal(sample(clear, 'athena_shard_reading_paused', `cluster="0",shard="${shard}"`), 0);
    }
  } finally {
    await metrics.close();
    await manager.shutdown();
    await sim.close();
  }
});
