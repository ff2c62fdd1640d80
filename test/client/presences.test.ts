/**
 * Presences against the simulator: with GUILD_PRESENCES, GUILD_CREATE and PRESENCE_UPDATE keep each
 * guild's presences equal to the world's (offline users hold no entry), and `presenceUpdate` gives the
 * old presence; without the intent nothing is cached and no event comes.
 *
 * The world keeps one status per user while Discord sends a PRESENCE_UPDATE per guild, so traffic is
 * confined to one guild: its members' statuses then change only through dispatches that guild receives.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Client } from '../../src/Client.js';
import type { Guild } from '../../src/structures/Guild.js';
import type { PresenceSnapshot } from '../../src/structures/Presence.js';
import { Simulator } from '../../src/testing/index.js';
import { CACHE_INTENTS, connectClient, settled } from './helpers/harness.js';

let sim: Simulator;
let withIntent: Client;
let withoutIntent: Client;

before(async () => {
  sim = await Simulator.start({ guilds: 20, seed: 'presences', identifyIntervalMs: 0, maxConcurrency: 2 });
  withIntent = await connectClient(sim, { intents: [...CACHE_INTENTS, 'GuildPresences'] });
  withoutIntent = await connectClient(sim, { intents: CACHE_INTENTS });
  await settled(sim, withIntent);
  await settled(sim, withoutIntent);
});

after(async () => {
  await withIntent?.destroy();
  await withoutIntent?.destroy();
  await sim?.close();
});

/** Differences between a guild's cached presences and the world's statuses of its members. */
function presenceDifferences(guild: Guild): string[] {
  const differences: string[] = [];
  for (const member of guild.members.values()) {
    const expected = sim.world.presenceOf(member.id);
    const cached = guild.presences.get(member.id);
    if (expected === 'offline' ? cached !== undefined : cached?.status !== expected) {
      differences.push(`${member.id}: cached ${cached?.status ?? 'none'}, world ${expected}`);
    }
    if (member.status !== expected) differences.push(`${member.id}: member.status ${member.status}, world ${expected}`);
  }
  return differences;
}

/** A small (not large) guild, so GUILD_CREATE carried every member and presence. */
function smallGuild(client: Client): Guild {
  const guild = [...client.guilds.values()].find((g) => !g.large && g.members.size > 3);
  assert.ok(guild, 'the world has a small guild with members');
  return guild;
}

test('GUILD_CREATE presences equal the world, and PRESENCE_UPDATEs keep them equal', async () => {
  const guild = smallGuild(withIntent);
  assert.deepEqual(presenceDifferences(guild), []);
  assert.ok(guild.presences.size > 0, 'some members are online at the start');

  const events: { id: string; old: PresenceSnapshot | null }[] = [];
  const listener = (other: { id: string }, old: PresenceSnapshot | null) => events.push({ id: other.id, old });
  withIntent.on('presenceUpdate', listener);
  try {
    const before = new Map([...guild.presences.values()].map((p) => [p.id, p.status]));
    const report = await sim.traffic.run({ events: 300, mix: { presence: 1 }, guilds: [guild.id] });
    await settled(sim, withIntent);
    assert.ok(report.byKind.presence > 250, JSON.stringify(report));
    assert.equal(events.length, report.byKind.presence);
    assert.deepEqual(presenceDifferences(guild), []);
    // The first event for each user carries the presence it had before (null when it was offline).
    const seen = new Set<string>();
    for (const { id, old } of events) {
      if (seen.has(id)) continue;
      seen.add(id);
      assert.equal(old?.status ?? null, before.get(id) ?? null, `old presence of ${id}`);
    }
  } finally {
    withIntent.off('presenceUpdate', listener);
  }
  assert.equal(withIntent.dispatchStats.malformed, 0);
});

test('without the GuildPresences intent nothing is cached and no presenceUpdate comes', async () => {
  let received = 0;
  const listener = () => received++;
  withoutIntent.on('presenceUpdate', listener);
  try {
    const guild = smallGuild(withoutIntent);
    const report = await sim.traffic.run({ events: 50, mix: { presence: 1 }, guilds: [guild.id] });
    await settled(sim, withoutIntent);
    assert.ok(report.byKind.presence > 0);
    assert.equal(received, 0);
    for (const g of withoutIntent.guilds.values()) {
      for (const member of g.members.values()) assert.equal(g.presenceOf(member.id), undefined);
    }
    assert.equal(guild.members.get([...guild.members.keys()][1])?.status, 'offline');
  } finally {
    withoutIntent.off('presenceUpdate', listener);
  }
});
