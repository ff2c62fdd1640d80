/** fast-check properties of route-key computation, the bucket queue and the global limiter. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Bucket, type Ticket } from '../../src/rest/Bucket.js';
import { Gate } from '../../src/rest/Gate.js';
import { GlobalLimiter } from '../../src/rest/GlobalLimiter.js';
import { InvalidRequestGuard } from '../../src/rest/InvalidRequestGuard.js';
import { routeInfo } from '../../src/rest/routeKey.js';
import { RestRateLimits } from '../../src/testing/rest/rateLimits.js';

const snowflake = fc
  .bigInt({ min: 1n << 40n, max: (1n << 63n) - 1n })
  .map(String)
  .filter((s) => s.length >= 16);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE');

/** Templates with the major parameter first; other ids are minor. */
const templates: [string, (ids: string[]) => string][] = [
  ['/guilds/:guild_id/members/:id/roles/:id', ([g, u, r]) => `/guilds/${g}/members/${u}/roles/${r}`],
  ['/guilds/:guild_id/members/:id', ([g, u]) => `/guilds/${g}/members/${u}`],
  ['/channels/:channel_id/messages/:id', ([c, m]) => `/channels/${c}/messages/${m}`],
  ['/channels/:channel_id', ([c]) => `/channels/${c}`],
  ['/users/:id', ([, u]) => `/users/${u}`]
];

test('route keys: minor ids never split a bucket, major ids always do', () => {
  fc.assert(
    fc.property(
      method,
      fc.integer({ min: 0, max: templates.length - 1 }),
      fc.array(snowflake, { minLength: 3, maxLength: 3 }),
      fc.array(snowflake, { minLength: 3, maxLength: 3 }),
      (m, index, a, b) => {
        const [template, build] = templates[index];
        // Same major (first id), different minors.
        const one = routeInfo(m, build(a), 0);
        const two = routeInfo(m, build([a[0], b[1], b[2]]), 0);
        assert.equal(one.key, two.key);
        assert.equal(one.majorParameter, two.majorParameter);
        assert.equal(one.route, template);
        const hasMajor = template.startsWith('/guilds') || template.startsWith('/channels');
        assert.equal(one.majorParameter, hasMajor ? a[0] : '');
        // Different major: same route key, different major parameter.
        const three = routeInfo(m, build([b[0], a[1], a[2]]), 0);
        assert.equal(three.key, one.key);
        if (hasMajor && a[0] !== b[0]) assert.notEqual(three.majorParameter, one.majorParameter);
      }
    )
  );
});

test('route keys: every reaction sub-route shares one key; webhook tokens are major but never shown', () => {
  fc.assert(
    fc.property(
      snowflake,
      snowflake,
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.oneof(fc.constant('@me'), snowflake),
      (c, m, emoji, user) => {
        const path = `/channels/${c}/messages/${m}/reactions/${encodeURIComponent(emoji)}/${user}`;
        const info = routeInfo('DELETE', path);
        assert.equal(info.route, '/channels/:channel_id/messages/:id/reactions/:reaction');
        assert.equal(info.majorParameter, c);
      }
    )
  );
  fc.assert(
    fc.property(snowflake, fc.stringMatching(/^[A-Za-z0-9_-]{20,68}$/), (id, token) => {
      const info = routeInfo('POST', `/webhooks/${id}/${token}`);
      assert.equal(info.route, '/webhooks/:webhook_id/:token');
      assert.equal(info.majorParameter, `${id}/${token}`);
      assert.ok(!info.displayPath.includes(token));
      assert.ok(!info.key.includes(token));
    })
  );
});

test('route keys: deleting a message older than 14 days has its own route', () => {
  const now = Date.UTC(2026, 0, 1);
  const old = String(BigInt(now - 20 * 86_400_000 - 1420070400000) << 22n);
  const fresh = String(BigInt(now - 86_400_000 - 1420070400000) << 22n);
  assert.equal(
    routeInfo('DELETE', `/channels/123456789012345678/messages/${old}`, now).route,
    '/channels/:channel_id/messages/:id/:old'
  );
  assert.equal(
    routeInfo('DELETE', `/channels/123456789012345678/messages/${fresh}`, now).route,
    '/channels/:channel_id/messages/:id'
  );
});

test('global limiter: no window of windowMs + margin ever holds more than the limit', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 20 }),
      fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 1, maxLength: 300 }),
      (limit, gaps) => {
        const limiter = new GlobalLimiter(limit, 100, 5);
        const sent: number[] = [];
        let now = 0;
        for (const gap of gaps) {
          now += gap;
          let wait = limiter.tryTake(now);
          while (wait > 0) {
            now += wait;
            wait = limiter.tryTake(now);
          }
          sent.push(now);
        }
        for (let i = limit; i < sent.length; i++) assert.ok(sent[i] - sent[i - limit] >= 105 - 1e-9);
      }
    )
  );
});

/**
 * The bucket queue against the simulator's own fixed-window counter (in process), with random
 * limits, windows, request counts and network delays: the server never has to refuse one.
 */
test('bucket queue: concurrent requests on one bucket never exceed its limit in any window', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 15, max: 40 }),
      fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 3, maxLength: 18 }),
      async (limit, windowMs, delays) => {
        const server = new RestRateLimits({ reactions: { limit, windowMs } });
        const gate = new Gate(
          new GlobalLimiter(Number.POSITIVE_INFINITY, 1000, 0),
          new InvalidRequestGuard(10_000, 60_000, () => {})
        );
        const bucket = new Bucket('test', gate);
        let refused = 0;
        const one = async (delay: number) => {
          for (;;) {
            const ticket: Ticket = await bucket.acquire();
            await sleep(delay); // request travels
            const decision = server.take('reactions', 'major');
            await sleep(delay / 2); // response travels
            const state = {
              limit: decision.limit,
              remaining: decision.remaining,
              resetAfterMs: Math.ceil(decision.resetAfterMs)
            };
            if (decision.allowed) return bucket.release(ticket, state);
            refused++;
            bucket.rateLimited(ticket, decision.resetAfterMs, state);
          }
        };
        await Promise.all(delays.map(one));
        gate.destroy();
        assert.equal(refused, 0, `limit ${limit}/${windowMs}ms, delays ${delays}`);
      }
    ),
    { numRuns: 25 }
  );
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
