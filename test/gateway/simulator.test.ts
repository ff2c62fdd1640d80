/**
 * The gateway client against the real Simulator (src/testing): the identify bucket rule over 16
 * shards, 200 random faults while reactions stream with an exactly-once-in-seq-order proof against
 * the simulator's seq log, fatal close codes, op 8 with RATE_LIMITED, and no token anywhere.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { GatewayFatalError, GuildMembersRateLimitedError, type ShardManager } from '../../src/gateway/index.js';
import { Simulator } from '../../src/testing/index.js';
import { Intents } from '../../src/util/constants.js';
import { type Delivered, disconnectAll, harness } from './helpers/harness.js';
import { waitFor } from './helpers/MiniGateway.js';

const TOKEN = 'sim-token-7f3a9c21e5';

/** What the Client does first: GET /gateway/bot on the REST base URL. */
async function gatewayBot(sim: Simulator) {
  const response = await fetch(`${sim.restURL}/gateway/bot`, { headers: { Authorization: `Bot ${TOKEN}` } });
  assert.equal(response.status, 200);
  const body = (await response.json()) as {
    url: string;
    shards: number;
    session_start_limit: { max_concurrency: number };
  };
  return { url: body.url, shards: body.shards, maxConcurrency: body.session_start_limit.max_concurrency };
}

function allReady(manager: ShardManager): Promise<void> {
  return new Promise((resolve) => {
    if (manager.ready) resolve();
    else manager.once('ready', resolve);
  });
}

