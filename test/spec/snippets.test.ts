/**
 * The spec's snippets (examples/spec/) run unchanged against the simulator and a real Redis:
 * snippet 1 builds the client, snippet 2 resolves a user and a member through the tiers, and the
 * lean-mode snippet runs with ATHENA_LEAN=1. They are type-checked by `npm run typecheck`
 * (tsconfig.examples.json); here they are executed as a user would run them.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { Simulator } from '../../src/testing/index.js';
import { REDIS_SKIP, redisAnswers } from '../cache/helpers/redis.js';

const run = promisify(execFile);
let sim: Simulator | undefined;
let redisUp = false;

async function clearPrefix(): Promise<void> {
  // The snippets hard-code the spec's prefix 'zira:'; no other test uses it.
  const redis = new Redis(6379, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', 'zira:*', 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

before(async () => {
  redisUp = await redisAnswers();
  if (!redisUp) {
    console.warn(`SKIPPING spec snippet tests: ${REDIS_SKIP}`);
    return;
  }
  await clearPrefix();
  sim = await Simulator.start({ guilds: 40, seed: 'spec-snippets', shards: 1 });
});

after(async () => {
  await sim?.close();
  if (redisUp) await clearPrefix();
});

function runExample(file: string, extraEnv: Record<string, string> = {}) {
  return run(process.execPath, ['--import', 'tsx', file], {
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: 'tsconfig.examples.json',
      ATHENA_REST_BASE_URL: sim!.restURL,
      DISCORD_TOKEN: 'simulator',
      REDIS_URL: 'redis://127.0.0.1:6379',
      ...extraEnv
    },
    timeout: 60_000
  });
}

test('snippets 1 and 2: a cold cluster resolves user and member from Redis, rebuilt with the user', async (t) => {
  if (!redisUp) return t.skip(REDIS_SKIP);
  const { stdout } = await runExample('examples/spec/tiers.ts');
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
  const expected = sim!.world.getUser(result.userID)!;
  assert.equal(result.user, expected.username);
  assert.equal(result.member, result.userID);
  assert.equal(result.memberUser, expected.username, 'the member was rebuilt with its user');
  assert.equal(result.tiers.storeHits, 1, 'the user came from Redis, not REST');
  assert.equal(result.tiers.restLoads, 0);
  // One copy means one copy: member records carry their user as { id } only.
  const redis = new Redis(6379, '127.0.0.1');
  const raw = await redis.get(
    `zira:member:${[...sim!.world.guildIDs()].find((g) => sim!.world.getMember(g, result.userID))}:${result.userID}`
  );
  const userTTL = await redis.ttl(`zira:user:${result.userID}`);
  redis.disconnect();
  assert.ok(raw, 'the member is in Redis under the spec key');
  assert.deepEqual(JSON.parse(raw).user, { id: result.userID });
  assert.ok(userTTL > 0 && userTTL <= 86_400, 'ttlSeconds applies');
});

test('lean-mode snippet: ATHENA_LEAN=1 runs with Redis-backed users and members, no voice states', async (t) => {
  if (!redisUp) return t.skip(REDIS_SKIP);
  const { stdout } = await runExample('examples/spec/lean.ts', { ATHENA_LEAN: '1' });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
  assert.equal(result.lean, true);
  assert.equal(result.guilds, 40);
  assert.equal(result.voiceStates, 0, 'NullCollection keeps no voice states');
  assert.ok(result.users > 0);
});

test('lean-mode snippet without ATHENA_LEAN keeps the defaults', async (t) => {
  if (!redisUp) return t.skip(REDIS_SKIP);
  const { stdout } = await runExample('examples/spec/lean.ts', { ATHENA_LEAN: '0' });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
  assert.equal(result.lean, false);
  assert.equal(result.guilds, 40);
});
