/**
 * Reshard without a flush, against the simulator and Redis: a set of 2 shards runs with users and
 * members written through to Redis; a second set of 4 shards (same store, same identify
 * coordinator prefix, its own session layout) identifies and gets ready while the first still
 * runs; then the first stops. Checked:
 *
 * - the simulator's log: every identify of the 4-shard set was accepted before the 2-shard set's
 *   sessions closed (they were still connected when the new set was ready), and the new set
 *   resumed none of the old sessions;
 * - no cache key in Redis carries a shard id (only `user:<id>` and `member:<guild>:<id>`);
 * - the cache read through the store agrees with the world after member changes made while both
 *   sets ran and after the switch.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Redis } from 'ioredis';
import {
  Client,
  Member,
  RedisCacheStore,
  RedisIdentifyCoordinator,
  RedisSessionStore,
  RemoteBackedCollection,
  RemoteWriteQueue,
  User
} from '../../src/index.js';
import type { Simulator } from '../../src/testing/index.js';
import {
  dropPrefix,
  eventually,
  REDIS_SKIP,
  redisOrNull,
  sessionStartLimitOf,
  startSim,
  uniquePrefix,
  WINDOW
} from './helpers.js';

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

interface ShardSet {
  client: Client;
  queue: RemoteWriteQueue;
  store: RedisCacheStore;
  sessions: RedisSessionStore;
  connection: Redis;
  ready: Promise<void>;
}

/** One shard set: a Client over all `shardCount` shards, the shared cache and coordinator prefixes. */
function shardSet(sim: Simulator, shardCount: number, prefixes: { cache: string; fleet: string }): ShardSet {
  const connection = redis!.duplicate();
  connection.on('error', () => {});
  const store = new RedisCacheStore(connection, { prefix: prefixes.cache });
  const queue = new RemoteWriteQueue(store);
  const sessions = new RedisSessionStore(connection, {
    botID: sim.world.botUser.id,
    shardCount,
    prefix: prefixes.fleet
  });
  const coordinator = new RedisIdentifyCoordinator(connection, {
    maxConcurrency: 4,
    prefix: prefixes.fleet,
    window: WINDOW,
    marginMs: 300,
    gatherMs: 100,
    pollMs: 20,
    sessionStartLimit: sessionStartLimitOf(sim)
  });
  const client = new Client(sim.token, {
    rest: { baseURL: sim.restURL },
    maxShards: shardCount,
    intents: ['Guilds', 'GuildMembers'],
    messageLimit: 0,
    guildCreateTimeout: 500,
    identifyQueue: coordinator,
    sessionStore: sessions,
    cache: {
      remoteStore: store,
      users: () => new RemoteBackedCollection(User, 300, store, 'user', { queue }),
      // 'always': a member update rewrites the record, so the store follows the gateway.
      members: (guild) =>
        new RemoteBackedCollection(Member, 50, store, `member:${guild.id}`, { queue, writeThrough: 'always' })
    }
  });
  client.on('error', () => {});
  const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
  return { client, queue, store, sessions, connection, ready };
}

