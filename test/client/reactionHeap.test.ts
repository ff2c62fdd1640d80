/**
 * With messageLimit 0, reactions on uncached messages leave nothing behind: the partial message
 * and channel built for the event are garbage after the handler. The client runs in a child process
 * with --expose-gc (the simulator stays in this one, so its own state does not count); heapUsed
 * after full collections is compared between 20,000 and 120,000 reactions. discord.js grew about
 * 2.4 KB per reaction in the same situation; the bound here is 64 B per reaction, i.e. noise.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Simulator } from '../../src/testing/index.js';

const CHILD = fileURLToPath(new URL('./helpers/reactionHeapChild.ts', import.meta.url));
const WARMUP = 20_000;
const MEASURED = 100_000;
const MAX_BYTES_PER_REACTION = 64;

interface Reply {
  type: string;
  reactions: number;
  heapUsed: number;
  guilds: number;
}

function ask(child: ChildProcess, type: string): Promise<Reply> {
  return new Promise((resolve) => {
    const onMessage = (reply: Reply) => {
      if (reply.type !== type) return;
      child.off('message', onMessage);
      resolve(reply);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}

async function reactionsReceived(child: ChildProcess, total: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await ask(child, 'count')).reactions < total) {
    if (Date.now() > deadline) throw new Error(`child saw fewer than ${total} reactions`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('heap does not grow with reactions on uncached messages when messageLimit is 0', async () => {
  const sim = await Simulator.start({ guilds: 100, seed: 'reaction-heap', identifyIntervalMs: 0 });
  const child = fork(CHILD, [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: { ...process.env, SIM_TOKEN: sim.token, SIM_REST_URL: sim.restURL },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  });
  try {
    const [ready] = (await once(child, 'message')) as [Reply];
    assert.equal(ready.type, 'ready');
    assert.equal(ready.guilds, 100);

    const warm = await sim.traffic.run({ events: WARMUP, mix: { reaction: 1 } });
    await reactionsReceived(child, warm.emitted);
    const before = await ask(child, 'measure');

    const measured = await sim.traffic.run({ events: MEASURED, mix: { reaction: 1 } });
    await reactionsReceived(child, warm.emitted + measured.emitted);
    const afterRun = await ask(child, 'measure');

    const perReaction = (afterRun.heapUsed - before.heapUsed) / measured.emitted;
    console.log(
      `heapUsed ${(before.heapUsed / 1e6).toFixed(2)} MB -> ${(afterRun.heapUsed / 1e6).toFixed(2)} MB over ` +
        `${measured.emitted} reactions: ${perReaction.toFixed(1)} B per reaction`
    );
    assert.ok(measured.emitted > MEASURED * 0.9);
    assert.ok(perReaction < MAX_BYTES_PER_REACTION, `${perReaction.toFixed(1)} B per reaction`);
  } finally {
    child.send({ type: 'exit' });
    await once(child, 'exit');
    await sim.close();
  }
});
