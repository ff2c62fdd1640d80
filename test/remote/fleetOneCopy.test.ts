/**
 * One copy fleet-wide, a bounded heap per process: four Client processes (test/remote/fixtures/
 * fleetBot.ts) run disjoint shard ranges of one simulator and write users and members through to
 * one Redis prefix. Afterwards Redis holds exactly one key per unique user and per (guild, member)
 * the simulator sent in GUILD_CREATEs (computed from sim.world), and each process's hot sets stayed
 * within bounds five times smaller than the part of the world it saw.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { Simulator } from '../../src/testing/index.js';
import { REDIS_SKIP, redisAnswers, uniquePrefix } from '../cache/helpers/redis.js';

const GUILDS = 20_000;
/**
 * Members per guild on average. The world default is 50 (720,000 (guild, member) pairs: ~55 s on the
 * busy 2-core machine, and the default 100,000-record write queue drops under four processes
 * loading at once); 10 keeps the run near 20 s. ATHENA_FLEET_AVERAGE_MEMBERS=50 with
 * ATHENA_FLEET_MAX_PENDING=1000000 runs the full-size world.
 */
const AVERAGE_MEMBERS = Number(process.env.ATHENA_FLEET_AVERAGE_MEMBERS) || 10;
const MAX_PENDING = process.env.ATHENA_FLEET_MAX_PENDING ?? '100000';
const SHARDS = 16;
const PROCESSES = 4;
/** Identify's large_threshold the Client sends by default: larger guilds carry only the bot and members in voice. */
const LARGE_THRESHOLD = 250;

interface ChildReport {
  guilds: number;
  users: number;
  usersMax: number;
  userLimit: number;
  members: number;
  membersMax: number;
  memberBudget: number;
  writes: { queued: number; flushed: number; dropped: number; errors: number };
  batches: number;
  heapUsedMB: number;
}

let redisUp = false;
let sim: Simulator | undefined;
let redis: Redis | undefined;
const prefix = uniquePrefix('fleet');

before(async () => {
  redisUp = await redisAnswers();
  if (!redisUp) {
    console.warn(`SKIPPING fleet one-copy test: ${REDIS_SKIP}`);
    return;
  }
  redis = new Redis(6379, '127.0.0.1');
  sim = await Simulator.start({
    guilds: GUILDS,
    seed: 'fleet-one-copy',
    shards: SHARDS,
    // Four processes identify at once; pace them in one window instead of 16 × 5 s.
    maxConcurrency: SHARDS,
    world: { averageMembers: AVERAGE_MEMBERS }
  });
});

after(async () => {
  await sim?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  }
});

async function deletePrefix(client: Redis, keyPrefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 5000);
    if (keys.length > 0) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** What the simulator sends each process, from the world: member keys and user ids per process. */
function expectedFromWorld(world: Simulator['world']) {
  const perProcess = Array.from({ length: PROCESSES }, () => ({
    guilds: 0,
    members: 0,
    users: new Set<string>()
  }));
  const memberKeys = new Set<string>();
  const userKeys = new Set<string>([`user:${world.botUser.id}`]);
  const shardsPerProcess = SHARDS / PROCESSES;
  for (const { guild, members } of world.dump()) {
    const shard = Number((BigInt(guild.id) >> 22n) % BigInt(SHARDS));
    const share = perProcess[Math.floor(shard / shardsPerProcess)];
    const inVoice = new Set((guild.voice_states ?? []).map((v) => v.user_id));
    const sent =
      members.length > LARGE_THRESHOLD
        ? members.filter((m) => m.user.id === world.botUser.id || inVoice.has(m.user.id))
        : members;
    share.guilds++;
    share.members += sent.length;
    for (const member of sent) {
      memberKeys.add(`member:${guild.id}:${member.user.id}`);
      userKeys.add(`user:${member.user.id}`);
      share.users.add(member.user.id);
    }
  }
  return { perProcess, memberKeys, userKeys };
}

function runBot(env: Record<string, string>): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/remote/fixtures/fleetBot.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as ChildReport);
      else
        reject(
          new Error(`fleet bot ${env.FLEET_FIRST}-${env.FLEET_LAST} exited ${code ?? signal}:\n${stderr}${stdout}`)
        );
    });
  });
}

