import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Simulator } from '../../src/testing/index.js';

describe('simulator traffic driver', () => {
  it('toggles reaction roles so a test can compute every member’s final roles', async () => {
    const sim = await Simulator.start({ guilds: 50, seed: 'traffic' });
    try {
      const guilds = [...sim.world.guildIDs()].slice(0, 5);
      const initial = new Map<string, string[]>();
      for (const g of guilds)
        for (const id of sim.world.memberIDs(g)) initial.set(`${g}:${id}`, sim.world.getMember(g, id)!.roles);
      // A reaction-role "bot" reacting to the world's dispatches, as a real bot would over the gateway.
      sim.world.onDispatch((event) => {
        const d = event.d as any;
        if (event.t !== 'MESSAGE_REACTION_ADD' && event.t !== 'MESSAGE_REACTION_REMOVE') return;
        const pair = sim.world.reactionRoles(d.guild_id).pairs.find((p) => p.emoji === d.emoji.name)!;
        if (event.t === 'MESSAGE_REACTION_ADD') sim.world.addMemberRole(d.guild_id, d.user_id, pair.roleID);
        else sim.world.removeMemberRole(d.guild_id, d.user_id, pair.roleID);
      });
      sim.traffic.trackReactions = true;
      const report = await sim.traffic.run({ events: 500, guilds });
      assert.equal(report.emitted, 500);
      assert.equal(report.byKind.reaction, 500);
      const states = sim.traffic.reactionStates();
      assert.ok(states.some((s) => s.reacted) && states.some((s) => !s.reacted));
      for (const s of states) {
        const roles = sim.world.getMember(s.guildID, s.userID)!.roles;
        assert.equal(roles.includes(s.roleID), s.reacted, `${s.userID} ${s.emoji}`);
        assert.equal(sim.world.hasReacted(s.messageID, s.emoji, s.userID), s.reacted);
      }
      // Members nobody touched keep their generated roles.
      const touched = new Set(states.map((s) => `${s.guildID}:${s.userID}`));
      for (const [key, roles] of initial) {
        if (touched.has(key)) continue;
        const [g, id] = key.split(':');
        assert.deepEqual(sim.world.getMember(g, id)!.roles, roles);
      }
    } finally {
      await sim.close();
    }
  });

  it('emits every kind at a fixed rate and validates its options', async () => {
    const sim = await Simulator.start({ guilds: 20, seed: 'kinds' });
    try {
      const seen = new Set<string>();
      sim.world.onDispatch((d) => seen.add(d.t));
      const mix = {
        reaction: 1,
        memberAdd: 1,
        memberUpdate: 1,
        memberRemove: 1,
        roleUpdate: 1,
        channelUpdate: 1,
        message: 1,
        presence: 1,
        typing: 1
      };
      const report = await sim.traffic.run({ events: 300, rate: 5000, mix });
      assert.equal(report.emitted + report.skipped, 300);
      for (const t of [
        'MESSAGE_REACTION_ADD',
        'GUILD_MEMBER_ADD',
        'GUILD_MEMBER_UPDATE',
        'GUILD_MEMBER_REMOVE',
        'GUILD_ROLE_UPDATE',
        'CHANNEL_UPDATE',
        'MESSAGE_CREATE',
        'PRESENCE_UPDATE',
        'TYPING_START'
      ]) {
        assert.ok(seen.has(t), t);
      }
      assert.throws(() => sim.traffic.run({ events: 1, mix: { bogus: 1 } as any }), /unknown traffic kind/);
      assert.throws(() => sim.traffic.run({ events: 1, rate: -1 }), /rate/);
    } finally {
      await sim.close();
    }
  });
});
