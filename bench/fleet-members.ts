/**
 * A large guild's whole member list (op 8) three ways, each in its own child process run with
 * --expose-gc (the simulator stays in this one):
 *
 * - `stream`: guild.fetchAllMembers() into Redis-backed members/users with hot sets of `--hot`
 *   (chunk by chunk, written through); the write queue takes whatever the gateway delivers;
 * - `paced`: the same with a BackpressureMonitor watching the write queue (`--max-pending`
 *   records): past it the shard stops reading until Redis has taken half of them;
 * - `collect`: client.requestGuildMembers() without streaming, same collections: the result
 *   array of raw members, held until the last chunk (and here, by the caller, after);
 * - `unbounded`: streaming into the default unbounded collections, i.e. what the whole guild
 *   costs in heap once cached.
 *
 *   npx tsx bench/fleet-members.ts [--members 100000] [--hot 1000] [--max-pending 10000]
 *                                  [--heap-limit MB] [--modes stream,paced,collect,unbounded]
 *
 * Reported per mode: fetch time, heapUsed after full GCs before and after (the result kept alive
 * in `collect`), the peak heapUsed sampled every 5 ms during the fetch (garbage not yet collected
 * included), the most records waiting in the write queue (heap the store has not taken yet), hot-set
 * sizes and the monitor's read pauses.
 * Needs Redis on 127.0.0.1:6379 (a unique prefix, deleted at the end).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import {
  BackpressureMonitor,
  Client,
  type ClientOptions,
  Member,
  RedisCacheStore,
  RemoteBackedCollection,
  RemoteWriteQueue,
  User
} from '../src/index.js';
import { Simulator } from '../src/testing/index.js';

type Mode = 'stream' | 'paced' | 'collect' | 'unbounded';
interface Report {
  mode: Mode;
  received: number;
  fetchMs: number;
  heapBefore: number;
  heapAfter: number;
  heapPeak: number;
  members: number;
  users: number;
  pauses: number;
  pendingMax: number;
}

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};

if (args[0] === '--child') await child(args[1] as Mode);
else await parent();

async function child(mode: Mode): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the child with --expose-gc');
  const env = (name: string) => process.env[name] ?? '';
  const hot = Number(env('HOT_SET'));
  const redis = new Redis(6379, '127.0.0.1', { maxRetriesPerRequest: 2 });
  const store = new RedisCacheStore(redis, { prefix: env('PREFIX') });
  const queue = new RemoteWriteQueue(store, { maxPending: 1_000_000 });
  const cache: ClientOptions['cache'] =
    mode === 'unbounded'
      ? undefined
      : {
          remoteStore: store,
          users: () => new RemoteBackedCollection(User, hot, store, 'user', { queue }),
          members: (guild) => new RemoteBackedCollection(Member, hot, store, `member:${guild.id}`, { queue })
        };
  const client = new Client(env('SIM_TOKEN'), {
    rest: { baseURL: env('SIM_REST_URL') },
    intents: ['Guilds', 'GuildMembers'],
    messageLimit: 0,
    cache
  });
  const ready = once(client, 'ready');
  await client.connect();
  await ready;
  const guild = client.guilds.get(env('GUILD'));
  if (!guild) throw new Error('guild not cached');
  const monitor =
    mode === 'paced'
      ? new BackpressureMonitor({
          writeQueues: [queue],
          maxPendingWrites: Number(env('MAX_PENDING')),
          sampleIntervalMs: 10,
          recoverAfterMs: 20
        })
          .attach(client.shards)
          .start()
      : null;
  const heap = () => {
    for (let i = 0; i < 4; i++) gc();
    return process.memoryUsage().heapUsed;
  };
  const heapBefore = heap();
  let heapPeak = 0;
  let pendingMax = 0;
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    pendingMax = Math.max(pendingMax, queue.pending);
  }, 5);
  const started = Date.now();
  let kept: unknown = null;
  let received: number;
  if (mode === 'collect') {
    const result = await client.requestGuildMembers(guild.id, { timeout: 60_000 });
    kept = result; // what a caller of the collecting API holds
    received = result.members.length;
  } else {
    received = await guild.fetchAllMembers({ timeout: 60_000 });
  }
  const fetchMs = Date.now() - started;
  clearInterval(sampler);
  monitor?.stop();
  await queue.drain();
  const heapAfter = heap();
  const report: Report = {
    mode,
    received,
    fetchMs,
    heapBefore,
    heapAfter,
    heapPeak,
    members: guild.members.size,
    users: client.users.size,
    pauses: monitor?.stats.pauses ?? 0,
    pendingMax
  };
  process.send?.(report);
  if (kept === undefined) console.log('unreachable'); // keeps `kept` alive up to the measure
  await client.destroy();
  redis.disconnect();
  process.exit(0);
}

async function parent(): Promise<void> {
  const members = Number(arg('members', '100000'));
  const hot = Number(arg('hot', '1000'));
  const maxPending = Number(arg('max-pending', '10000'));
  const heapLimit = arg('heap-limit', ''); // MB of old space per child, e.g. 48: does the mode fit?
  const modes = arg('modes', 'stream,paced,collect,unbounded').split(',') as Mode[];
  const redis = new Redis(6379, '127.0.0.1');
  const prefix = `athena-bench:members:${randomBytes(4).toString('hex')}:`;
  const sim = await Simulator.start({
    guilds: 2,
    shards: 1,
    seed: 'bench-members',
    identifyIntervalMs: 0,
    requestMembersCooldownMs: 0,
    replayBufferBytes: 256 * 1024,
    world: { users: members + 10, averageMembers: 5 }
  });
  const guildID = sim.world.guildIDsForShard(0, 1)[0];
  for (let i = 0; i < members; i++) sim.world.addMember(guildID, sim.world.userIDAt(i));
  const MB = (n: number) => (n / 1048576).toFixed(1);
  console.log(`guild of ${sim.world.memberIDs(guildID).length} members; hot sets ${hot}; Node ${process.version}`);
  console.log(
    '| mode | fetch | heapUsed after GC: before -> after (growth) | peak heapUsed during (garbage included) | most writes waiting | held in heap | read pauses |'
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  try {
    for (const mode of modes) {
      const proc = fork(fileURLToPath(import.meta.url), ['--child', mode], {
        execArgv: ['--expose-gc', ...(heapLimit ? [`--max-old-space-size=${heapLimit}`] : []), '--import', 'tsx'],
        env: {
          ...process.env,
          SIM_TOKEN: sim.token,
          SIM_REST_URL: sim.restURL,
          PREFIX: prefix,
          GUILD: guildID,
          HOT_SET: String(hot),
          MAX_PENDING: String(maxPending)
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc']
      });
      const exited = once(proc, 'exit');
      const answer = await Promise.race([once(proc, 'message'), exited.then(() => null)]);
      if (answer === null) {
        console.log(`| ${mode} | the child died (heap limit ${heapLimit || 'default'} MB?) | | | | | |`);
        continue;
      }
      const [r] = answer as [Report];
      await exited;
      console.log(
        `| ${r.mode} | ${r.received} members in ${r.fetchMs} ms | ${MB(r.heapBefore)} -> ${MB(r.heapAfter)} MB ` +
          `(+${MB(r.heapAfter - r.heapBefore)} MB) | ${MB(r.heapPeak)} MB | ${r.pendingMax} | ${r.members} members, ${r.users} users | ${r.pauses} |`
      );
    }
  } finally {
    await sim.close();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}
