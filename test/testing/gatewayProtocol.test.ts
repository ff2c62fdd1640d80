import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Simulator } from '../../src/testing/index.js';
import { Intents } from '../../src/util/constants.js';
import { shardForGuild } from '../../src/util/snowflake.js';
import { connectIdentified, RawGatewayClient } from './helpers/gatewayClient.js';

const TOKEN = 'proto-token';

async function expectClose(client: RawGatewayClient, code: number) {
  const closed = await client.closed;
  assert.equal(closed.code, code);
}

describe('simulator gateway: handshake and identify rules', () => {
  let sim: Simulator;
  before(async () => {
    sim = await Simulator.start({
      guilds: 40,
      seed: 'proto',
      token: TOKEN,
      identifyIntervalMs: 0,
      heartbeatInterval: 1234,
      privilegedIntents: Intents.GuildMembers
    });
  });
  after(() => sim.close());

  it('sends HELLO with the configured heartbeat_interval and ACKs heartbeats', async () => {
    const client = new RawGatewayClient(sim.gatewayURL);
    const hello = await client.waitFor((p) => p.op === 10);
    assert.deepEqual(hello.d, { heartbeat_interval: 1234 });
    client.send({ op: 1, d: null });
    await client.waitFor((p) => p.op === 11);
    client.close();
  });

  it('closes 4004 for a bad token', async () => {
    const client = new RawGatewayClient(sim.gatewayURL);
    await client.waitFor((p) => p.op === 10);
    client.identify('wrong');
    await expectClose(client, 4004);
  });

  it('closes 4012 for an unsupported gateway version', async () => {
    await expectClose(new RawGatewayClient(sim.gatewayURL, 'v=6&encoding=json'), 4012);
  });

  it('closes 4013 for undefined intent bits and 4014 for privileged intents not enabled', async () => {
    const a = new RawGatewayClient(sim.gatewayURL);
    await a.waitFor((p) => p.op === 10);
    a.identify(TOKEN, { intents: 1 << 18 });
    await expectClose(a, 4013);
    const b = new RawGatewayClient(sim.gatewayURL);
    await b.waitFor((p) => p.op === 10);
    b.identify(TOKEN, { intents: Intents.Guilds | Intents.GuildPresences });
    await expectClose(b, 4014);
  });

  it('closes 4010 for an invalid shard', async () => {
    for (const shard of [[2, 2], [-1, 2], [0, 0], 'x']) {
      const client = new RawGatewayClient(sim.gatewayURL);
      await client.waitFor((p) => p.op === 10);
      client.identify(TOKEN, { shard });
      await expectClose(client, 4010);
    }
  });

  it('closes 4003 for a payload before identify, 4001 for an unknown opcode, 4005 for a second identify', async () => {
    const a = new RawGatewayClient(sim.gatewayURL);
    await a.waitFor((p) => p.op === 10);
    a.send({ op: 8, d: { guild_id: '1', query: '', limit: 0 } });
    await expectClose(a, 4003);
    const b = new RawGatewayClient(sim.gatewayURL);
    await b.waitFor((p) => p.op === 10);
    b.send({ op: 5, d: null });
    await expectClose(b, 4001);
    const c = await connectIdentified(sim.gatewayURL, TOKEN);
    c.identify(TOKEN);
    await expectClose(c, 4005);
  });

  it('closes 4002 for undecodable and oversized payloads', async () => {
    const a = new RawGatewayClient(sim.gatewayURL);
    await a.waitFor((p) => p.op === 10);
    a.send('{not json');
    await expectClose(a, 4002);
    const b = new RawGatewayClient(sim.gatewayURL);
    await b.waitFor((p) => p.op === 10);
    b.send({ op: 1, d: 'x'.repeat(5000) });
    await expectClose(b, 4002);
  });

  it('READY lists the shard guilds as unavailable, then one GUILD_CREATE each, seq from 1', async () => {
    const client = await connectIdentified(sim.gatewayURL, TOKEN, { shard: [1, 2], intents: Intents.Guilds });
    const ready = client.dispatches('READY')[0];
    assert.equal(ready.s, 1);
    const expected = sim.world.guildIDsForShard(1, 2);
    assert.deepEqual(
      ready.d.guilds,
      expected.map((id) => ({ id, unavailable: true }))
    );
    assert.deepEqual(ready.d.shard, [1, 2]);
    assert.equal(ready.d.user.id, sim.world.botUser.id);
    assert.equal(ready.d.application.id, sim.world.botUser.id);
    assert.equal(ready.d.resume_gateway_url, sim.gatewayURL);
    await client.waitFor(() => client.dispatches('GUILD_CREATE').length === expected.length);
    const creates = client.dispatches('GUILD_CREATE');
    assert.deepEqual(
      creates.map((p) => p.d.id),
      expected
    );
    for (const p of creates) assert.equal(shardForGuild(p.d.id, 2), 1);
    const seqs = client.dispatches().map((p) => p.s);
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => i + 1)
    );
    client.close();
  });

  it('large guilds come without their full member list; small ones complete', async () => {
    const client = await connectIdentified(sim.gatewayURL, TOKEN, {
      intents: Intents.Guilds | Intents.GuildVoiceStates,
      large_threshold: 50
    });
    await client.waitFor(() => client.dispatches('GUILD_CREATE').length === 40);
    let sawLarge = false;
    for (const { d } of client.dispatches('GUILD_CREATE')) {
      assert.equal(d.member_count, sim.world.memberCount(d.id));
      if (d.member_count > 50) {
        sawLarge = true;
        assert.equal(d.large, true);
        const expected = 1 + d.voice_states.length;
        assert.ok(d.members.length <= expected, 'only the bot and voice members');
        assert.ok(d.members.some((m: any) => m.user.id === sim.world.botUser.id));
      } else {
        assert.equal(d.large, false);
        assert.equal(d.members.length, d.member_count);
      }
      assert.deepEqual(d.presences, [], 'no presences without GUILD_PRESENCES');
      for (const channel of d.channels) assert.equal(channel.guild_id, undefined);
    }
    assert.ok(sawLarge, 'the world has guilds above large_threshold');
    client.close();
  });

  it('closes 4008 after too many payloads in the send window', async () => {
    const limited = await Simulator.start({ guilds: 2, token: TOKEN, sendLimit: { count: 5, windowMs: 60_000 } });
    try {
      const client = new RawGatewayClient(limited.gatewayURL);
      await client.waitFor((p) => p.op === 10);
      for (let i = 0; i < 6; i++) client.send({ op: 1, d: null });
      await expectClose(client, 4008);
    } finally {
      await limited.close();
    }
  });

  it('closes 4011 when a shard would hold too many guilds', async () => {
    const big = await Simulator.start({ guilds: 30, token: TOKEN, maxGuildsPerShard: 10 });
    try {
      const client = new RawGatewayClient(big.gatewayURL);
      await client.waitFor((p) => p.op === 10);
      client.identify(TOKEN, { shard: [0, 1] });
      await expectClose(client, 4011);
    } finally {
      await big.close();
    }
  });
});

