/**
 * Issue 4's headline: 5,000 role toggles across 50 guilds with zero 429s caused by the client,
 * finishing within 10% of the time the advertised limits allow. The role bucket is scaled from
 * 10 per 10 s to 10 per 1 s per guild so it runs in seconds; the pacing is read from the
 * simulator's request log (server arrival times), not from the test machine's speed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESTMethods, RestClient } from '../../src/rest/index.js';
import { startRestHarness } from '../testing/rest/harness.js';
import { roleTargets } from './targets.js';

const GUILDS = 50;
const TOGGLES_PER_GUILD = 100;
const LIMIT = 10;
const WINDOW_MS = 2_500;

test('5,000 role toggles across 50 guilds: no client-caused 429, within 10% of the limit-bound time', async () => {
  const sim = await startRestHarness({
    guilds: 120,
    seed: 'role-toggles',
    rateLimits: { 'member.roles': { limit: LIMIT, windowMs: WINDOW_MS } },
    globalLimit: { limit: 5_000, windowMs: 1_000 }
  });
  const rest = new RestClient(sim.token, { baseURL: sim.url, globalRequestsPerSecond: 5_000 });
  const api = new RESTMethods(rest);
  try {
    const targets = roleTargets(sim.world, GUILDS);
    let updates = 0;
    const stop = sim.world.onDispatch((d) => {
      if (d.t === 'GUILD_MEMBER_UPDATE') updates++;
    });
    // Every toggle is issued at once; the client must pace them itself.
    const toggles: Promise<void>[] = [];
    for (let i = 0; i < TOGGLES_PER_GUILD; i++) {
      for (const t of targets) {
        toggles.push(
          i % 2 === 0
            ? api.addGuildMemberRole(t.guildID, t.userID, t.roleID, `toggle ${i}`)
            : api.removeGuildMemberRole(t.guildID, t.userID, t.roleID)
        );
      }
    }
    const results = await Promise.allSettled(toggles);
    stop();
    const failed = results.filter((r) => r.status === 'rejected');
    assert.equal(
      failed.length,
      0,
      `failed: ${failed.slice(0, 3).map((r) => String((r as PromiseRejectedResult).reason))}`
    );

    const counts = sim.rest.log.rateLimits();
    assert.equal(counts.causedByClient, 0, `client-caused 429s: ${JSON.stringify(counts)}`);
    assert.equal(rest.stats.rateLimited, 0);
    assert.equal(updates, GUILDS * TOGGLES_PER_GUILD, 'every toggle changed the member and was dispatched');
    for (const t of targets) assert.ok(!sim.world.getMember(t.guildID, t.userID)!.roles.includes(t.roleID));

    // Pacing per guild from the server's log: n requests at L per window need (ceil(n/L) - 1)
    // full windows after the first request; allow 10% over that.
    const entries = sim.rest.log.list((e) => e.route.endsWith('/roles/:role_id') && e.status === 204);
    assert.equal(entries.length, GUILDS * TOGGLES_PER_GUILD);
    const allowed = (Math.ceil(TOGGLES_PER_GUILD / LIMIT) - 1) * WINDOW_MS;
    let slowest = 0;
    for (const t of targets) {
      const times = entries.filter((e) => e.major === t.guildID).map((e) => e.time);
      assert.equal(times.length, TOGGLES_PER_GUILD);
      const span = times[times.length - 1] - times[0];
      slowest = Math.max(slowest, span);
      assert.ok(span >= allowed * 0.999, `guild ${t.guildID} finished faster (${span} ms) than the limits allow`);
    }
    assert.ok(slowest <= allowed * 1.1, `slowest guild took ${slowest.toFixed(0)} ms, limits allow ${allowed} ms`);
    const all = entries.map((e) => e.time);
    const total = Math.max(...all) - Math.min(...all);
    assert.ok(total <= allowed * 1.1, `all toggles took ${total.toFixed(0)} ms, limits allow ${allowed} ms (+10%)`);
    // PUT and DELETE share one bucket hash, so they shared one queue.
    assert.equal(new Set(entries.map((e) => e.bucket)).size, 1);
  } finally {
    await rest.destroy();
    await sim.close();
  }
});
