/** RestClient behaviour: options, headers, bodies, typed errors, timeouts, and no token leaks. */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { inspect } from 'node:util';
import {
  DiscordHTTPError,
  DiscordRESTError,
  InvalidOptionError,
  RESTMethods,
  RESTRequestError,
  RestClient,
  USER_AGENT
} from '../../src/index.js';
import { startRestHarness } from '../testing/rest/harness.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.super-secret-token-value';

/** A server that records requests and answers with `answer`. */
async function rawServer(answer: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void) {
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    answer(req, res, body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v10`;
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      })
  };
}

test('options are validated with clear errors', () => {
  assert.throws(() => new RestClient(''), InvalidOptionError);
  assert.throws(
    () => new RestClient('a b'),
    (e: Error) => e instanceof InvalidOptionError && !e.message.includes('a b')
  );
  assert.throws(() => new RestClient(TOKEN, { baseURL: 'ftp://x' }), /rest\.baseURL/);
  assert.throws(() => new RestClient(TOKEN, { baseURL: 'not a url' }), /rest\.baseURL/);
  assert.throws(() => new RestClient(TOKEN, { timeout: -1 }), /rest\.timeout/);
  assert.throws(() => new RestClient(TOKEN, { retries: 1.5 }), /rest\.retries/);
  assert.throws(() => new RestClient(TOKEN, { globalRequestsPerSecond: 0 }), /rest\.globalRequestsPerSecond/);
  assert.throws(() => new RestClient(TOKEN, { invalidRequestLimit: 20_000 }), /rest\.invalidRequestLimit/);
  assert.throws(() => new RestClient(TOKEN, { logger: 'x' as never }), /rest\.logger/);
  const ok = new RestClient(TOKEN, { baseURL: 'http://127.0.0.1:1/api/v10' });
  assert.equal(ok.options.basePath, '/api/v10');
  void ok.destroy();
});

test('headers: Bot auth, Discord user agent, audit-log reason URI-encoded, JSON and multipart bodies', async () => {
  const server = await rawServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id":"1","content":"x"}');
  });
  const rest = new RestClient(TOKEN, { baseURL: server.url });
  try {
    const api = new RESTMethods(rest);
    await api.editGuildMember('111111111111111111', '222222222222222222', { nick: 'n' }, 'règle #1 / ok');
    await api.createMessage('333333333333333333', 'with file', { name: 'a.txt', file: 'hello file' });
    await api.getGateway();
    const [patch, post, gateway] = server.seen;
    assert.equal(patch.headers.authorization, `Bot ${TOKEN}`);
    assert.equal(patch.headers['user-agent'], USER_AGENT);
    assert.match(USER_AGENT, /^DiscordBot \(https:\/\/github\.com\/athena, \d+\.\d+\.\d+\)$/);
    assert.equal(patch.headers['x-audit-log-reason'], encodeURIComponent('règle #1 / ok'));
    assert.equal(patch.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(patch.body.toString()), { nick: 'n' });
    assert.match(String(post.headers['content-type']), /^multipart\/form-data; boundary=/);
    const form = await new Response(post.body, {
      headers: { 'content-type': String(post.headers['content-type']) }
    }).formData();
    assert.equal(await (form.get('files[0]') as Blob).text(), 'hello file');
    assert.deepEqual(JSON.parse(String(form.get('payload_json'))), {
      content: 'with file',
      attachments: [{ id: 0, filename: 'a.txt' }]
    });
    assert.equal(gateway.headers.authorization, undefined, 'GET /gateway goes without auth');
  } finally {
    await rest.destroy();
    await server.close();
  }
});

test('typed errors from the simulator, and the token never appears in errors, logs or events', async () => {
  const sim = await startRestHarness({ guilds: 1, seed: 'errors' });
  const logs: string[] = [];
  const rest = new RestClient(sim.token, {
    baseURL: sim.url,
    logger: (_l, m) => logs.push(m),
    retries: 1,
    retryBackoffMs: 5
  });
  rest.on('debug', (m) => logs.push(m));
  rest.on('warn', (m) => logs.push(m));
  rest.on('rateLimit', (e) => logs.push(JSON.stringify(e)));
  const api = new RESTMethods(rest);
  const errors: unknown[] = [];
  const keep = (e: unknown) => errors.push(e) > 0;
  try {
    const guildID = [...sim.world.guildIDs()][0];
    await assert.rejects(api.getRESTGuild('1'), (e: unknown) => {
      errors.push(e);
      return e instanceof DiscordRESTError && e.status === 404 && e.code === 10004 && e.route === '/guilds/:guild_id';
    });
    await assert.rejects(
      api.getRESTUser('2'),
      (e: unknown) => keep(e) && e instanceof DiscordRESTError && e.code === 10013
    );
    await assert.rejects(
      api.getRESTGuildMember(guildID, '3'),
      (e: unknown) => keep(e) && (e as DiscordRESTError).code === 10007
    );
    await assert.rejects(api.getRESTChannel('4'), (e: unknown) => keep(e) && (e as DiscordRESTError).code === 10003);
    await assert.rejects(api.getRESTGuildMembers(guildID, { limit: 5000 }), (e: unknown) => {
      errors.push(e);
      return e instanceof DiscordRESTError && e.code === 50035 && e.errors !== undefined && /limit/.test(e.message);
    });
    sim.rest.faults.serverErrorBurst({ status: 502, requests: 2 });
    await assert.rejects(api.getRESTUser('@me'), (e: unknown) => keep(e) && e instanceof DiscordHTTPError);
    sim.rest.faults.rateLimitStorm({ scope: 'global', requests: 1, retryAfterMs: 5 });
    await api.getRESTUser('@me');
    const bad = new RestClient(`${sim.token}x`, { baseURL: sim.url });
    await assert.rejects(
      new RESTMethods(bad).getRESTUser('@me'),
      (e: unknown) => keep(e) && (e as DiscordRESTError).status === 401
    );
    await bad.destroy();
    const refused = new RestClient(sim.token, {
      baseURL: 'http://127.0.0.1:1/api/v10',
      retries: 1,
      retryBackoffMs: 5,
      logger: (_l, m) => logs.push(m)
    });
    await assert.rejects(
      new RESTMethods(refused).getRESTUser('@me'),
      (e: unknown) => keep(e) && e instanceof RESTRequestError
    );
    await refused.destroy();
  } finally {
    await rest.destroy();
    await sim.close();
  }
  assert.ok(errors.length >= 8 && logs.length > 0);
  const everything = [
    ...logs,
    ...errors.flatMap((e) => [String(e), (e as Error).stack ?? '', JSON.stringify(e), inspect(e, { depth: 5 })]),
    inspect(rest, { depth: 3 }),
    JSON.stringify(rest.options)
  ].join('\n');
  assert.ok(!everything.includes(sim.token), 'the token leaked');
});

test('timeouts: GET retried then RESTRequestError(timedOut); a POST that timed out is never re-sent', async () => {
  const server = await rawServer(() => {
    /* never answers */
  });
  const rest = new RestClient(TOKEN, { baseURL: server.url, timeout: 100, retries: 1, retryBackoffMs: 5 });
  try {
    const api = new RESTMethods(rest);
    await assert.rejects(api.getRESTUser('@me'), (e: unknown) => e instanceof RESTRequestError && e.timedOut);
    assert.equal(server.seen.filter((s) => s.method === 'GET').length, 2);
    await assert.rejects(
      api.createMessage('333333333333333333', 'once'),
      (e: unknown) => e instanceof RESTRequestError
    );
    assert.equal(server.seen.filter((s) => s.method === 'POST').length, 1);
  } finally {
    await rest.destroy();
    await server.close();
  }
});

test('endpoints round-trip through the simulator world', async () => {
  const sim = await startRestHarness({ guilds: 2, seed: 'endpoints' });
  const rest = new RestClient(sim.token, { baseURL: sim.url });
  const api = new RESTMethods(rest);
  try {
    assert.equal((await api.getRESTUser('@me')).id, sim.world.botUser.id);
    assert.equal((await api.getBotGateway()).shards, 1);
    const guildID = [...sim.world.guildIDs()][0];
    const guild = await api.getRESTGuild(guildID, true);
    assert.equal(guild.id, guildID);
    const members = await api.getRESTGuildMembers(guildID, { limit: 3 });
    assert.equal(members.length, 3);
    const next = await api.getRESTGuildMembers(guildID, { limit: 2, after: members[2].user.id });
    assert.ok(BigInt(next[0].user.id) > BigInt(members[2].user.id));
    assert.equal((await api.getRESTGuildMember(guildID, members[0].user.id)).user.id, members[0].user.id);
    const channel = sim.world
      .guildCreate(guildID, { largeThreshold: 250, presences: false, intents: 0 })
      .channels.find((c) => c.type === 0)!;
    assert.equal((await api.getRESTChannel(channel.id)).id, channel.id);
    const message = await api.createMessage(channel.id, 'hi');
    assert.equal((await api.getMessage(channel.id, message.id)).content, 'hi');
    assert.equal((await api.editMessage(channel.id, message.id, 'edited')).content, 'edited');
    await api.addMessageReaction(channel.id, message.id, '🔥');
    await api.removeMessageReaction(channel.id, message.id, '🔥');
    assert.ok((await api.getMessages(channel.id, { limit: 5 })).some((m) => m.id === message.id));
    await api.deleteMessage(channel.id, message.id);
    await assert.rejects(
      api.getMessage(channel.id, message.id),
      (e: unknown) => (e as DiscordRESTError).code === 10008
    );
  } finally {
    await rest.destroy();
    await sim.close();
  }
});
