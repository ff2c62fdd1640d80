/**
 * Whole member lists at fleet scale, against the simulator and Redis:
 *
 * - a 40,000-member guild streamed with `guild.fetchAllMembers()` into members/users collections
 *   backed by Redis with hot sets of 1,000 (in a child process run with --expose-gc): Redis holds
 *   every member, the hot sets never pass 1,000, heapUsed after GC does not grow by the guild, and
 *   the writes waiting for Redis stay bounded (a BackpressureMonitor watching the write queue);
 * - two clients sharing RedisMemberRequestSlots ask for the same guild at once: the second is
 *   scheduled after the cooldown instead of being refused, and both get every member;
 * - a RATE_LIMITED answer (a request sent around the slots) is waited out and retried.
 *
 * The simulator's cooldown is scaled from Discord's 30 s to 1.5 s; the slots use the same.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import {
  Client,
  GuildMembersRateLimitedError,
  LocalMemberRequestSlots,
  MemberChunkScheduler,
  RedisMemberRequestSlots
} from '../../src/index.js';
import { Simulator } from '../../src/testing/index.js';
import { dropPrefix, REDIS_SKIP, redisOrNull, uniquePrefix } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/memberStreamChild.ts', import.meta.url));
const LARGE = 40_000;
const HOT_SET = 1000;
const MAX_PENDING = 4000;
const COOLDOWN = 1500;

/** A simulator whose first guild has `members` members (users 0..members-1 of the pool). */
async function simWithGuild(members: number, seed: string): Promise<{ sim: Simulator; guildID: string }> {
  const sim = await Simulator.start({
    guilds: 2,
    shards: 1,
    seed,
    identifyIntervalMs: 0,
    requestMembersCooldownMs: COOLDOWN,
    // Keep the simulator's replay buffer small: it is not what this test measures.
    replayBufferBytes: 256 * 1024,
    world: { users: members + 10, averageMembers: 5 }
  });
  const guildID = sim.world.guildIDsForShard(0, 1)[0];
  for (let i = 0; i < members; i++) sim.world.addMember(guildID, sim.world.userIDAt(i));
  return { sim, guildID };
}

async function readyClient(sim: Simulator, options: ConstructorParameters<typeof Client>[1] = {}): Promise<Client> {
  const client = new Client(sim.token, {
    rest: { baseURL: sim.restURL },
    intents: ['Guilds', 'GuildMembers'],
    messageLimit: 0,
    ...options
  });
  const ready = once(client, 'ready');
  await client.connect();
  await ready;
  return client;
}