describe('gateway client against the Simulator', () => {
  after(() => disconnectAll());
  test('16 shards with max_concurrency 4 reach ready; the identify log proves the bucket rule', async () => {
    const interval = 300;
    const sim = await Simulator.start({
      guilds: 160,
      seed: 'buckets',
      token: TOKEN,
      shards: 16,
      maxConcurrency: 4,
      identifyIntervalMs: interval
    });
    const h = harness(TOKEN, {
      intents: ['Guilds', 'GuildMessageReactions'],
      compress: 'zlib-stream',
      // The simulator measures on arrival, and here it shares one event loop with 16 shards inflating
      // GUILD_CREATEs: the margin absorbs that processing delay (Discord's window is 5000 ms).
      identifyWindow: interval + 200
    });
    try {
      const info = await gatewayBot(sim);
      assert.equal(info.shards, 16);
      assert.equal(info.maxConcurrency, 4);
      const ready = allReady(h.manager);
      await h.manager.connect(info);
      await ready;
      assert.equal(h.manager.shards.size, 16);
      for (const shard of h.manager.shards.values()) {
        assert.equal(shard.status, 'ready');
        assert.equal(shard.pendingGuilds.size, 0, `shard ${shard.id} received all its guilds`);
      }
      const identifies = sim.stats.identifies;
      const log = identifies
        .map((r) => `shard ${r.shard[0]} bucket ${r.bucket} at ${r.at} ${r.reason ?? 'ok'}`)
        .join('; ');
      assert.equal(identifies.length, 16, log);
      assert.ok(
        identifies.every((r) => r.accepted),
        `no identify refused: ${log}`
      );
      const byBucket = sim.stats.identifiesByBucket();
      assert.deepEqual([...byBucket.keys()].sort(), [0, 1, 2, 3]);
      for (const [bucket, times] of byBucket) {
        assert.equal(times.length, 4, `bucket ${bucket}`);
        for (let i = 1; i < times.length; i++) {
          assert.ok(times[i] - times[i - 1] >= interval, `bucket ${bucket}: ${times[i] - times[i - 1]} ms apart`);
        }
      }
      // Which shard of a bucket takes its next slot depends on when its HELLO arrived (socket
      // timing); the rule itself is per bucket: every shard once, slots a window apart (above).
      assert.deepEqual(
        identifies.map((r) => r.shard[0]).sort((x, y) => x - y),
        Array.from({ length: 16 }, (_, i) => i),
        'every shard identified exactly once'
      );
      const guildCreates = h.delivered.filter((x) => x.t === 'GUILD_CREATE').length;
      assert.equal(guildCreates, 160);
      assert.ok(!h.transcript().includes(TOKEN));
    } finally {
      h.manager.disconnect();
      await sim.close();
    }
  });

  test('200 faults of every kind over 4 shards while reactions stream: every dispatch once, in seq order', async () => {
    const sim = await Simulator.start({
      guilds: 40,
      seed: 'faults',
      token: TOKEN,
      shards: 4,
      maxConcurrency: 4,
      identifyIntervalMs: 20,
      heartbeatInterval: 120,
      reconnectGraceMs: 100
    });
    const h = harness(TOKEN, {
      intents: ['Guilds', 'GuildMessageReactions', 'GuildMembers'],
      compress: 'zstd-stream',
      identifyWindow: 40,
      invalidSessionDelay: [5, 20],
      reconnectDelay: () => 5,
      connectionTimeout: 3000
    });
    const rng = seeded(7);
    try {
      const ready = allReady(h.manager);
      await h.manager.connect(await gatewayBot(sim));
      await ready;
      const traffic = sim.traffic.run({ events: 1_000_000, rate: 1500, mix: { reaction: 10, memberUpdate: 1 } });
      const kinds = [
        'drop',
        'reconnect',
        'invalidResumable',
        'invalidSession',
        'zombie',
        'malformed',
        'reconnectBeforeHello'
      ] as const;
      const hits: Record<(typeof kinds)[number], number> = {
        drop: 0,
        reconnect: 0,
        invalidResumable: 0,
        invalidSession: 0,
        zombie: 0,
        malformed: 0,
        reconnectBeforeHello: 0
      };
      for (let i = 0; i < 200; i++) {
        const kind = kinds[Math.floor(rng() * kinds.length)];
        const shardID = Math.floor(rng() * 4);
        const shard = h.manager.shards.get(shardID)!;
        // Inject into a live session, so every fault lands (a fault on a closed socket tests nothing).
        await waitFor(() => shard.status === 'ready', 5000, `shard ${shardID} ready before fault ${i}`);
        const target = { shard: shardID };
        let hit = 1;
        if (kind === 'drop') hit = sim.faults.drop(target);
        else if (kind === 'reconnect') hit = sim.faults.reconnect(target);
        else if (kind === 'invalidResumable') hit = sim.faults.invalidSession(target, true);
        else if (kind === 'invalidSession') hit = sim.faults.invalidSession(target, false);
        else if (kind === 'zombie') hit = sim.faults.withholdHeartbeatAcks(target);
        else if (kind === 'malformed') hit = sim.faults.malformedFrame(target);
        else {
          sim.faults.reconnectBeforeHello(1);
          sim.faults.drop(target);
        }
        if (hit > 0) hits[kind]++;
        await new Promise((resolve) => setTimeout(resolve, 5 + rng() * 25));
      }
      sim.traffic.stop();
      await traffic;

      // Settle: every shard ready and caught up with its session's last seq.
      await waitFor(
        () =>
          [...h.manager.shards.values()].every((shard) => {
            const summary = shard.sessionID ? sim.stats.session(shard.sessionID) : undefined;
            return shard.status === 'ready' && summary !== undefined && shard.seq === summary.seq;
          }),
        10_000,
        'all shards caught up'
      );
      for (const kind of kinds) assert.ok(hits[kind] > 0, `fault ${kind} was injected`);

      const bySession = new Map<string, Delivered[]>();
      for (const x of h.delivered) {
        assert.ok(x.session, 'every dispatch belongs to a session');
        let list = bySession.get(x.session);
        if (!list) bySession.set(x.session, (list = []));
        list.push(x);
      }
      let missingFromInvalidated = 0;
      let invalidatedSessions = 0;
      let total = 0;
      for (const [sessionID, list] of bySession) {
        const summary = sim.stats.session(sessionID);
        assert.ok(summary, `simulator knows session ${sessionID}`);
        const types = sim.stats.dispatchTypes(sessionID);
        // Exactly once, in order, no gaps: the client's seqs are 1..k.
        list.forEach((x, i) => {
          assert.equal(x.s, i + 1, `session ${sessionID}: dispatch #${i} has seq ${x.s}`);
          assert.equal(x.t, types[x.s - 1], `session ${sessionID} seq ${x.s} is ${types[x.s - 1]}`);
        });
        total += list.length;
        if (summary.resumable) {
          assert.equal(list.length, summary.seq, `live session ${sessionID} delivered completely`);
        } else {
          invalidatedSessions++;
          missingFromInvalidated += summary.seq - list.length;
        }
      }
      const invalidations = [...h.manager.shards.values()].reduce((n, s) => n + s.stats.invalidatedSessions, 0);
      assert.ok(invalidatedSessions <= invalidations + hits.invalidSession, 'only invalidated sessions may miss');
      const reactions = h.delivered.filter((x) => x.t === 'MESSAGE_REACTION_ADD' || x.t === 'MESSAGE_REACTION_REMOVE');
      assert.ok(reactions.length > 100, `reactions streamed (${reactions.length})`);
      const stats = [...h.manager.shards.values()].map((s) => s.stats);
      // A malformed frame still in flight when the next fault drops its connection never reaches the
      // client, so only "some were counted" is certain, not one per injection.
      assert.ok(stats.reduce((n, s) => n + s.malformed, 0) > 0, 'malformed frames counted');
      assert.ok(stats.reduce((n, s) => n + s.zombieCloses, 0) > 0, 'zombies detected');
      console.log(
        `faults ${JSON.stringify(hits)}; ${bySession.size} sessions, ${total} dispatches delivered; ` +
          `${invalidatedSessions} sessions ended by op 9 d:false / session-ending close, ${missingFromInvalidated} dispatches they never delivered`
      );
      assert.ok(!h.transcript().includes(TOKEN));
    } finally {
      sim.traffic.stop();
      h.manager.disconnect();
      await sim.close();
    }
  });

  test('fatal close codes end in a typed error and no reconnect loop; the token appears nowhere', async () => {
    const sim = await Simulator.start({ guilds: 4, seed: 'fatal', token: TOKEN, privilegedIntents: 0 });
    try {
      const cases: { token: string; intents: number; code: number }[] = [
        { token: 'wrong-token-5d1e88', intents: Intents.Guilds, code: 4004 },
        { token: TOKEN, intents: Intents.Guilds | (1 << 17), code: 4013 },
        { token: TOKEN, intents: Intents.Guilds | Intents.GuildMembers, code: 4014 }
      ];
      const { url } = await gatewayBot(sim);
      for (const c of cases) {
        const h = harness(c.token, { maxShards: 1, intents: c.intents });
        h.manager.on('debug', () => {});
        const before = sim.stats.identifies.length;
        await h.manager.connect({ url });
        await waitFor(() => h.errors.length > 0, 3000, `fatal ${c.code}`);
        await new Promise((resolve) => setTimeout(resolve, 150));
        assert.equal(h.errors.length, 1);
        const error = h.errors[0];
        assert.ok(error instanceof GatewayFatalError, String(error));
        assert.equal(error.code, c.code);
        assert.equal(h.manager.shards.get(0)!.status, 'disconnected');
        assert.ok(sim.stats.identifies.length <= before + 1, 'no reconnect loop');
        assert.ok(!h.transcript().includes(c.token) && !h.transcript().includes(TOKEN));
        h.manager.disconnect();
      }
    } finally {
      await sim.close();
    }
  });

  test('requestGuildMembers gets every chunk; a second whole-list request surfaces RATE_LIMITED', async () => {
    const sim = await Simulator.start({
      guilds: 12,
      seed: 'members',
      token: TOKEN,
      memberChunkSize: 50,
      requestMembersCooldownMs: 30_000,
      world: { largeGuildFraction: 0.5, averageMembers: 120 }
    });
    const h = harness(TOKEN, { intents: ['Guilds', 'GuildMembers'], compress: 'zlib-stream', largeThreshold: 50 });
    try {
      const ready = allReady(h.manager);
      await h.manager.connect(await gatewayBot(sim));
      await ready;
      const large = h.delivered.find((x) => x.t === 'GUILD_CREATE' && (x.d as { large: boolean }).large);
      assert.ok(large, 'the world has a large guild');
      const guildID = (large.d as { id: string }).id;
      const result = await h.manager.requestGuildMembers(guildID, { timeout: 5000 });
      assert.equal(result.members.length, sim.world.memberCount(guildID));
      const chunks = h.delivered.filter((x) => x.t === 'GUILD_MEMBERS_CHUNK').length;
      assert.ok(chunks > 1, 'several chunks');
      await assert.rejects(h.manager.requestGuildMembers(guildID, { timeout: 5000 }), GuildMembersRateLimitedError);
      assert.ok(h.emitted.some(([name]) => name === 'guildMembersRateLimited'));
      const someUser = result.members[0].user!.id;
      const one = await h.manager.requestGuildMembers(guildID, { userIDs: [someUser], timeout: 5000 });
      assert.equal(one.members[0].user!.id, someUser);
    } finally {
      h.manager.disconnect();
      await sim.close();
    }
  });
});

function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}