test('reshard 2 -> 4 shards: new set ready before the old one stops, no shard in any key, store consistent', {
  timeout: 90_000
}, async (t) => {
  if (!redis) {
    t.skip(REDIS_SKIP);
    return;
  }
  const cache = uniquePrefix('reshard-cache');
  const fleet = uniquePrefix('reshard-fleet');
  prefixes.push(cache, fleet);
  const sim = await startSim({ guilds: 120, shards: 2, heartbeatInterval: 2000, world: { averageMembers: 20 } });
  const sets: ShardSet[] = [];
  try {
    const old = shardSet(sim, 2, { cache, fleet });
    sets.push(old);
    await old.client.connect();
    await old.ready;
    await sim.traffic.run({ events: 300, mix: { memberUpdate: 3, memberAdd: 1 } });

    // The new layout starts while the old one runs, and both receive the same guilds' events.
    const next = shardSet(sim, 4, { cache, fleet });
    sets.push(next);
    await next.client.connect();
    await next.ready;
    assert.equal(next.client.guilds.size, 120, 'the new set holds every guild');
    const oldSessions = sim.stats.sessions().filter((s) => s.shard[1] === 2);
    assert.equal(oldSessions.length, 2);
    assert.ok(
      oldSessions.every((s) => s.connected),
      'the old set was still connected when the new one was ready'
    );
    await sim.traffic.run({ events: 300, mix: { memberUpdate: 3, memberAdd: 1 } });

    // Switch: the old set stops.
    const switchAt = Date.now();
    await old.queue.drain();
    await old.client.destroy();
    await eventually(
      () => sim.stats.sessions().every((s) => s.shard[1] !== 2 || !s.connected),
      5000,
      'old sessions closed'
    );
    const touched = await sim.traffic.run({ events: 300, mix: { memberUpdate: 3, memberAdd: 1 } });
    assert.ok(touched.emitted > 250);

    // Identify log: the new set's four identifies, all accepted, all before the switch.
    const newIdentifies = sim.stats.identifies.filter((r) => r.shard[1] === 4);
    assert.deepEqual(newIdentifies.map((r) => r.shard[0]).sort(), [0, 1, 2, 3]);
    assert.ok(newIdentifies.every((r) => r.accepted && r.at < switchAt));
    assert.ok(
      sim.stats.identifies.filter((r) => r.shard[1] === 2).every((r) => r.at < newIdentifies[0].at),
      'the old set identified first'
    );
    assert.equal(sim.stats.resumes.length, 0, 'no session of the old layout was resumed');

    // Wait until the new set has seen the last event, then until Redis acknowledged its writes.
    await eventually(
      () =>
        sim.stats
          .sessions()
          .filter((s) => s.shard[1] === 4)
          .every((s) => next.client.shards.shards.get(s.shard[0])?.seq === s.seq),
      10_000,
      'the new set caught up'
    );
    await next.queue.drain();

    // No cache key carries a shard id: only users by id and members by (guild, user).
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [nextCursor, batch] = await redis.scan(cursor, 'MATCH', `${cache}*`, 'COUNT', 2000);
      cursor = nextCursor;
      keys.push(...batch);
    } while (cursor !== '0');
    assert.ok(keys.length > 1000, `the store holds the cache (${keys.length} keys)`);
    const shapes = keys.map((k) => k.slice(cache.length)).filter((k) => !/^(user:\d+|member:\d+:\d+)$/.test(k));
    assert.deepEqual(shapes, [], 'every key is user:<id> or member:<guild>:<id>');

    // The session keys are the only per-shard ones, per layout: the new set's under shard count 4.
    const sessionKeys = await redis.keys(`${fleet}session:*`);
    for (let shard = 0; shard < 4; shard++) {
      assert.ok(sessionKeys.includes(`${fleet}session:${sim.world.botUser.id}:4:${shard}`), `session of 4:${shard}`);
    }

    // Consistency: every member in the store (read through the new set's store) matches the world.
    const memberKeys = keys.filter((k) => k.startsWith(`${cache}member:`));
    let compared = 0;
    const wrong: string[] = [];
    for (const key of memberKeys) {
      const [, guildID, userID] = key.slice(cache.length).split(':');
      const text = await next.store.getEntity(`member:${guildID}`, userID);
      const stored = text === null ? null : (JSON.parse(text) as { nick?: string | null });
      const actual = sim.world.getMember(guildID, userID);
      if (!actual) continue; // left the guild meanwhile
      compared++;
      if ((stored?.nick ?? null) !== (actual.nick ?? null)) {
        wrong.push(`${guildID}/${userID}: store ${stored?.nick} world ${actual.nick}`);
      }
    }
    assert.ok(compared > 500, `compared ${compared} members`);
    assert.deepEqual(wrong, [], 'store and world agree');
    // And the new set's own reads go through the same keys.
    const guild = [...next.client.guilds.values()][0];
    const someone = sim.world.memberIDs(guild.id).find((id) => id !== sim.world.botUser.id)!;
    const member = await next.client.fetchMember(guild, someone);
    assert.equal(member?.nick ?? null, sim.world.getMember(guild.id, someone)?.nick ?? null);
  } finally {
    for (const set of sets) {
      await set.client.destroy();
      set.connection.disconnect();
    }
    await sim.close();
  }
});
