/**
 * The remote tier, measured (docs/benchmarks.md, "Remote tier"):
 *   1. hot-set recency: Map delete+set vs an intrusive doubly linked list (ns/op, bytes/entry);
 *   2. fetchMember-style latency p50/p99 per tier: hot set, Redis (via TieredResolver), REST
 *      (a loopback HTTP server standing in for Discord);
 *   3. write-through while a world of N members loads (default 1,000,000): dispatch-rate adds into
 *      per-guild RemoteBackedCollections under a CacheBudget, writes/s and event-loop delay p99,
 *      one SET per record against batched writes (MSET without TTL, pipelined SET EX with one);
 *   4. Redis bytes per user key and per member key (MEMORY USAGE) against the raw payload.
 *
 *   npx tsx --expose-gc bench/remote.ts [--members 1000000] [--guilds 2000] [--budget 50000]
 *                                       [--only recency,latency,breakdown,bytes,writes]
 *
 * Needs Redis on 127.0.0.1:6379 for 2–4; keys use a random prefix and are deleted afterwards.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import {
  CacheBudget,
  Collection,
  RedisCacheStore,
  RemoteBackedCollection,
  RemoteWriteQueue,
  TieredResolver
} from '../src/cache/index.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MEMBERS = arg('members', 1_000_000);
/** `--only recency,latency,breakdown,bytes,writes`: run some sections (default all). */
const onlyAt = args.indexOf('--only');
const SECTIONS = new Set(
  onlyAt >= 0 ? args[onlyAt + 1].split(',') : ['recency', 'latency', 'breakdown', 'bytes', 'writes']
);
const GUILDS = arg('guilds', 2000);
const BUDGET = arg('budget', 50_000);
const gc = (globalThis as { gc?: () => void }).gc;

// ── payloads shaped like Discord's ────────────────────────────────────────────────────────────────
interface RawUser {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: string | null;
  public_flags: number;
}
interface RawMember {
  id: string;
  user: RawUser | { id: string };
  nick: string | null;
  avatar: string | null;
  roles: string[];
  joined_at: string;
  premium_since: string | null;
  deaf: boolean;
  mute: boolean;
  flags: number;
  pending: boolean;
  communication_disabled_until: string | null;
}
const snowflake = (n: number) => String(200_000_000_000_000_000n + BigInt(n) * 4_194_304n);
const hex = (n: number) => (n * 2654435761).toString(16).padStart(8, '0').repeat(4).slice(0, 32);
const rawUser = (n: number): RawUser => ({
  id: snowflake(n),
  username: `user_${n.toString(36)}`,
  discriminator: '0',
  global_name: `User ${n}`,
  avatar: hex(n),
  public_flags: n % 7 === 0 ? 64 : 0
});
const rawMember = (guild: number, n: number): RawMember => ({
  id: snowflake(n),
  user: rawUser(n),
  nick: n % 5 === 0 ? `nick${n}` : null,
  avatar: null,
  roles: [snowflake(1_000_000_000 + guild * 10), snowflake(1_000_000_000 + guild * 10 + (n % 3))],
  joined_at: new Date(1_600_000_000_000 + n * 1000).toISOString(),
  premium_since: null,
  deaf: false,
  mute: false,
  flags: 0,
  pending: false,
  communication_disabled_until: null
});

