/**
 * The proof that the simulator is Discord-shaped: discord.js 14, unchanged except for its REST base
 * URL, connects over 2 shards with zlib-stream (zlib-sync is installed), caches exactly what the
 * simulator sent, sees reactions on uncached messages through partials, and resumes after an
 * injected drop without missing a dispatch.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, GatewayIntentBits, Partials } from 'discord.js';
import { Simulator } from '../../src/testing/index.js';

const TOKEN = 'discordjs-proof-token';
const GUILDS = 2000;

function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (check()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('condition not reached in time'));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

describe('discord.js 14 against the simulator', () => {
  let sim: Simulator;
  let client: Client;
  /** Every dispatch seq discord.js received, per shard. */
  const received = new Map<number, number[]>();
  const reactions = { add: 0, remove: 0, partialMessages: 0 };

  before(async () => {
    sim = await Simulator.start({ guilds: GUILDS, seed: 'discordjs', token: TOKEN, shards: 2, maxConcurrency: 2 });
    const port = new URL(sim.restURL).port;
    client = new Client({
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMembers,
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.GuildMessageReactions
      ],
      partials: [Partials.Message, Partials.Reaction, Partials.User, Partials.GuildMember],
      // 'auto' takes the shard count GET /gateway/bot recommends (2 here).
      shards: 'auto',
      rest: { api: `http://127.0.0.1:${port}/api` }
    });
    client.on('raw', (packet: { s: number | null }, shardID: number) => {
      if (typeof packet.s !== 'number') return;
      let list = received.get(shardID);
      if (!list) received.set(shardID, (list = []));
      list.push(packet.s);
    });
    client.on('messageReactionAdd', (reaction) => {
      reactions.add++;
      if (reaction.message.partial) reactions.partialMessages++;
    });
    client.on('messageReactionRemove', () => {
      reactions.remove++;
    });
    const ready = new Promise<void>((resolve) => client.once('clientReady' as 'ready', () => resolve()));
    await client.login(TOKEN);
    await ready;
  });

  after(async () => {
    await client?.destroy();
    await sim?.close();
  });

  it('connects over 2 shards with zlib-stream', () => {
    assert.equal(client.ws.shards.size, 2);
    const sessions = sim.stats.sessions();
    assert.deepEqual(sessions.map((s) => s.shard).sort(), [
      [0, 2],
      [1, 2]
    ]);
    assert.equal(sim.stats.identifyCount, 2);
    const compressed = [...sim.gateway.connections].map((c) => c.compression);
    assert.deepEqual(compressed, ['zlib-stream', 'zlib-stream']);
  });

  it('caches exactly the guilds, channels, roles, members and users the simulator sent', () => {
    const sessions = sim.stats.sessions();
    const expectedGuilds = new Set(sim.world.guildIDs());
    assert.equal(client.guilds.cache.size, GUILDS);
    assert.deepEqual(new Set(client.guilds.cache.keys()), expectedGuilds);
    const expectedUsers = new Set<string>([sim.world.botUser.id]);
    let channels = 0;
    for (const guild of client.guilds.cache.values()) {
      const session = sessions.find((s) => s.shard[0] === guild.shardId)!;
      // The world is unchanged since READY, so this rebuilds exactly the GUILD_CREATE that was sent.
      const sent = sim.world.guildCreate(guild.id, {
        largeThreshold: 50,
        presences: false,
        intents: session.intents
      }) as any;
      assert.deepEqual(
        new Set(guild.roles.cache.keys()),
        new Set(sent.roles.map((r: any) => r.id)),
        `roles of ${guild.id}`
      );
      const sentChannels = [...sent.channels, ...sent.threads].map((c: any) => c.id);
      assert.deepEqual(new Set(guild.channels.cache.keys()), new Set(sentChannels), `channels of ${guild.id}`);
      channels += sentChannels.length;
      assert.deepEqual(
        new Set(guild.members.cache.keys()),
        new Set(sent.members.map((m: any) => m.user.id)),
        `members of ${guild.id}`
      );
      assert.equal(guild.memberCount, sent.member_count);
      for (const m of sent.members) expectedUsers.add(m.user.id);
      for (const role of guild.roles.cache.values()) {
        const sentRole = sent.roles.find((r: any) => r.id === role.id);
        assert.equal(role.permissions.bitfield.toString(), sentRole.permissions);
        assert.equal(role.position, sentRole.position);
      }
    }
    assert.equal(client.channels.cache.size, channels);
    assert.deepEqual(new Set(client.users.cache.keys()), expectedUsers);
  });

  it('sees a stream of reactions on uncached messages (partials)', async () => {
    const report = await sim.traffic.run({ events: 300 });
    await until(() => reactions.add + reactions.remove === report.emitted);
    assert.ok(reactions.add > 0 && reactions.remove > 0);
    assert.equal(reactions.partialMessages, reactions.add, 'reaction-role messages were never sent, so uncached');
  });

  it('resumes after an injected drop with no dispatch missed or doubled', async () => {
    const traffic = sim.traffic.run({ events: 400, rate: 2000, mix: { reaction: 3, memberUpdate: 1, message: 1 } });
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(sim.faults.drop({ shard: 0 }), 1);
    await traffic;
    await until(() => sim.stats.resumeCount >= 1);
    const after = await sim.traffic.run({ events: 50 });
    assert.ok(after.emitted > 0);
    assert.equal(sim.stats.identifyCount, 2, 'resumed, not re-identified');
    for (const session of sim.stats.sessions()) {
      const shard = session.shard[0];
      await until(() => (received.get(shard)?.length ?? 0) >= session.seq);
      const seqs = received.get(shard)!;
      // RESUMED carries a seq too; every seq 1..N exactly once, in order.
      assert.deepEqual(
        seqs,
        Array.from({ length: session.seq }, (_, i) => i + 1),
        `shard ${shard}`
      );
    }
    assert.equal(sim.stats.session(sim.stats.sessionsForShard(0)[0].sessionID)?.resumes, 1);
  });
});
