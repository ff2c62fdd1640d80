/** The simulator's REST server against a raw HTTP client: routes, errors, limits, 429 bodies, faults, log. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { channelPermissions } from '../../../src/testing/rest/permissions.js';
import { roleTargets } from '../../rest/targets.js';
import { startRestHarness } from './harness.js';

type Sim = Awaited<ReturnType<typeof startRestHarness>>;

async function call(sim: Sim, method: string, path: string, body?: unknown, token: string | null = sim.token) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bot ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(sim.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, unknown> };
}

test('auth, prefixes, 404/405, snowflake validation', async () => {
  const sim = await startRestHarness({ guilds: 2, seed: 'sim-rest' });
  try {
    assert.equal((await call(sim, 'GET', '/gateway', undefined, null)).status, 200);
    const unauthorized = await call(sim, 'GET', '/users/@me', undefined, 'wrong');
    assert.deepEqual([unauthorized.status, unauthorized.json], [401, { message: '401: Unauthorized', code: 0 }]);
    assert.equal((await call(sim, 'GET', '/users/@me', undefined, null)).status, 401);
    const v9 = await fetch(sim.url.replace('/v10', '/v9') + '/users/@me', {
      headers: { authorization: `Bot ${sim.token}` }
    });
    assert.equal(v9.status, 200);
    await v9.text();
    assert.equal((await call(sim, 'GET', '/nothing/here')).status, 404);
    assert.deepEqual((await call(sim, 'POST', '/users/@me')).json, { message: '405: Method Not Allowed', code: 0 });
    const form = await call(sim, 'GET', '/guilds/abc');
    assert.equal(form.json.code, 50035);
    assert.ok((form.json.errors as Record<string, unknown>).guild_id);
    const bot = await call(sim, 'GET', '/gateway/bot');
    assert.deepEqual(Object.keys(bot.json).sort(), ['session_start_limit', 'shards', 'url']);
  } finally {
    await sim.close();
  }
});

test('Discord error codes 10003 10004 10007 10008 10011 10013 50001 50013 50035 50006', async () => {
  const sim = await startRestHarness({ guilds: 30, seed: 'sim-errors' });
  try {
    const [target] = roleTargets(sim.world, 1);
    const g = target.guildID;
    const codes = async (method: string, path: string, body?: unknown) =>
      (await call(sim, method, path, body)).json.code;
    assert.equal(await codes('GET', '/channels/1'), 10003);
    assert.equal(await codes('GET', '/guilds/1'), 10004);
    assert.equal(await codes('GET', `/guilds/${g}/members/1`), 10007);
    const channel = sim.world
      .guildCreate(g, { largeThreshold: 250, presences: false, intents: 0 })
      .channels.find((c) => c.type === 0)!;
    assert.equal(await codes('GET', `/channels/${channel.id}/messages/1`), 10008);
    assert.equal(await codes('PUT', `/guilds/${g}/members/${target.userID}/roles/1`), 10011);
    assert.equal(await codes('GET', '/users/1'), 10013);
    assert.equal(await codes('POST', `/channels/${channel.id}/messages`, {}), 50006);
    assert.equal(await codes('POST', `/channels/${channel.id}/messages`, { content: 'x'.repeat(2001) }), 50035);
    assert.equal(await codes('GET', `/guilds/${g}/members?limit=0`), 50035);
    // A role at or above the bot's highest role: hierarchy says 50013.
    const roles = sim.world.getRoles(g)!;
    const botTop = Math.max(
      ...sim.world.getMember(g, sim.world.botUser.id)!.roles.map((id) => roles.find((r) => r.id === id)?.position ?? 0)
    );
    const above = roles.find((r) => r.position >= botTop && r.id !== g);
    if (above) assert.equal(await codes('PUT', `/guilds/${g}/members/${target.userID}/roles/${above.id}`), 50013);
    // Strip every permission from the bot's roles in another guild: it can no longer see a
    // channel (50001) nor manage roles (50013).
    const other = [...sim.world.guildIDs()].find(
      (id) => id !== g && sim.world.getGuild(id)!.owner_id !== sim.world.botUser.id
    )!;
    for (const id of [other, ...sim.world.getMember(other, sim.world.botUser.id)!.roles]) {
      sim.world.updateRole(other, id, { permissions: '0' });
    }
    const hidden = sim.world
      .guildCreate(other, { largeThreshold: 250, presences: false, intents: 0 })
      .channels.find((c) => c.type === 0)!;
    assert.equal(channelPermissions(sim.world, sim.world.getChannel(hidden.id)!, sim.world.botUser.id), 0n);
    assert.equal(await codes('GET', `/channels/${hidden.id}`), 50001);
    const someone = sim.world.listMembers(other, 5).find((m) => m.user.id !== sim.world.botUser.id)!;
    const lowRole = sim.world.getRoles(other)!.find((r) => r.id !== other)!;
    assert.equal(await codes('PUT', `/guilds/${other}/members/${someone.user.id}/roles/${lowRole.id}`), 50013);
  } finally {
    await sim.close();
  }
});

test('bucket headers, a shared hash for role PUT/DELETE, and 429 bodies as Discord sends them', async () => {
  const sim = await startRestHarness({
    guilds: 30,
    seed: 'sim-limits',
    rateLimits: { 'member.roles': { limit: 2, windowMs: 300 } },
    globalLimit: { limit: 5, windowMs: 300 }
  });
  try {
    const [t] = roleTargets(sim.world, 1);
    const path = `/guilds/${t.guildID}/members/${t.userID}/roles/${t.roleID}`;
    const put = await call(sim, 'PUT', path);
    assert.equal(put.status, 204);
    assert.equal(put.headers.get('x-ratelimit-limit'), '2');
    assert.equal(put.headers.get('x-ratelimit-remaining'), '1');
    assert.ok(Number(put.headers.get('x-ratelimit-reset-after')) <= 0.3);
    assert.ok(Math.abs(Number(put.headers.get('x-ratelimit-reset')) - Date.now() / 1000) < 1);
    const del = await call(sim, 'DELETE', path);
    assert.equal(del.headers.get('x-ratelimit-bucket'), put.headers.get('x-ratelimit-bucket'));
    assert.equal(del.headers.get('x-ratelimit-remaining'), '0');
    const limited = await call(sim, 'PUT', path);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('x-ratelimit-scope'), 'user');
    assert.ok(limited.headers.get('retry-after'));
    assert.deepEqual(Object.keys(limited.json).sort(), ['global', 'message', 'retry_after']);
    assert.equal(limited.json.message, 'You are being rate limited.');
    assert.equal(limited.json.global, false);
    assert.ok(
      typeof limited.json.retry_after === 'number' && limited.json.retry_after > 0 && limited.json.retry_after <= 0.3
    );
    // Global: 5 per window per token (3 used above).
    await call(sim, 'GET', '/users/@me');
    await call(sim, 'GET', '/users/@me');
    const global = await call(sim, 'GET', '/users/@me');
    assert.equal(global.status, 429);
    assert.equal(global.headers.get('x-ratelimit-global'), 'true');
    assert.equal(global.headers.get('x-ratelimit-scope'), 'global');
    assert.equal(global.json.global, true);
    const counts = sim.rest.log.rateLimits();
    assert.deepEqual(counts, { causedByClient: 2, injected: 0, byScope: { user: 1, global: 1, shared: 0 } });
  } finally {
    await sim.close();
  }
});

test('faults: storms of each scope, 5xx bodies, forced 401, counted as injected', async () => {
  const sim = await startRestHarness({ guilds: 1, seed: 'sim-faults' });
  try {
    sim.rest.faults.rateLimitStorm({ scope: 'shared', requests: 1, retryAfterMs: 1500 });
    const shared = await call(sim, 'GET', '/users/@me');
    assert.equal(shared.headers.get('x-ratelimit-scope'), 'shared');
    assert.equal(shared.json.message, 'The resource is being rate limited.');
    assert.equal(shared.json.retry_after, 1.5);
    assert.equal(shared.headers.get('retry-after'), '2');
    sim.rest.faults.rateLimitStorm({ scope: 'global', requests: 1 });
    assert.equal((await call(sim, 'GET', '/users/@me')).json.global, true);
    sim.rest.faults.rateLimitStorm({ scope: 'user', requests: 1, route: '/guilds' });
    assert.equal((await call(sim, 'GET', '/users/@me')).status, 200, 'route filter spares other routes');
    sim.rest.faults.serverErrorBurst({ status: 500, requests: 1 });
    sim.rest.faults.serverErrorBurst({ status: 502, requests: 1 });
    sim.rest.faults.serverErrorBurst({ status: 503, requests: 1 });
    const e500 = await call(sim, 'GET', '/users/@me');
    const e502 = await call(sim, 'GET', '/users/@me');
    const e503 = await call(sim, 'GET', '/users/@me');
    assert.deepEqual([e500.status, e500.json.code], [500, 0]);
    assert.equal(e502.status, 502);
    assert.match(e502.text, /<html>/);
    assert.equal(e503.status, 503);
    sim.rest.faults.unauthorizedBurst({ requests: 1 });
    assert.equal((await call(sim, 'GET', '/users/@me')).status, 401);
    assert.equal((await call(sim, 'GET', '/users/@me')).status, 200);
    assert.equal(sim.rest.faults.active, true, 'the route-filtered storm is still armed');
    sim.rest.faults.clear();
    assert.equal(sim.rest.faults.active, false);
    const counts = sim.rest.log.rateLimits();
    assert.equal(counts.injected, 2);
    assert.equal(counts.causedByClient, 0);
    const log = sim.rest.log.list();
    assert.equal(log.length, sim.rest.log.size);
    assert.ok(log.every((e) => e.route === '/users/@me' && e.time > 0 && e.status > 0));
    assert.equal(log.filter((e) => e.injected).length, 6);
  } finally {
    await sim.close();
  }
});