class User {
  id: string;
  username: string;
  globalName: string | null;
  avatar: string | null;
  constructor(data: RawUser) {
    this.id = data.id;
    this.username = data.username;
    this.globalName = data.global_name;
    this.avatar = data.avatar;
  }
}
class Member {
  id: string;
  roles: string[];
  nick: string | null;
  joinedAt: number;
  constructor(data: RawMember) {
    this.id = data.id;
    this.roles = data.roles;
    this.nick = data.nick;
    this.joinedAt = Date.parse(data.joined_at);
  }
  static toStored(raw: RawMember): unknown {
    return { ...raw, user: { id: raw.user.id } };
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const fmt = (ms: number) => `${ms < 1 ? (ms * 1000).toFixed(0) + ' µs' : ms.toFixed(2) + ' ms'}`;

// ── 1. recency: Map delete+set vs linked list ────────────────────────────────────────────────────
interface Node {
  key: string;
  value: object;
  prev: Node | null;
  next: Node | null;
}
class LinkedLRU {
  map = new Map<string, Node>();
  head: Node | null = null;
  tail: Node | null = null;
  constructor(readonly limit: number) {}
  get(key: string) {
    const node = this.map.get(key);
    if (!node) return undefined;
    if (node !== this.tail) {
      this.unlink(node);
      this.append(node);
    }
    return node.value;
  }
  set(key: string, value: object) {
    const node: Node = { key, value, prev: null, next: null };
    this.map.set(key, node);
    this.append(node);
    if (this.map.size > this.limit && this.head) {
      const old = this.head;
      this.unlink(old);
      this.map.delete(old.key);
    }
  }
  private unlink(node: Node) {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = node.next = null;
  }
  private append(node: Node) {
    node.prev = this.tail;
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
  }
}
class MapLRU {
  map = new Map<string, object>();
  constructor(readonly limit: number) {}
  get(key: string) {
    const value = this.map.get(key);
    if (value === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }
  set(key: string, value: object) {
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }
}

function benchRecency(): string[] {
  const capacity = 100_000;
  const ops = 3_000_000;
  const keys = Array.from({ length: capacity * 2 }, (_, i) => snowflake(i));
  const values = keys.map((id) => ({ id }));
  // A skewed access pattern: most reads hit a popular quarter.
  let seed = 12345;
  const pick = new Uint32Array(ops);
  for (let i = 0; i < ops; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    // 3 in 4 reads hit a popular quarter of the capacity, 1 in 4 anything in twice the capacity.
    pick[i] = seed % 4 === 0 ? seed % (capacity * 2) : seed % (capacity / 4);
  }
  const lines: string[] = [];
  class Entry {
    id: string;
    constructor(data: { id: string }) {
      this.id = data.id;
    }
  }
  const athena = (limit: number) => {
    const c = new Collection(Entry, limit);
    return { get: (key: string) => c.get(key), set: (_key: string, value: { id: string }) => c.set(value.id, value) };
  };
  for (const [name, make] of [
    ['exact LRU: Map delete+set on every get', () => new MapLRU(capacity)],
    ['exact LRU: linked list of nodes', () => new LinkedLRU(capacity)],
    ['Athena Collection (CLOCK / second chance)', () => athena(capacity)]
  ] as const) {
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const lru = make();
    for (let i = 0; i < capacity; i++) lru.set(keys[i], values[i]);
    gc?.();
    const bytes = (process.memoryUsage().heapUsed - before) / capacity;
    const start = performance.now();
    let misses = 0;
    for (let i = 0; i < ops; i++) {
      const k = pick[i];
      if (lru.get(keys[k]) === undefined) {
        misses++;
        lru.set(keys[k], values[k]);
      }
    }
    const ns = ((performance.now() - start) * 1e6) / ops;
    lines.push(
      `| ${name} | ${ns.toFixed(0)} ns | ${gc ? bytes.toFixed(0) : 'n/a (run with --expose-gc)'} B | ${misses.toLocaleString('en')} |`
    );
  }
  return lines;
}

// ── 2–4 need Redis ───────────────────────────────────────────────────────────────────────────────
async function withRedis<T>(run: (redis: Redis, prefix: string) => Promise<T>): Promise<T> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  const prefix = `athena-bench:${Date.now().toString(36)}:`;
  try {
    return await run(redis, prefix);
  } finally {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  }
}

async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function benchLatency(redis: Redis, prefix: string): Promise<string[]> {
  const N = 5000;
  const store = new RedisCacheStore(redis, { prefix });
  // REST stand-in: loopback HTTP answering a user payload.
  const server = createServer((req, res) => {
    const id = req.url!.split('/').pop()!;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(rawMember(1, Number((BigInt(id) - 200_000_000_000_000_000n) / 4_194_304n))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/members/`;
  try {
    const writer = new RemoteBackedCollection(Member, 0, store, 'member:1');
    for (let n = 0; n < N; n++) writer.add(rawMember(1, n));
    await writer.queue.drain();

    const load = async (id: string) => (await fetch(base + id)).json() as Promise<RawMember>;
    const time = async (ids: string[]) => {
      const samples: number[] = [];
      for (const id of ids) {
        const start = performance.now();
        await resolver.resolve(id);
        samples.push(performance.now() - start);
      }
      return samples.sort((a, b) => a - b);
    };
    const redisIds = Array.from({ length: N }, (_, n) => snowflake(n));
    // Warm-up: one untimed pass of every path (JIT, ioredis, the loopback socket) through a throwaway
    // collection, so the timed passes measure steady state rather than first compilation.
    let resolver = new TieredResolver(new RemoteBackedCollection(Member, N, store, 'member:1'), load);
    await time(redisIds);
    await time(redisIds);
    await time(Array.from({ length: 300 }, (_, n) => snowflake(2_000_000 + n)));
    for (const id of redisIds) await redis.get(store.key('member:1', id));
    resolver = new TieredResolver(new RemoteBackedCollection(Member, N, store, 'member:1'), load);
    gc?.();
    // The floor: the same keys read with a bare ioredis GET, nothing of Athena's around it.
    const floor: number[] = [];
    for (const id of redisIds) {
      const start = performance.now();
      await redis.get(store.key('member:1', id));
      floor.push(performance.now() - start);
    }
    floor.sort((a, b) => a - b);
    // Start the timed run on a clean heap: garbage left by earlier sections must not be collected inside it.
    gc?.();
    // GC pauses during the Redis-tier run: a p99 sample that overlaps one is the GC's, not Redis's.
    const pauses: number[] = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) pauses.push(entry.duration);
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    const redisTier = await time(redisIds);
    await new Promise((resolve) => setImmediate(resolve));
    gcObserver.disconnect();
    const hotTier = await time(redisIds);
    const restTier = await time(Array.from({ length: 2000 }, (_, n) => snowflake(1_000_000 + n)));
    if (resolver.stats.storeHits !== N) throw new Error(`expected ${N} store hits, got ${resolver.stats.storeHits}`);
    return [
      `| hot set | ${fmt(percentile(hotTier, 0.5))} | ${fmt(percentile(hotTier, 0.99))} | ${hotTier.length} |`,
      `| Redis floor: bare ioredis GET of the same keys | ${fmt(percentile(floor, 0.5))} | ${fmt(percentile(floor, 0.99))} | ${floor.length} |`,
      `| Redis (GET via one-id batch, JSON.parse, rebuild) | ${fmt(percentile(redisTier, 0.5))} | ${fmt(percentile(redisTier, 0.99))} | ${redisTier.length} |`,
      `| (GC during the Redis-tier run: ${pauses.length} pauses, ${pauses.reduce((a, b) => a + b, 0).toFixed(1)} ms in all, longest ${fmt(Math.max(0, ...pauses))}) | | | |`,
      `| REST (loopback HTTP, after a Redis miss) | ${fmt(percentile(restTier, 0.5))} | ${fmt(percentile(restTier, 0.99))} | ${restTier.length} |`
    ];
  } finally {
    server.close();
  }
}

interface WriteMode {
  name: string;
  batchSize: number;
  ttlSeconds?: number;
}
const WRITE_MODES: WriteMode[] = [
  { name: 'one SET per record (batchSize 1)', batchSize: 1 },
  { name: 'MSET batches of 500 (no TTL)', batchSize: 500 },
  { name: 'pipelined SET EX batches of 500 (ttlSeconds 86,400)', batchSize: 500, ttlSeconds: 86_400 }
];

/**
 * Where the Redis-tier tail comes from: the same 5,000 keys read through each layer in turn, from a
 * bare GET up to the full resolver, twice (the first round cold: JIT and socket warm-up; the second
 * warm). If the bare GET's p99 moves as much as the resolver's between rounds, the tail is the
 * machine's (scheduling, other processes), not a layer's.
 */
async function benchLatencyBreakdown(redis: Redis, prefix: string): Promise<string[]> {
  const N = 5000;
  const store = new RedisCacheStore(redis, { prefix });
  const ids = Array.from({ length: N }, (_, n) => snowflake(n));
  await store.setEntities(
    ids.map((id, n) => ({ namespace: 'm', id, value: JSON.stringify(Member.toStored(rawMember(1, n))) }))
  );
  const key = (id: string) => store.key('m', id);
  const lines: string[] = [];
  const run = async (round: string, name: string, read: (id: string) => Promise<unknown>) => {
    const samples: number[] = [];
    for (const id of ids) {
      const start = performance.now();
      await read(id);
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    const p = (q: number) => fmt(percentile(samples, q));
    lines.push(`| ${round} | ${name} | ${p(0.5)} | ${p(0.99)} | ${p(0.999)} |`);
  };
  for (const round of ['cold', 'warm']) {
    gc?.();
    await run(round, 'ioredis GET', (id) => redis.get(key(id)));
    await run(round, 'ioredis MGET of one key', (id) => redis.mget(key(id)));
    await run(round, 'setImmediate, then MGET', async (id) => {
      await new Promise((resolve) => setImmediate(resolve));
      return redis.mget(key(id));
    });
    await run(round, 'RedisCacheStore.getEntities', (id) => store.getEntities('m', [id]));
    const bare = new RemoteBackedCollection(Member, 0, store, 'm');
    await run(round, '+ JSON.parse, shape check, rebuild', (id) => bare.getManyRemote([id]));
    const resolver = new TieredResolver(new RemoteBackedCollection(Member, N, store, 'm'), async () => null);
    await run(round, '+ TieredResolver (batch per tick, in-flight map, timeout, hot-set insert)', (id) =>
      resolver.resolve(id)
    );
  }
  return lines;
}

async function benchWriteThrough(redis: Redis, prefix: string, mode: WriteMode): Promise<string[]> {
  const store = new RedisCacheStore(redis, { prefix, ttlSeconds: mode.ttlSeconds });
  const queue = new RemoteWriteQueue(store, { maxPending: 100_000, batchSize: mode.batchSize });
  const budget = new CacheBudget(BUDGET);
  const guilds = Array.from(
    { length: GUILDS },
    (_, g) => new RemoteBackedCollection(Member, undefined, store, `member:${snowflake(g)}`, { budget, queue })
  );
  const perGuild = Math.ceil(MEMBERS / GUILDS);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  // Dispatch arrives in bursts: 1,000 member payloads per event-loop turn (a GUILD_MEMBERS_CHUNK).
  let added = 0;
  for (let g = 0; g < GUILDS && added < MEMBERS; g++) {
    for (let n = 0; n < perGuild && added < MEMBERS; n++, added++) {
      guilds[g].add(rawMember(g, g * perGuild + n));
      if (added % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const dispatchMs = performance.now() - start;
  await queue.drain();
  const totalMs = performance.now() - start;
  delay.disable();
  const heapAfter = process.memoryUsage().heapUsed;
  const c = queue.counters;
  const held = guilds.reduce((sum, col) => sum + col.size, 0);
  return [
    `${added.toLocaleString('en')} in ${GUILDS.toLocaleString('en')} guilds`,
    `${(dispatchMs / 1000).toFixed(2)} s (${Math.round(added / (dispatchMs / 1000)).toLocaleString('en')}/s)`,
    `${(totalMs / 1000).toFixed(2)} s (${Math.round(c.flushed / (totalMs / 1000)).toLocaleString('en')} writes/s)`,
    `${c.flushed.toLocaleString('en')} / ${c.dropped.toLocaleString('en')} / ${c.errors}`,
    `${queue.batches.toLocaleString('en')}`,
    `${(c.bytesWritten / 1e6).toFixed(1)} MB`,
    `${(delay.percentile(50) / 1e6).toFixed(1)} / ${(delay.percentile(99) / 1e6).toFixed(1)} / ${(delay.max / 1e6).toFixed(1)} ms`,
    `${held.toLocaleString('en')}, heap +${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB`
  ];
}

const WRITE_ROWS = [
  'members added',
  'dispatch time (adds, 1,000 per turn)',
  'until Redis acknowledged every write',
  'writes flushed / dropped / errors',
  'store operations (batches)',
  'bytes written',
  'event-loop delay p50 / p99 / max',
  `hot set held (budget ${BUDGET.toLocaleString('en')})`
];

async function benchMemoryUsage(redis: Redis, prefix: string): Promise<string[]> {
  const store = new RedisCacheStore(redis, { prefix });
  const queue = new RemoteWriteQueue(store);
  const users = new RemoteBackedCollection(User, 0, store, 'user', { queue });
  const members = new RemoteBackedCollection(Member, 0, store, 'member:7', { queue });
  const raw = new RemoteBackedCollection(User, 0, store, 'rawmember', { queue });
  const sample = 1000;
  for (let n = 0; n < sample; n++) {
    users.add(rawUser(n));
    members.add(rawMember(7, n));
    raw.writeRaw(snowflake(n), rawMember(7, n));
  }
  await queue.drain();
  const usage = async (namespace: string) => {
    let total = 0;
    for (let n = 0; n < sample; n++) total += Number(await redis.memory('USAGE', store.key(namespace, snowflake(n))));
    return total / sample;
  };
  const [u, m, r] = [await usage('user'), await usage('member:7'), await usage('rawmember')];
  const len = (v: unknown) => JSON.stringify(v).length;
  return [
    `| user key | ${u.toFixed(0)} B | ${len(rawUser(1))} B JSON |`,
    `| member key (user stored as { id }) | ${m.toFixed(0)} B | ${len(Member.toStored(rawMember(7, 1)))} B JSON |`,
    `| member key with the user embedded (raw payload, for comparison) | ${r.toFixed(0)} B | ${len(rawMember(7, 1))} B JSON |`,
    `| one member + its user, stored once each vs embedded | ${(m + u).toFixed(0)} B for the first guild, +${m.toFixed(0)} B per further guild | vs +${r.toFixed(0)} B per guild |`
  ];
}

console.log(`node ${process.version}, ${new Date().toISOString()}`);
if (SECTIONS.has('recency')) {
  console.log('\n### Hot-set recency (100,000 entries, 3,000,000 skewed get-or-add ops)\n');
  console.log('| structure | per op | heap per entry | misses |\n|---|---|---|---|');
  for (const line of benchRecency()) console.log(line);
}
await withRedis(async (redis, prefix) => {
  if (SECTIONS.has('latency')) {
    console.log('\n### fetchMember latency per tier (sequential awaits, Redis on loopback)\n');
    console.log('| tier | p50 | p99 | samples |\n|---|---|---|---|');
    for (const line of await benchLatency(redis, `${prefix}lat:`)) console.log(line);
  }
  if (SECTIONS.has('breakdown')) {
    console.log('\n### Redis-tier latency, layer by layer (sequential awaits, 5,000 keys per row)\n');
    console.log('| round | path | p50 | p99 | p99.9 |\n|---|---|---|---|---|');
    for (const line of await benchLatencyBreakdown(redis, `${prefix}brk:`)) console.log(line);
  }
  if (SECTIONS.has('bytes')) {
    console.log('\n### Redis bytes per key (MEMORY USAGE, mean of 1,000)\n');
    console.log('| key | Redis | payload |\n|---|---|---|');
    for (const line of await benchMemoryUsage(redis, `${prefix}mem:`)) console.log(line);
  }
  if (!SECTIONS.has('writes')) return;
  console.log(`\n### Write-through while a ${MEMBERS.toLocaleString('en')}-member world loads\n`);
  const columns: string[][] = [];
  for (const [i, mode] of WRITE_MODES.entries()) {
    columns.push(await benchWriteThrough(redis, `${prefix}load${i}:`, mode));
    // A million keys each: free them before the next mode so Redis holds one world at a time.
    await deletePrefix(redis, `${prefix}load${i}:`);
    gc?.();
  }
  console.log(
    `| measure | ${WRITE_MODES.map((m) => m.name).join(' | ')} |\n|---|${WRITE_MODES.map(() => '---|').join('')}`
  );
  for (const [r, row] of WRITE_ROWS.entries()) console.log(`| ${row} | ${columns.map((col) => col[r]).join(' | ')} |`);
});