describe('simulator gateway: identify buckets and session start limit', () => {
  it('allows one identify per bucket per interval; a second gets op 9 d:false; other buckets proceed', async () => {
    const sim = await Simulator.start({ guilds: 8, token: TOKEN, maxConcurrency: 2, identifyIntervalMs: 400 });
    try {
      const before = sim.gateway.sessionStartLimit().remaining;
      const s0 = await connectIdentified(sim.gatewayURL, TOKEN, { shard: [0, 4] });
      const s1 = await connectIdentified(sim.gatewayURL, TOKEN, { shard: [1, 4] });
      const s2 = new RawGatewayClient(sim.gatewayURL);
      await s2.waitFor((p) => p.op === 10);
      s2.identify(TOKEN, { shard: [2, 4] });
      const invalid = await s2.waitFor((p) => p.op === 9);
      assert.equal(invalid.d, false);
      await new Promise((r) => setTimeout(r, 450));
      const s2b = await connectIdentified(sim.gatewayURL, TOKEN, { shard: [2, 4] });
      const log = sim.stats.identifies;
      assert.deepEqual(
        log.map((r) => [r.shard[0], r.bucket, r.accepted]),
        [
          [0, 0, true],
          [1, 1, true],
          [2, 0, false],
          [2, 0, true]
        ]
      );
      const bucket0 = sim.stats.identifiesByBucket().get(0)!;
      assert.ok(bucket0[1] - bucket0[0] >= 400, 'accepted identifies of a bucket are spaced by the interval');
      assert.equal(sim.stats.identifyCount, 3);
      assert.equal(sim.gateway.sessionStartLimit().remaining, before - 3);
      assert.equal(sim.gateway.sessionStartLimit().max_concurrency, 2);
      for (const c of [s0, s1, s2, s2b]) c.close();
    } finally {
      await sim.close();
    }
  });

  it('refuses identifies once session_start_limit is used up', async () => {
    const sim = await Simulator.start({ guilds: 2, token: TOKEN, identifyIntervalMs: 0, sessionStartTotal: 1 });
    try {
      const a = await connectIdentified(sim.gatewayURL, TOKEN);
      const b = new RawGatewayClient(sim.gatewayURL);
      await b.waitFor((p) => p.op === 10);
      b.identify(TOKEN);
      assert.equal((await b.waitFor((p) => p.op === 9)).d, false);
      assert.equal(sim.stats.identifies.at(-1)?.reason, 'session-start-limit');
      a.close();
      b.close();
    } finally {
      await sim.close();
    }
  });
});