describe('member chunking at fleet scale', { timeout: 120_000 }, () => {
  let redis: Redis | null = null;
  const prefixes: string[] = [];

  before(async () => {
    redis = await redisOrNull();
  });
  after(async () => {
    if (redis) {
      for (const prefix of prefixes) await dropPrefix(redis, prefix);
      redis.disconnect();
    }
  });

  test('a 40,000-member guild streams into Redis with a 1,000 hot set; heap does not grow by the guild', async (t) => {
    if (!redis) {
      t.skip(REDIS_SKIP);
      return;
    }
    const prefix = uniquePrefix('member-stream');
    prefixes.push(prefix);
    const { sim, guildID } = await simWithGuild(LARGE, 'member-stream');
    const expected = new Set(sim.world.memberIDs(guildID));
    const child: ChildProcess = fork(CHILD, [], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: {
        ...process.env,
        SIM_TOKEN: sim.token,
        SIM_REST_URL: sim.restURL,
        PREFIX: prefix,
        GUILD: guildID,
        HOT_SET: String(HOT_SET),
        MAX_PENDING: String(MAX_PENDING)
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    });
    try {
      const [ready] = (await once(child, 'message')) as [{ type: string; guilds: number }];
      assert.equal(ready.type, 'ready');
      child.send({ type: 'fetch' });
      const [report] = (await once(child, 'message')) as [
        {
          received: number;
          fetchMs: number;
          chunkEvents: number;
          membersMax: number;
          usersMax: number;
          heapBefore: number;
          heapAfter: number;
          pendingMax: number;
          readPauses: number;
          writes: { flushed: number; dropped: number; errors: number };
        }
      ];
      const growth = report.heapAfter - report.heapBefore;
      console.log(
        `member stream: ${report.received} members in ${report.chunkEvents} chunks, ${report.fetchMs} ms; ` +
          `hot sets max ${report.membersMax} members / ${report.usersMax} users; heapUsed after GC ` +
          `${(report.heapBefore / 1e6).toFixed(1)} -> ${(report.heapAfter / 1e6).toFixed(1)} MB ` +
          `(${(growth / 1e6).toFixed(2)} MB); writes flushed ${report.writes.flushed}, dropped ${report.writes.dropped}; ` +
          `most waiting ${report.pendingMax} (${report.readPauses} read pauses)`
      );
      assert.equal(report.received, expected.size, 'every member received');
      assert.equal(report.chunkEvents, Math.ceil(expected.size / 1000));
      assert.ok(report.membersMax <= HOT_SET, `member hot set ${report.membersMax} <= ${HOT_SET}`);
      assert.ok(report.usersMax <= HOT_SET, `user hot set ${report.usersMax} <= ${HOT_SET}`);
      assert.equal(report.writes.dropped, 0);
      // 80,000 writes (a member and a user each); the backlog stayed a fraction of them.
      assert.ok(report.pendingMax < 20_000, `at most ${report.pendingMax} writes waited for Redis`);
      assert.equal(report.writes.errors, 0);

      // Redis holds every member of the guild: one key per member, nothing missing.
      const stored = new Set<string>();
      const pattern = `${prefix}member:${guildID}:*`;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
        cursor = next;
        for (const key of keys) stored.add(key.slice(key.lastIndexOf(':') + 1));
      } while (cursor !== '0');
      assert.equal(stored.size, expected.size, 'one member key per member');
      for (const id of expected) assert.ok(stored.has(id), `member ${id} in Redis`);

      // The whole guild in heap would take ~330 B per member (an ~130 B Member and its ~200 B User,
      // docs/benchmarks.md): 13 MB here. Streaming keeps the growth to the hot sets and their tables.
      const guildInHeap = expected.size * 330;
      assert.ok(growth < guildInHeap / 4, `heap grew ${(growth / 1e6).toFixed(2)} MB (guild: ${guildInHeap / 1e6} MB)`);
    } finally {
      child.send({ type: 'exit' });
      await once(child, 'exit');
      await sim.close();
    }
  });

  test('two clients asking for the same guild within the cooldown: the second is scheduled, both complete', async (t) => {
    if (!redis) {
      t.skip(REDIS_SKIP);
      return;
    }
    const prefix = uniquePrefix('member-slots');
    prefixes.push(prefix);
    const { sim, guildID } = await simWithGuild(3000, 'member-slots');
    const clients: Client[] = [];
    const connections: Redis[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        // Each client has its own Redis connection, as two processes would.
        const connection = redis.duplicate();
        connection.on('error', () => {});
        connections.push(connection);
        const slots = new RedisMemberRequestSlots(connection, { prefix, cooldownMs: COOLDOWN, marginMs: 200 });
        const client = await readyClient(sim, { memberRequestSlots: slots });
        clients.push(client);
      }
      const rateLimited: Error[] = [];
      for (const client of clients) {
        for (const shard of client.shards.shards.values())
          shard.on('guildMembersRateLimited', (e) => rateLimited.push(e));
      }
      const started = Date.now();
      const done: number[] = [];
      const results = await Promise.all(
        clients.map(async (client) => {
          const result = await client.fetchAllMembers(guildID);
          done.push(Date.now() - started);
          return result;
        })
      );
      const expected = sim.world.memberIDs(guildID).length;
      for (const [i, result] of results.entries()) {
        assert.equal(result.received, expected, `client ${i} received every member`);
        assert.equal(result.members.length, 0, 'streamed: nothing collected');
        assert.equal(clients[i].guilds.get(guildID)?.members.size, expected, `client ${i} cached every member`);
      }
      done.sort((a, b) => a - b);
      console.log(`two clients, one guild: done after ${done[0]} ms and ${done[1]} ms`);
      assert.deepEqual(rateLimited, [], 'no RATE_LIMITED: the second request waited for the slot');
      assert.ok(done[1] >= COOLDOWN, `the second completed after the cooldown (${done[1]} ms)`);
      const waited = clients.map((c) => (c.memberChunks.slots as RedisMemberRequestSlots).stats.waited);
      assert.deepEqual(waited.sort(), [0, 1], 'exactly one of the two waited for the slot');
    } finally {
      for (const client of clients) await client.destroy();
      for (const connection of connections) connection.disconnect();
      await sim.close();
    }
  });

  test('RATE_LIMITED from the gateway is waited out and the request retried', async () => {
    const { sim, guildID } = await simWithGuild(2500, 'member-retry');
    const client = await readyClient(sim, {
      memberRequestSlots: new LocalMemberRequestSlots({ cooldownMs: COOLDOWN, marginMs: 200 })
    });
    try {
      // A request around the slots takes the guild's cooldown at the gateway...
      const first = await client.requestGuildMembers(guildID, { stream: true });
      assert.equal(first.received, 2501);
      // ...so the scheduled one, whose slot is free, is answered RATE_LIMITED, waits and retries.
      const started = Date.now();
      const result = await client.fetchAllMembers(guildID);
      const elapsed = Date.now() - started;
      assert.equal(result.received, 2501);
      const stats = client.memberChunks.stats;
      assert.equal(stats.rateLimited, 1, 'one RATE_LIMITED');
      assert.equal(stats.requests, 2, 'sent again after retry_after');
      assert.equal(stats.completed, 1);
      assert.ok(elapsed >= COOLDOWN - 300, `retried after retry_after (${elapsed} ms)`);

      // With no retries allowed the typed error reaches the caller.
      const scheduler = new MemberChunkScheduler(client.shards);
      await client.requestGuildMembers(guildID, { stream: true }).catch(() => {});
      await assert.rejects(scheduler.fetchAllMembers(guildID, { maxRetries: 0 }), GuildMembersRateLimitedError);
    } finally {
      await client.destroy();
      await sim.close();
    }
  });
});
