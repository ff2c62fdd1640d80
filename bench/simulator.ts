/**
 * Simulator benchmark: memory of a 100,000-guild world (~5M member records, generated and fully
 * iterated once), the rate at which the gateway emits GUILD_CREATEs to bare WebSocket clients
 * (all shards at once), and the rate of reaction dispatches as fast as those clients read.
 *
 *   npx tsx bench/simulator.ts [--guilds 100000]
 *   node --expose-gc --import tsx bench/simulator.ts   (adds full GCs before memory readings)
 *
 * Clients run in this process and only count frames (no JSON parsing), so the numbers are the
 * simulator's cost plus a thin client.
 */
import WebSocket from 'ws';
import { Simulator } from '../src/testing/index.js';
import { World } from '../src/testing/world/World.js';

const args = process.argv.slice(2);
const GUILDS = Number(args[args.indexOf('--guilds') + 1] ?? 0) || 100_000;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

async function measureWorld(): Promise<void> {
  gc?.();
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const world = new World({ seed: 'bench', guilds: GUILDS });
  let members = 0;
  let guilds = 0;
  let large = 0;
  let peak = 0;
  for (const { members: list } of world.dump()) {
    guilds++;
    members += list.length;
    if (list.length > 250) large++;
    if ((guilds & 4095) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const ms = performance.now() - started;
  gc?.();
  const after = process.memoryUsage().rss;
  peak = Math.max(peak, after);
  console.log(`world: ${guilds} guilds, ${members} member records (${large} guilds > 250 members)`);
  console.log(
    `world: generated and iterated in ${(ms / 1000).toFixed(1)} s (${Math.round(members / (ms / 1000))} members/s)`
  );
  console.log(`world: RSS before ${mb(before)}, peak while iterating ${mb(peak)}, after ${mb(after)}`);
}

interface BareClient {
  ws: WebSocket;
  frames: number;
  guildCreates: number;
  expected: number;
}

function bareClient(url: string, token: string, shard: [number, number]): Promise<BareClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/?v=10&encoding=json`);
    const client: BareClient = { ws, frames: 0, guildCreates: 0, expected: -1 };
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      client.frames++;
      const head = data.subarray(0, 40).toString('latin1');
      if (head.includes('"t":"GUILD_CREATE"')) client.guildCreates++;
      else if (head.includes('"op":10')) {
        ws.send(
          JSON.stringify({
            op: 2,
            d: { token, intents: 1 | 512 | 1024, shard, properties: { os: 'linux', browser: 'bench', device: 'bench' } }
          })
        );
      } else if (head.includes('"t":"READY"')) {
        client.expected = (JSON.parse(data.toString()).d.guilds as unknown[]).length;
        resolve(client);
      }
    });
  });
}

async function measureGateway(): Promise<void> {
  const shardCount = Math.ceil(GUILDS / 2500);
  const sim = await Simulator.start({ guilds: GUILDS, seed: 'bench', shards: shardCount, maxConcurrency: shardCount });
  try {
    const started = performance.now();
    const clients = await Promise.all(
      Array.from({ length: shardCount }, (_, i) => bareClient(sim.gatewayURL, sim.token, [i, shardCount]))
    );
    const total = clients.reduce((n, c) => n + c.expected, 0);
    await new Promise<void>((resolve) => {
      const poll = () => (clients.every((c) => c.guildCreates >= c.expected) ? resolve() : setTimeout(poll, 10));
      poll();
    });
    const ms = performance.now() - started;
    console.log(
      `gateway: ${total} GUILD_CREATEs over ${shardCount} shards in ${(ms / 1000).toFixed(1)} s = ${Math.round(total / (ms / 1000))}/s`
    );
    gc?.();
    const heap = process.memoryUsage();
    console.log(`gateway: after GUILD_CREATEs RSS ${mb(heap.rss)}, heap used ${mb(heap.heapUsed)}`);

    const framesBefore = clients.reduce((n, c) => n + c.frames, 0);
    const events = 200_000;
    const t0 = performance.now();
    const report = await sim.traffic.run({ events });
    await new Promise<void>((resolve) => {
      const poll = () =>
        clients.reduce((n, c) => n + c.frames, 0) - framesBefore >= report.emitted ? resolve() : setTimeout(poll, 5);
      poll();
    });
    const t = performance.now() - t0;
    console.log(
      `traffic: ${report.emitted} reaction dispatches delivered in ${(t / 1000).toFixed(1)} s = ${Math.round(report.emitted / (t / 1000))}/s`
    );
    console.log(
      `traffic: RSS after ${mb(process.memoryUsage().rss)}, guilds with live state ${sim.world.liveGuildCount}`
    );
    for (const c of clients) c.ws.terminate();
  } finally {
    await sim.close();
  }
}

console.log(`node ${process.version}, ${GUILDS} guilds`);
await measureWorld();
await measureGateway();
