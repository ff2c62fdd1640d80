import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { World, WorldError } from '../../src/testing/index.js';
import { ChannelTypes, Intents, Permissions } from '../../src/util/constants.js';

function dumpOf(world: World, count: number) {
  const out = [];
  for (const entry of world.dump()) {
    out.push(entry);
    if (out.length === count) break;
  }
  return out;
}

describe('simulator world', () => {
  it('is deterministic from its seed, and differs across seeds', () => {
    const a = new World({ seed: 'same', guilds: 200 });
    const b = new World({ seed: 'same', guilds: 200 });
    const c = new World({ seed: 'other', guilds: 200 });
    // Reading guilds in a different order must not change them (per-guild generators).
    b.getGuild([...b.guildIDs()][150]);
    assert.deepEqual(dumpOf(a, 200), dumpOf(b, 200));
    assert.notDeepEqual(dumpOf(a, 5), dumpOf(c, 5));
    assert.equal(a.botUser.id, b.botUser.id);
  });

  it('skews membership: popular users in most guilds, the median user in very few', () => {
    const world = new World({ seed: 'skew', guilds: 1000 });
    const perUser = new Map<string, number>();
    let large = 0;
    for (const { members } of world.dump()) {
      if (members.length > 250) large++;
      for (const m of members)
        if (m.user.id !== world.botUser.id) perUser.set(m.user.id, (perUser.get(m.user.id) ?? 0) + 1);
    }
    const counts = [...perUser.values()].sort((x, y) => y - x);
    assert.ok(counts[0] > 500, `most popular user is in ${counts[0]} of 1000 guilds`);
    assert.ok(counts[counts.length >> 1] <= 3, 'the median user is in few guilds');
    assert.ok(large > 0, 'some guilds are above 250 members');
  });

  it('generates roles with bitfields and positions, every channel type, overwrites, threads, voice, stages, emojis', () => {
    const world = new World({ seed: 'shape', guilds: 300 });
    const types = new Set<number>();
    let overwriteTypes = new Set<number>();
    let threads = 0;
    let voiceStates = 0;
    let stages = 0;
    let emojis = 0;
    for (const { guild } of world.dump()) {
      const g = guild as any;
      const positions = g.roles.map((r: any) => r.position).sort((x: number, y: number) => x - y);
      assert.deepEqual(
        positions,
        positions.map((_: number, i: number) => i),
        'positions 0..n-1'
      );
      for (const r of g.roles) assert.match(r.permissions, /^\d+$/);
      assert.equal(g.roles.find((r: any) => r.id === g.id).position, 0);
      for (const ch of g.channels) {
        types.add(ch.type);
        overwriteTypes = new Set([...overwriteTypes, ...ch.permission_overwrites.map((o: any) => o.type)]);
      }
      threads += g.threads.length;
      voiceStates += g.voice_states.length;
      stages += g.stage_instances.length;
      emojis += g.emojis.length;
    }
    for (const t of [
      ChannelTypes.GuildCategory,
      ChannelTypes.GuildText,
      ChannelTypes.GuildVoice,
      ChannelTypes.GuildAnnouncement,
      ChannelTypes.GuildStageVoice,
      ChannelTypes.GuildForum
    ]) {
      assert.ok(types.has(t), `channel type ${t}`);
    }
    assert.deepEqual([...overwriteTypes].sort(), [0, 1], 'role and member overwrites');
    assert.ok(threads > 0 && voiceStates > 0 && stages > 0 && emojis > 0);
  });

  it('is lazy: reading keeps no state; a change keeps only that guild, and dump() shows it', () => {
    const world = new World({ seed: 'lazy', guilds: 100 });
    const ids = [...world.guildIDs()];
    for (const id of ids) world.getGuild(id);
    assert.equal(world.liveGuildCount, 0);
    const guildID = ids[7];
    const setup = world.reactionRoles(guildID);
    const userID = world.memberIDs(guildID).find((id) => id !== world.botUser.id)!;
    const seen: string[] = [];
    world.onDispatch((d) => seen.push(d.t));
    world.addMemberRole(guildID, userID, setup.pairs[0].roleID);
    assert.equal(world.liveGuildCount, 1);
    assert.deepEqual(seen, ['GUILD_MEMBER_UPDATE']);
    const dumped = [...world.dump()][7];
    assert.ok(dumped.members.find((m) => m.user.id === userID)!.roles.includes(setup.pairs[0].roleID));
  });

  it('enforces the role hierarchy: 50013 above the bot, on managed roles, and for nicknames of higher members', () => {
    const world = new World({ seed: 'hierarchy', guilds: 20 });
    const guildID = [...world.guildIDs()][3];
    const roles = world.getRoles(guildID)!;
    const admin = roles.reduce((top, r) => (r.position > top.position ? r : top));
    const botRole = roles.find((r) => r.managed)!;
    assert.ok(BigInt(botRole.permissions) & Permissions.manageRoles);
    const userID = world
      .memberIDs(guildID)
      .find((id) => id !== world.botUser.id && id !== world.getGuild(guildID)!.owner_id)!;
    const code = (fn: () => void) => {
      try {
        fn();
        return 0;
      } catch (error) {
        assert.ok(error instanceof WorldError);
        return error.code;
      }
    };
    assert.equal(
      code(() => world.addMemberRole(guildID, userID, admin.id)),
      50013
    );
    assert.equal(
      code(() => world.addMemberRole(guildID, userID, botRole.id)),
      50013
    );
    assert.equal(
      code(() => world.addMemberRole(guildID, userID, '1')),
      10011
    );
    assert.equal(
      code(() => world.addMemberRole(guildID, '1', admin.id)),
      10007
    );
    assert.equal(
      code(() => world.addMemberRole('1', userID, admin.id)),
      10004
    );
    const owner = world.getGuild(guildID)!.owner_id;
    assert.equal(
      code(() => world.editMember(guildID, owner, { nick: 'x' })),
      50013
    );
    for (const pair of world.reactionRoles(guildID).pairs) {
      assert.equal(
        code(() => world.addMemberRole(guildID, userID, pair.roleID)),
        0
      );
      assert.equal(
        code(() => world.removeMemberRole(guildID, userID, pair.roleID)),
        0
      );
    }
  });

  it('handles messages and reactions with Discord shapes (MESSAGE_REACTION_ADD carries member)', () => {
    const world = new World({ seed: 'messages', guilds: 10 });
    const guildID = [...world.guildIDs()][0];
    const { channelID, messageID, pairs } = world.reactionRoles(guildID);
    const events: any[] = [];
    world.onDispatch((d) => events.push(d));
    const userID = world.memberIDs(guildID).find((id) => id !== world.botUser.id)!;
    world.addReaction(channelID, messageID, userID, pairs[0].emoji);
    world.addReaction(channelID, messageID, userID, pairs[0].emoji);
    world.removeReaction(channelID, messageID, userID, pairs[0].emoji);
    assert.deepEqual(
      events.map((e) => e.t),
      ['MESSAGE_REACTION_ADD', 'MESSAGE_REACTION_REMOVE']
    );
    assert.equal(events[0].intent, Intents.GuildMessageReactions);
    assert.equal(events[0].d.member.user.id, userID);
    assert.deepEqual(events[0].d.emoji, { id: null, name: pairs[0].emoji });
    assert.equal(events[1].d.member, undefined);
    // @everyone may not send in the reaction-roles channel, but the bot's role overwrite allows it.
    const sent = world.createMessage(channelID, world.botUser.id, 'hi');
    assert.equal(world.getMessage(channelID, sent.id)?.content, 'hi');
    assert.equal(world.listMessages(channelID, 10)[0].id, sent.id);
    world.editMessage(channelID, sent.id, 'edited');
    world.deleteMessage(channelID, sent.id);
    assert.equal(world.getMessage(channelID, sent.id), undefined);
    assert.throws(
      () => world.addReaction(channelID, '123', userID, '🔴'),
      (e: unknown) => e instanceof WorldError && e.code === 10008
    );
  });

  it('rejects bad options with clear errors', () => {
    assert.throws(() => new World({ seed: 's', guilds: 0 }), /guilds/);
    assert.throws(() => new World({ seed: 's', guilds: 10, zipfExponent: -1 }), /zipfExponent/);
    assert.throws(() => new World({ seed: {} as any, guilds: 10 }), /seed/);
  });
});
