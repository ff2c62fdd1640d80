import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GatewayFatalError, GuildMembersRateLimitedError, GuildMembersTimeoutError } from '../../src/gateway/index.js';
import { disconnectAll, harness } from './helpers/harness.js';
import { MiniGateway, waitFor } from './helpers/MiniGateway.js';

const TOKEN = 'mini-token-123456';

describe('Shard against a scripted gateway', () => {
  let gw: MiniGateway;
  before(async () => {
    gw = await MiniGateway.start({ token: TOKEN, heartbeatInterval: 400 });
  });
  after(async () => {
    disconnectAll();
    await gw.close();
  });

  for (const [compress, decompressor] of [
    [false, 'native'],
    ['zlib-stream', 'native'],
    ['zlib-stream', 'js'],
    ['zstd-stream', 'native'],
    ['zstd-stream', 'js']
  ] as const) {
    test(`identify, READY, guilds, ready and ordered dispatches (compress ${compress}, ${decompressor})`, async () => {
      const h = harness(TOKEN, { maxShards: 1, compress, largeThreshold: 100 }, { decompressor });
      const ready = new Promise<void>((resolve) => h.manager.once('ready', resolve));
      await h.manager.connect({ url: gw.url });
      await ready;
      const shard = h.manager.shards.get(0)!;
      assert.equal(shard.status, 'ready');
      const conn = gw.connectionOf(0)!;
      assert.equal(conn.compress, compress === false ? null : compress);
      const identify = gw.identifies.at(-1)!.payload;
      assert.deepEqual(identify.shard, [0, 1]);
      assert.equal(identify.large_threshold, 100);
      for (let i = 0; i < 50; i++) gw.dispatch(conn.session!, 'MESSAGE_REACTION_ADD', { i, emoji: { name: '👍' } });
      await waitFor(() => h.delivered.length === 3 + 50, 3000, 'dispatches');
      assert.deepEqual(
        h.delivered.map((x) => x.s),
        h.delivered.map((_, i) => i + 1)
      );
      assert.equal(h.delivered[0].t, 'READY');
      assert.ok(shard.stats.bytesInflated >= shard.stats.bytesWire || compress === false);
      assert.equal(shard.stats.dispatches.get('MESSAGE_REACTION_ADD'), 50);
      h.manager.disconnect();
      assert.ok(!h.transcript().includes(TOKEN));
    });
  }

  test('op 7 resumes against resume_gateway_url and delivers each dispatch once', async () => {
    const h = harness(TOKEN, { maxShards: 1, compress: 'zlib-stream' });
    const ready = new Promise<void>((resolve) => h.manager.once('ready', resolve));
    await h.manager.connect({ url: gw.url });
    await ready;
    const conn = gw.connectionOf(0)!;
    const session = conn.session!;
    gw.dispatch(session, 'TYPING_START', { a: 1 });
    gw.send(conn, { op: 7, d: null });
    // Sent while the client is reconnecting: only reachable through the replay.
    gw.dispatch(session, 'TYPING_START', { a: 2 });
    await new Promise<void>((resolve) => h.manager.once('shardResume', () => resolve()));
    gw.dispatch(session, 'TYPING_START', { a: 3 });
    await waitFor(() => h.delivered.some((x) => x.t === 'TYPING_START' && (x.d as { a: number }).a === 3));
    const seqs = h.delivered.map((x) => x.s);
    assert.deepEqual(
      seqs,
      [...new Set(seqs)].sort((a, b) => a - b),
      'once each, in order'
    );
    assert.equal(seqs.length, session.seq);
    assert.equal(h.manager.shards.get(0)!.sessionID, session.id);
    h.manager.disconnect();
  });

  test('zombie connection (no ACK) is closed with a non-1000 code and resumed', async () => {
    const h = harness(TOKEN, { maxShards: 1 });
    await h.manager.connect({ url: gw.url });
    await waitFor(() => h.manager.ready);
    const shard = h.manager.shards.get(0)!;
    const before = gw.connectionOf(0)!;
    gw.ackHeartbeats = false;
    const closed = new Promise<number>((resolve) => before.ws.once('close', (code) => resolve(code)));
    try {
      assert.notEqual(await closed, 1000);
    } finally {
      gw.ackHeartbeats = true;
    }
    await new Promise<void>((resolve) => h.manager.once('shardResume', () => resolve()));
    assert.equal(shard.stats.zombieCloses, 1);
    assert.equal(shard.status, 'ready');
    h.manager.disconnect();
  });

  test('op 1 from the server gets an immediate heartbeat', async () => {
    const h = harness(TOKEN, { maxShards: 1 });
    await h.manager.connect({ url: gw.url });
    await waitFor(() => h.manager.ready);
    const conn = gw.connectionOf(0)!;
    const beats = () => conn.received.filter((p) => p.op === 1).length;
    const before = beats();
    gw.send(conn, { op: 1, d: null });
    await waitFor(() => beats() > before, 150, 'heartbeat answer');
    assert.equal((conn.received.at(-1) as { d: unknown }).d, conn.session!.seq);
    h.manager.disconnect();
  });

  test('op 9 d:false re-identifies after the delay; op 9 d:true resumes', async () => {
    const h = harness(TOKEN, { maxShards: 1 });
    await h.manager.connect({ url: gw.url });
    await waitFor(() => h.manager.ready);
    const shard = h.manager.shards.get(0)!;
    const first = shard.sessionID;
    gw.send(gw.connectionOf(0)!, { op: 9, d: false });
    await waitFor(() => shard.status === 'ready' && shard.sessionID !== first, 3000, 're-identify');
    assert.equal(shard.stats.invalidatedSessions, 1);
    const second = shard.sessionID;
    gw.send(gw.connectionOf(0)!, { op: 9, d: true });
    await new Promise<void>((resolve) => h.manager.once('shardResume', () => resolve()));
    assert.equal(shard.sessionID, second);
    h.manager.disconnect();
  });

  test('4007/4009 close re-identifies; other codes resume', async () => {
    const h = harness(TOKEN, { maxShards: 1 });
    await h.manager.connect({ url: gw.url });
    await waitFor(() => h.manager.ready);
    const shard = h.manager.shards.get(0)!;
    const first = shard.sessionID;
    gw.connectionOf(0)!.ws.close(4000, 'unknown');
    await new Promise<void>((resolve) => h.manager.once('shardResume', () => resolve()));
    assert.equal(shard.sessionID, first);
    gw.connectionOf(0)!.ws.close(4009, 'timed out');
    await waitFor(() => shard.status === 'ready' && shard.sessionID !== first, 3000, 're-identify');
    h.manager.disconnect();
  });

  test('fatal close code → GatewayFatalError, shard stopped, no reconnect loop', async () => {
    const h = harness(TOKEN, { maxShards: 1 });
    const before = gw.connections.length;
    gw.onIdentify = (conn) => {
      conn.ws.close(4014, `Disallowed intent(s) for ${TOKEN}`);
      return true;
    };
    try {
      await h.manager.connect({ url: gw.url });
      await waitFor(() => h.errors.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      gw.onIdentify = null;
    }
    const [error] = h.errors;
    assert.ok(error instanceof GatewayFatalError);
    assert.equal(error.code, 4014);
    assert.equal(gw.connections.length, before + 1, 'no reconnect');
    assert.equal(h.manager.shards.get(0)!.status, 'disconnected');
    assert.ok(!h.transcript().includes(TOKEN), 'token redacted from the close reason');
    await h.manager.connect({ url: gw.url });
    assert.equal(gw.connections.length, before + 1, 'connect() after a fatal error does not reconnect');
  });

  test('wrong token → 4004 fatal error that does not contain the token', async () => {
    const bad = 'definitely-not-the-token-999';
    const h = harness(bad, { maxShards: 1 });
    await h.manager.connect({ url: gw.url });
    await waitFor(() => h.errors.length > 0);
    assert.ok(h.errors[0] instanceof GatewayFatalError && h.errors[0].code === 4004);
    assert.ok(!h.transcript().includes(bad));
  });

  test('disableEvents: skipped without delivery, seq still advances, internal events still work', async () => {
    const h = harness(TOKEN, { maxShards: 1, disableEvents: ['TYPING_START', 'GUILD_CREATE'] });
    await h.manager.connect({ url: gw.url });
    await waitFor(() => h.manager.ready, 3000, 'ready despite GUILD_CREATE disabled');
    const conn = gw.connectionOf(0)!;
    const shard = h.manager.shards.get(0)!;
    gw.dispatch(conn.session!, 'TYPING_START', { x: 1 });
    // Key order and whitespace differ from Discord's usual; the sniffer must still see t and s.
    conn.session!.seq++;
    gw.send(
      conn,
      ` { "d" : {"t":"MESSAGE_CREATE","s":999,"nested":["}"]}, "op" : 0 , "s" : ${conn.session!.seq}, "t" : "TYPING_START" }`
    );
    const s = gw.dispatch(conn.session!, 'MESSAGE_CREATE', { id: '1' });
    await waitFor(() => h.delivered.some((x) => x.s === s));
    assert.equal(shard.seq, s);
    assert.ok(!h.delivered.some((x) => x.t === 'TYPING_START' || x.t === 'GUILD_CREATE'));
    assert.equal(shard.stats.skippedDisabled, 2 + gw.options.guildsPerShard);
    h.manager.disconnect();
  });

  test('requestGuildMembers collects every chunk by nonce; RATE_LIMITED and timeout are typed errors', async () => {
    const h = harness(TOKEN, { maxShards: 1 });
    await h.manager.connect({ url: gw.url });
    await waitFor(() => h.manager.ready);
    const conn = gw.connectionOf(0)!;
    const guildID = gw.guildIDs(0, 1)[0];
    const request = h.manager.requestGuildMembers(guildID, { query: '', limit: 0 });
    const sent = await waitFor(() => conn.received.find((p) => p.op === 8) as { d: Record<string, unknown> });
    assert.equal(sent.d.guild_id, guildID);
    for (let i = 0; i < 3; i++) {
      gw.dispatch(conn.session!, 'GUILD_MEMBERS_CHUNK', {
        guild_id: guildID,
        members: [{ user: { id: String(i) } }, { user: { id: String(i + 10) } }],
        chunk_index: i,
        chunk_count: 3,
        nonce: sent.d.nonce
      });
    }
    const result = await request;
    assert.equal(result.members.length, 6);

    const limited = h.manager.requestGuildMembers(guildID);
    const second = await waitFor(() => conn.received.filter((p) => p.op === 8)[1] as { d: Record<string, unknown> });
    gw.dispatch(conn.session!, 'RATE_LIMITED', {
      opcode: 8,
      retry_after: 12.5,
      meta: { guild_id: guildID, nonce: second.d.nonce }
    });
    await assert.rejects(limited, (e: unknown) => e instanceof GuildMembersRateLimitedError && e.retryAfter === 12_500);
    // Honoured: the next whole-list request fails locally without being sent.
    await assert.rejects(h.manager.requestGuildMembers(guildID), GuildMembersRateLimitedError);
    assert.equal(conn.received.filter((p) => p.op === 8).length, 2);
    assert.ok(h.emitted.some(([name]) => name === 'guildMembersRateLimited'));

    await assert.rejects(
      h.manager.requestGuildMembers(guildID, { userIDs: ['5'], timeout: 50 }),
      GuildMembersTimeoutError
    );
    h.manager.disconnect();
  });

  test('a restarted process resumes from the SessionStore instead of identifying', async () => {
    const h1 = harness(TOKEN, { maxShards: 1 });
    await h1.manager.connect({ url: gw.url });
    await waitFor(() => h1.manager.ready);
    const store = h1.manager.sessionStore;
    const identifies = gw.identifies.length;
    h1.manager.disconnect({ keepSession: true });
    const h2 = harness(TOKEN, { maxShards: 1 }, { sessionStore: store });
    await h2.manager.connect({ url: gw.url });
    await new Promise<void>((resolve) => h2.manager.once('shardResume', () => resolve()));
    assert.equal(gw.identifies.length, identifies);
    h2.manager.disconnect();
  });

  test('editStatus sends op 3 and commands issued while disconnected wait for the session', async () => {
    const h = harness(TOKEN, { maxShards: 1 });
    await h.manager.connect({ url: gw.url });
    h.manager.editStatus({ status: 'idle', activities: [{ name: 'tests', type: 0 }] });
    await waitFor(() => h.manager.ready);
    const conn = gw.connectionOf(0)!;
    const op3 = await waitFor(() => conn.received.find((p) => p.op === 3) as { d: Record<string, unknown> });
    assert.equal(op3.d.status, 'idle');
    h.manager.disconnect();
  });
});