test(`four processes over ${GUILDS.toLocaleString('en')} guilds: one Redis key per user and per (guild, member); hot sets bounded`, {
  timeout: 180_000
}, async (t) => {
  if (!redisUp) return t.skip(REDIS_SKIP);
  const started = Date.now();
  const expected = expectedFromWorld(sim!.world);
  // Bounds five times smaller than the smallest share any process sees.
  const memberBudget = Math.floor(Math.min(...expected.perProcess.map((p) => p.members)) / 5);
  const userLimit = Math.floor(Math.min(...expected.perProcess.map((p) => p.users.size)) / 5);
  assert.ok(memberBudget > 0 && userLimit > 0);
  const worldMs = Date.now() - started;

  const shardsPerProcess = SHARDS / PROCESSES;
  const reports = await Promise.all(
    expected.perProcess.map((_share, i) =>
      runBot({
        ATHENA_REST_BASE_URL: sim!.restURL,
        DISCORD_TOKEN: sim!.token,
        REDIS_PORT: '6379',
        FLEET_PREFIX: prefix,
        FLEET_FIRST: String(i * shardsPerProcess),
        FLEET_LAST: String((i + 1) * shardsPerProcess - 1),
        FLEET_SHARDS: String(SHARDS),
        FLEET_GUILDS: String(expected.perProcess[i].guilds),
        FLEET_USER_LIMIT: String(userLimit),
        FLEET_MEMBER_BUDGET: String(memberBudget),
        FLEET_MAX_PENDING: MAX_PENDING
      })
    )
  );

  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis!.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    for (const key of keys) found.add(key.slice(prefix.length));
    cursor = next;
  } while (cursor !== '0');

  const memberCount = [...found].filter((k) => k.startsWith('member:')).length;
  const userCount = [...found].filter((k) => k.startsWith('user:')).length;
  t.diagnostic(
    `world: ${GUILDS} guilds, ${AVERAGE_MEMBERS} members on average; ${expected.memberKeys.size} (guild, member) pairs, ${expected.userKeys.size} unique users sent (computed in ${worldMs} ms); ` +
      `Redis: ${memberCount} member keys, ${userCount} user keys; bounds: ${memberBudget} members, ${userLimit} users per process; ` +
      `total ${((Date.now() - started) / 1000).toFixed(1)} s`
  );
  for (const [i, r] of reports.entries()) {
    const share = expected.perProcess[i];
    t.diagnostic(
      `process ${i}: ${r.guilds} guilds, saw ${share.members} members / ${share.users.size} users; ` +
        `hot set now ${r.members} members (max ${r.membersMax}) / ${r.users} users (max ${r.usersMax}); ` +
        `writes queued ${r.writes.queued}, flushed ${r.writes.flushed} in ${r.batches} batches, dropped ${r.writes.dropped}; heap ${r.heapUsedMB} MB`
    );
  }

  // Exactly one key per unique user and per (guild, member): nothing missing, nothing extra.
  assert.equal(memberCount, expected.memberKeys.size, 'one key per (guild, member) sent');
  assert.equal(userCount, expected.userKeys.size, 'one key per unique user sent');
  for (const key of expected.memberKeys) assert.ok(found.has(key), `missing ${key}`);
  for (const key of expected.userKeys) assert.ok(found.has(key), `missing ${key}`);
  assert.equal(found.size, expected.memberKeys.size + expected.userKeys.size, 'no other keys under the prefix');

  // One copy means one copy: a stored member carries its user as { id } only.
  const someMember = [...expected.memberKeys][123];
  assert.deepEqual(JSON.parse((await redis!.get(prefix + someMember))!).user, { id: someMember.split(':')[2] });

  for (const [i, r] of reports.entries()) {
    const share = expected.perProcess[i];
    assert.equal(r.guilds, share.guilds, `process ${i} received its guilds`);
    assert.ok(share.members >= 5 * r.memberBudget, 'the members a process sees are at least 5× its bound');
    assert.ok(share.users.size >= 5 * r.userLimit, 'the users a process sees are at least 5× its bound');
    assert.ok(r.membersMax <= r.memberBudget, `process ${i}: members hot set ${r.membersMax} > ${r.memberBudget}`);
    assert.ok(r.usersMax <= r.userLimit, `process ${i}: users hot set ${r.usersMax} > ${r.userLimit}`);
    assert.ok(r.members <= r.memberBudget);
    assert.equal(r.writes.dropped, 0, `process ${i} dropped writes`);
    assert.equal(r.writes.errors, 0, `process ${i} had write errors`);
  }
});
