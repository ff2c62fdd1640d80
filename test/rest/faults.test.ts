/**
 * Injected 429 storms of each scope and 5xx bursts: every request completes or ends in a typed
 * error after its retries, none is lost, and a POST is never sent again once the server may
 * have acted on it (only 429s, which Discord answers before acting, are retried).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIMessage } from 'discord-api-types/v10';
import { DiscordHTTPError, DiscordRESTError, RESTMethods, RestClient } from '../../src/rest/index.js';
import type { RestHarness } from '../testing/rest/harness.js';
import { startRestHarness } from '../testing/rest/harness.js';

async function setup(): Promise<{ sim: RestHarness; rest: RestClient; api: RESTMethods; channelID: string }> {
  const sim = await startRestHarness({
    guilds: 3,
    seed: 'faults',
    rateLimits: {
      'messages.create': { limit: 50, windowMs: 200 },
      users: { limit: 50, windowMs: 200 },
      channel: { limit: 50, windowMs: 200 }
    },
    globalLimit: { limit: 1_000, windowMs: 1_000 }
  });
  const rest = new RestClient(sim.token, { baseURL: sim.url, retries: 3, retryBackoffMs: 10, maxRateLimitRetries: 50 });
  const api = new RESTMethods(rest);
  const guildID = [...sim.world.guildIDs()][0];
  const channel = sim.world
    .guildCreate(guildID, { largeThreshold: 250, presences: false, intents: 0 })
    .channels.find((c) => c.type === 0)!;
  return { sim, rest, api, channelID: channel.id };
}

/** Fires GETs and nonce-tagged POSTs together; checks nothing was lost or sent twice. */
async function burst(ctx: Awaited<ReturnType<typeof setup>>, label: string) {
  const { sim, api, channelID } = ctx;
  const gets = Array.from({ length: 20 }, () => api.getRESTChannel(channelID));
  const posts = Array.from({ length: 10 }, (_, i) =>
    api.createMessage(channelID, { content: `${label} ${i}`, nonce: `${label}-${i}` })
  );
  const results = await Promise.allSettled([...gets, ...posts]);
  assert.equal(results.length, 30, 'every request settled');
  for (const r of results) {
    if (r.status === 'rejected') {
      assert.ok(r.reason instanceof DiscordRESTError || r.reason instanceof DiscordHTTPError, `typed: ${r.reason}`);
    }
  }
  // A POST reaches the handler (any answer but 429) at most once.
  const postEntries = sim.rest.log.list((e) => e.method === 'POST' && e.status !== 429);
  for (let i = 0; i < 10; i++) {
    const nonce = `${label}-${i}`;
    const sends = postEntries.filter((e) => (e.body as { nonce?: string } | undefined)?.nonce === nonce);
    assert.ok(sends.length <= 1, `${nonce} was sent ${sends.length} times`);
    const outcome = results[20 + i] as PromiseSettledResult<APIMessage>;
    if (outcome.status === 'fulfilled') {
      assert.equal(sends.length, 1);
      assert.equal(outcome.value.content, `${label} ${i}`);
      assert.ok(sim.world.getMessage(channelID, outcome.value.id), 'the created message exists once');
    }
  }
  return results;
}

for (const scope of ['user', 'global', 'shared'] as const) {
  test(`429 storm of scope ${scope}: everything completes, POSTs once`, async () => {
    const ctx = await setup();
    try {
      ctx.sim.rest.faults.rateLimitStorm({ scope, requests: 25, retryAfterMs: 30 });
      const results = await burst(ctx, scope);
      assert.ok(
        results.every((r) => r.status === 'fulfilled'),
        'a 429 is always retried'
      );
      const counts = ctx.sim.rest.log.rateLimits();
      assert.equal(counts.injected, 25);
      assert.equal(counts.byScope[scope], 25);
      assert.equal(counts.causedByClient, 0);
      assert.equal(ctx.rest.stats.rateLimited, 25);
    } finally {
      await ctx.rest.destroy();
      await ctx.sim.close();
    }
  });
}

test('a storm lasting a duration is waited out', async () => {
  const ctx = await setup();
  try {
    ctx.sim.rest.faults.rateLimitStorm({ scope: 'user', durationMs: 150, retryAfterMs: 40 });
    const results = await burst(ctx, 'timed');
    assert.ok(results.every((r) => r.status === 'fulfilled'));
  } finally {
    await ctx.rest.destroy();
    await ctx.sim.close();
  }
});

for (const status of [500, 502, 503] as const) {
  test(`${status} burst: GETs retried to success, POSTs fail typed and are not re-sent`, async () => {
    const ctx = await setup();
    try {
      ctx.sim.rest.faults.serverErrorBurst({ status, requests: 12 });
      const results = await burst(ctx, `e${status}`);
      const gets = results.slice(0, 20);
      assert.ok(
        gets.every((r) => r.status === 'fulfilled'),
        'idempotent requests recover within their retries'
      );
      for (const r of results.slice(20)) {
        if (r.status === 'rejected') {
          assert.equal((r.reason as { status: number }).status, status);
          assert.ok(status === 500 ? r.reason instanceof DiscordRESTError : r.reason instanceof DiscordHTTPError);
        }
      }
      assert.equal(ctx.sim.rest.log.list((e) => e.status === status).length, 12);
    } finally {
      await ctx.rest.destroy();
      await ctx.sim.close();
    }
  });
}

test('a 5xx burst longer than the retries ends in a typed error after retries + 1 attempts', async () => {
  const ctx = await setup();
  try {
    ctx.sim.rest.faults.serverErrorBurst({ status: 502, requests: 100 });
    await assert.rejects(ctx.api.getRESTUser('@me'), (e: unknown) => e instanceof DiscordHTTPError && e.status === 502);
    assert.equal(ctx.sim.rest.log.list((e) => e.route === '/users/@me').length, 4);
  } finally {
    await ctx.rest.destroy();
    await ctx.sim.close();
  }
});

test('the invalid-request guard keeps 401s under its limit in any window', async () => {
  const sim = await startRestHarness({ guilds: 1, seed: 'guard' });
  const warnings: string[] = [];
  const rest = new RestClient(sim.token, {
    baseURL: sim.url,
    invalidRequestLimit: 8,
    invalidRequestWindowMs: 400,
    logger: (level, message) => level === 'warn' && warnings.push(message)
  });
  try {
    sim.rest.faults.unauthorizedBurst({ requests: 1_000 });
    const api = new RESTMethods(rest);
    const results = await Promise.allSettled(Array.from({ length: 24 }, () => api.getRESTUser('@me')));
    assert.ok(
      results.every((r) => r.status === 'rejected' && r.reason instanceof DiscordRESTError && r.reason.status === 401)
    );
    const most = sim.rest.log.maxInWindow(400, (e) => e.status === 401);
    assert.ok(most <= 8, `${most} 401s within 400 ms`);
    assert.ok(warnings.some((w) => w.includes('invalid requests')));
  } finally {
    await rest.destroy();
    await sim.close();
  }
});
