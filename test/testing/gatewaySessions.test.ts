import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Simulator } from '../../src/testing/index.js';
import { Intents } from '../../src/util/constants.js';
import { shardForGuild } from '../../src/util/snowflake.js';
import { connectIdentified, RawGatewayClient } from './helpers/gatewayClient.js';

const TOKEN = 'session-token';
const ALL =
  Intents.Guilds |
  Intents.GuildMembers |
  Intents.GuildPresences |
  Intents.GuildMessages |
  Intents.GuildMessageReactions |
  Intents.GuildMessageTyping;

function settle(ms = 50) {
  return new Promise((r) => setTimeout(r, ms));
}

describe('simulator gateway: sessions, faults, routing', () => {
  let sim: Simulator;
  before(async () => {
    sim = await Simulator.start({
      guilds: 30,
      seed: 'sessions',
      token: TOKEN,
      identifyIntervalMs: 0,
      reconnectGraceMs: 200,
      memberChunkSize: 100,
      requestMembersCooldownMs: 10_000,
      world: { largeGuildFraction: 0.2, averageMembers: 60 }
    });
  });
  after(() => sim.close());

  async function readyClient(
    extra: Record<string, unknown> = {},
    compression: 'zlib-stream' | 'zstd-stream' | null = null
  ) {
    const client = await connectIdentified(sim.gatewayURL, TOKEN, { intents: ALL, ...extra }, compression);
    const ready = client.dispatches('READY')[0];
    await client.waitFor(() => client.dispatches('GUILD_CREATE').length === ready.d.guilds.length);
    return client;
  }

  it('resumes after an abrupt drop, replaying every dispatch missed, then RESUMED', async () => {
    const client = await readyClient();
    const sessionID = client.dispatches('READY')[0].d.session_id;
    await sim.traffic.run({ events: 20 });
    await settle();
    const seenSeq = client.lastSeq()!;
    assert.equal(sim.faults.drop({ session: sessionID }), 1);
    assert.equal((await client.closed).code, 1006);
    // Traffic while nobody is connected is buffered for the session.
    await sim.traffic.run({ events: 30, mix: { reaction: 3, message: 1, memberUpdate: 1 } });
    const sentWhileAway = sim.stats.session(sessionID)!.seq - seenSeq;
    assert.ok(sentWhileAway > 0);

    const resumed = new RawGatewayClient(sim.gatewayURL);
    await resumed.waitFor((p) => p.op === 10);
    resumed.send({ op: 6, d: { token: TOKEN, session_id: sessionID, seq: seenSeq } });
    await resumed.waitForDispatch('RESUMED');
    const seqs = resumed.dispatches().map((p) => p.s);
    const expected = Array.from({ length: sentWhileAway + 1 }, (_, i) => seenSeq + 1 + i);
    assert.deepEqual(seqs, expected, 'every missed seq exactly once, in order, then RESUMED');
    const types = sim.stats.dispatchTypes(sessionID);
    assert.deepEqual(
      resumed.dispatches().map((p) => p.t),
      types.slice(seenSeq)
    );
    assert.equal(sim.stats.resumes.at(-1)?.ok, true);
    assert.equal(sim.stats.session(sessionID)?.resumes, 1);
    resumed.close();
  });

  it('answers a resume it cannot honour with op 9 d:false (unknown session, closed with 1000)', async () => {
    const client = await readyClient();
    const sessionID = client.dispatches('READY')[0].d.session_id;
    client.close(1000);
    await client.closed;
    await settle();
    const again = new RawGatewayClient(sim.gatewayURL);
    await again.waitFor((p) => p.op === 10);
    again.send({ op: 6, d: { token: TOKEN, session_id: sessionID, seq: 1 } });
    assert.equal((await again.waitFor((p) => p.op === 9)).d, false);
    again.close();
  });

  it('sends op 7 RECONNECT on command and cuts the socket after the grace period', async () => {
    const client = await readyClient();
    assert.equal(sim.faults.reconnect({ session: client.dispatches('READY')[0].d.session_id }), 1);
    await client.waitFor((p) => p.op === 7);
    assert.equal((await client.closed).code, 1006);
  });

  it('sends op 9 d:true (session kept) and d:false (session gone)', async () => {
    const a = await readyClient();
    const aSession = a.dispatches('READY')[0].d.session_id;
    sim.faults.invalidSession({ session: aSession }, true);
    assert.equal((await a.waitFor((p) => p.op === 9)).d, true);
    await a.closed;
    assert.equal(sim.stats.session(aSession)?.resumable, true);
    const b = await readyClient();
    const bSession = b.dispatches('READY')[0].d.session_id;
    sim.faults.invalidSession({ session: bSession }, false);
    assert.equal((await b.waitFor((p) => p.op === 9)).d, false);
    assert.equal(sim.stats.session(bSession)?.resumable, false);
    b.close();
  });

  it('withholds heartbeat ACKs on command, and sends malformed frames on command', async () => {
    const client = await readyClient();
    const target = { session: client.dispatches('READY')[0].d.session_id };
    client.send({ op: 1, d: client.lastSeq() });
    await client.waitFor((p) => p.op === 11);
    sim.faults.withholdHeartbeatAcks(target);
    const acks = client.payloads.filter((p) => p.op === 11).length;
    client.send({ op: 1, d: client.lastSeq() });
    await settle(100);
    assert.equal(client.payloads.filter((p) => p.op === 11).length, acks, 'no ACK while withheld');
    sim.faults.malformedFrame(target);
    await settle(50);
    assert.equal(client.undecodable.length, 1);
    client.close();
  });

  it('can send op 7 in place of HELLO', async () => {
    sim.faults.reconnectBeforeHello(1);
    const client = new RawGatewayClient(sim.gatewayURL);
    const first = await client.waitFor(() => true);
    assert.equal(first.op, 7);
    client.terminate();
  });

  it('routes world changes only to the shard owning the guild', async () => {
    const s0 = await readyClient({ shard: [0, 2] });
    const s1 = await readyClient({ shard: [1, 2] });
    const report = await sim.traffic.run({
      events: 60,
      mix: { reaction: 1, memberAdd: 1, roleUpdate: 1, channelUpdate: 1, typing: 1 }
    });
    assert.ok(report.emitted > 0);
    await settle(100);
    for (const [client, shard] of [
      [s0, 0],
      [s1, 1]
    ] as const) {
      for (const p of client.dispatches()) {
        if (p.t === 'READY' || p.t === 'GUILD_CREATE') continue;
        assert.equal(shardForGuild(p.d.guild_id, 2), shard, `${p.t} on shard ${shard}`);
      }
    }
    const live = s0.dispatches().length + s1.dispatches().length;
    assert.ok(live > 2 + 30, 'both shards received live events');
    s0.close();
    s1.close();
  });

  it('gates dispatches by intent: no reactions/typing/presences/members without their intents', async () => {
    const narrow = await readyClient({ intents: Intents.Guilds | Intents.GuildMessages });
    await sim.traffic.run({
      events: 80,
      mix: { reaction: 1, typing: 1, presence: 1, memberUpdate: 1, message: 1, roleUpdate: 1 }
    });
    await settle(100);
    const types = new Set(narrow.dispatches().map((p) => p.t));
    for (const t of [
      'MESSAGE_REACTION_ADD',
      'MESSAGE_REACTION_REMOVE',
      'TYPING_START',
      'PRESENCE_UPDATE',
      'GUILD_MEMBER_UPDATE'
    ]) {
      assert.ok(!types.has(t), `${t} must be gated`);
    }
    assert.ok(types.has('MESSAGE_CREATE') && types.has('GUILD_ROLE_UPDATE'));
    // Without MESSAGE_CONTENT, other users' message content arrives empty.
    for (const p of narrow.dispatches('MESSAGE_CREATE')) assert.equal(p.d.content, '');
    narrow.close();
  });

  it('answers op 8 with GUILD_MEMBERS_CHUNKs (nonce, chunk_index/count, not_found, presences) and rate-limits repeats', async () => {
    const client = await readyClient({ shard: [0, 1] });
    const large = client.dispatches('GUILD_CREATE').find((p) => p.d.member_count > 250)!;
    assert.ok(large, 'a large guild exists');
    const guildID = large.d.id;
    client.send({ op: 8, d: { guild_id: guildID, query: '', limit: 0, presences: true, nonce: 'all' } });
    const count = Math.ceil(large.d.member_count / 100);
    await client.waitFor(
      () => client.dispatches('GUILD_MEMBERS_CHUNK').filter((p) => p.d.nonce === 'all').length === count
    );
    const chunks = client.dispatches('GUILD_MEMBERS_CHUNK').filter((p) => p.d.nonce === 'all');
    assert.deepEqual(
      chunks.map((p) => p.d.chunk_index),
      [...Array(count).keys()]
    );
    assert.ok(chunks.every((p) => p.d.chunk_count === count && p.d.members.length <= 100));
    const ids = chunks.flatMap((p) => p.d.members.map((m: any) => m.user.id));
    assert.deepEqual(ids, sim.world.memberIDs(guildID));
    assert.ok(chunks.some((p) => p.d.presences.length > 0));

    client.send({ op: 8, d: { guild_id: guildID, query: '', limit: 0, nonce: 'again' } });
    const limited = await client.waitForDispatch('RATE_LIMITED');
    assert.equal(limited.d.opcode, 8);
    assert.equal(limited.d.meta.guild_id, guildID);
    assert.equal(limited.d.meta.nonce, 'again');
    assert.ok(limited.d.retry_after > 0 && limited.d.retry_after <= 10);

    const member = ids[5];
    client.send({ op: 8, d: { guild_id: guildID, user_ids: [member, '123'], limit: 0, nonce: 'ids' } });
    const byID = await client.waitFor((p) => p.t === 'GUILD_MEMBERS_CHUNK' && p.d.nonce === 'ids');
    assert.deepEqual(
      byID.d.members.map((m: any) => m.user.id),
      [member]
    );
    assert.deepEqual(byID.d.not_found, ['123']);
    assert.equal(byID.d.presences, undefined);

    const name: string = sim.world.getUser(member)!.username;
    client.send({ op: 8, d: { guild_id: guildID, query: name.slice(0, 3), limit: 5, nonce: 'q' } });
    const byQuery = await client.waitFor((p) => p.t === 'GUILD_MEMBERS_CHUNK' && p.d.nonce === 'q');
    assert.ok(byQuery.d.members.length >= 1 && byQuery.d.members.length <= 5);
    for (const m of byQuery.d.members) assert.ok(m.user.username.startsWith(name.slice(0, 3)));
    client.close();
  });

  for (const compression of ['zlib-stream', 'zstd-stream'] as const) {
    it(`serves ${compression}: every payload decodes, in order`, async () => {
      const client = await readyClient({}, compression);
      await sim.traffic.run({ events: 40, mix: { reaction: 1, message: 1 } });
      const sessionID = client.dispatches('READY')[0].d.session_id;
      const sent = sim.stats.session(sessionID)!.seq;
      await client.waitFor(() => client.lastSeq() === sent);
      const seqs = client.dispatches().map((p) => p.s);
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => i + 1)
      );
      assert.equal(client.undecodable.length, 0);
      client.close();
    });
  }
});
