/**
 * `npm start`, the main job, at a small size: the demo fleet starts the simulator and its cluster
 * processes, every shard gets ready, reactions become role toggles, and `--duration` ends it cleanly.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

test('the demo fleet reaches all shards ready and toggles roles, then exits by itself', async () => {
  const env = { ...process.env };
  delete env.REDIS_URL; // the embedded SQLite store, as on a fresh machine
  delete env.DISCORD_TOKEN;
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'src/cluster/demo/start.ts', '--guilds', '600', '--clusters', '2', '--duration', '25'],
    { env, timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }
  );
  const ready = [...stdout.matchAll(/shards ready \[[#. ]*\] (\d+)\/(\d+)/g)].at(-1);
  assert.ok(ready, `no progress line in:\n${stdout.slice(-2000)}`);
  assert.equal(ready[1], ready[2], 'every shard ready');
  const toggles = [...stdout.matchAll(/role toggles total (\d+)/g)].at(-1);
  assert.ok(toggles && Number(toggles[1]) > 0, 'reactions became role toggles');
  assert.match(stdout, /store SQLite/);
});
