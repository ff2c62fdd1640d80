/**
 * The cache is exact: after a world of 2,000 guilds loads from the simulator, every guild, role,
 * channel (with overwrites), thread, member (roles, nick, join time), voice state, stage instance,
 * emoji and user in the Client equals the simulator's dumped world, field by field; and it still
 * does after 20,000 random changes (traffic driver kinds, structural role/channel/thread changes,
 * member role sets, REST role toggles by the bot).
 *
 * Large guilds arrive without their member lists (Discord's rule without GUILD_PRESENCES), so the
 * test requests them (op 8) before comparing, as a bot that needs every member would.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Client } from '../../src/Client.js';
import { Simulator } from '../../src/testing/index.js';
import { CACHE_INTENTS, connectClient, settled } from './helpers/harness.js';
import { type ComparisonReport, compareWorld } from './helpers/worldComparator.js';
import { driveWorldEvents } from './helpers/worldEvents.js';

const GUILDS = 2000;
const EVENTS = 20_000;

let sim: Simulator;
let client: Client;

function describe(report: ComparisonReport): string {
  return [
    `${report.differenceCount} difference(s); by kind: ${JSON.stringify(report.byKind)}`,
    ...report.differences
  ].join('\n  ');
}

before(async () => {
  sim = await Simulator.start({ guilds: GUILDS, seed: 'cache-exact', identifyIntervalMs: 0, maxConcurrency: 2 });
  client = await connectClient(sim, { intents: CACHE_INTENTS });
  const large = [...client.guilds.values()].filter((guild) => guild.large);
  await Promise.all(large.map((guild) => client.requestGuildMembers(guild.id)));
  await settled(sim, client);
});

after(async () => {
  await client?.destroy();
  await sim?.close();
});

test(`after ${GUILDS} guilds load, the cache equals the simulator's world field by field`, () => {
  const report = compareWorld(client, sim.world.dump());
  assert.equal(report.differenceCount, 0, describe(report));
  assert.equal(report.guilds, GUILDS);
  // The comparison covered every kind (a world without some kind would prove nothing about it).
  for (const kind of ['roles', 'channels', 'threads', 'members', 'voiceStates', 'stageInstances', 'emojis', 'users']) {
    assert.ok((report[kind as keyof ComparisonReport] as number) > 0, `no ${kind} were compared`);
  }
  assert.equal(client.dispatchStats.malformed, 0);
});

test(`after ${EVENTS} random guild, member, role, channel and thread changes the cache still equals the world`, async () => {
  const events = await driveWorldEvents(sim, client, { events: EVENTS, seed: 7 });
  await settled(sim, client);
  // Most picks must have become real changes, of every kind.
  assert.ok(events.emitted > EVENTS * 0.9, JSON.stringify(events));
  for (const [kind, count] of Object.entries(events.byKind)) assert.ok(count > 0, `no ${kind} events`);
  const report = compareWorld(client, sim.world.dump());
  assert.equal(report.differenceCount, 0, describe(report));
  assert.equal(client.dispatchStats.malformed, 0);
  assert.equal(client.dispatchStats.unknown, 0);
});

test('the comparator reports a changed field and a missing entry', () => {
  const guild = [...client.guilds.values()].find((g) => g.roles.size > 1 && g.channels.size > 1 && g.members.size > 2);
  assert.ok(guild);
  const role = [...guild.roles.values()].find((r) => r.id !== guild.id);
  const channel = [...guild.channels.values()][0];
  const member = [...guild.members.values()].find((m) => m.id !== client.user?.id);
  assert.ok(role && channel && member);
  const color = role.color;
  const nick = member.nick;
  try {
    role.color = color + 1;
    member.nick = 'tampered';
    guild.channels.remove(channel);
    const report = compareWorld(client, sim.world.dump(), { limit: 100 });
    const text = report.differences.join('\n');
    assert.match(text, new RegExp(`role ${role.id} › color: expected ${color}, got ${color + 1}`));
    assert.match(text, new RegExp(`member ${member.id} › nick: expected .*, got "tampered"`));
    assert.match(text, new RegExp(`channels: missing ${channel.id}`));
  } finally {
    role.color = color;
    member.nick = nick;
    guild.channels.add(channel);
  }
  assert.equal(compareWorld(client, sim.world.dump()).differenceCount, 0);
});
