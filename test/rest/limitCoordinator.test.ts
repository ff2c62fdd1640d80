/**
 * The RestClient's side of the limit coordinator contract, with a recording coordinator against the
 * simulator: asked once per attempt after the local limiters, told every outcome (headers, 429
 * scope, status 0 when no answer came), its refusal fails the request with its own typed error and
 * frees the bucket for the next request.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RestClient, type RestLimitCoordinator, type RestLimitOutcome, type RestLimitTarget } from '../../src/index.js';
import { AthenaError } from '../../src/util/errors.js';
import { type RestHarness, startRestHarness } from '../testing/rest/harness.js';

class Refused extends AthenaError {
  override name = 'Refused';
}

/** Grants numbered permits, records every call, refuses while `refuse` is set. */
class RecordingCoordinator implements RestLimitCoordinator<number> {
  readonly acquired: RestLimitTarget[] = [];
  readonly reports: { permit: number; target: RestLimitTarget; outcome: RestLimitOutcome }[] = [];
  refuse = false;
  private next = 0;
  async acquire(target: RestLimitTarget): Promise<number> {
    this.acquired.push(target);
    if (this.refuse) throw new Refused('the fleet says no');
    return ++this.next;
  }
  report(permit: number, target: RestLimitTarget, outcome: RestLimitOutcome): void {
    this.reports.push({ permit, target, outcome });
  }
}

let sim: RestHarness;
before(async () => {
  sim = await startRestHarness({ guilds: 1, rateLimits: { users: { limit: 5, windowMs: 1000 } } });
});
after(() => sim.close());

test('every attempt is acquired after the local limiters and reported with what Discord said', async () => {
  const coordinator = new RecordingCoordinator();
  const rest = new RestClient(sim.token, { baseURL: sim.url, limitCoordinator: coordinator });
  try {
    await rest.request('GET', '/users/@me');
    await rest.request('GET', '/users/@me');
    assert.equal(coordinator.acquired.length, 2);
    assert.deepEqual(coordinator.acquired[0], {
      routeKey: 'GET /users/@me',
      route: '/users/@me',
      majorParameter: '',
      bucketHash: undefined
    });
    // The second request carries the hash the first answer taught this client.
    const hash = sim.rest.rateLimits.hash('users');
    assert.equal(coordinator.acquired[1].bucketHash, hash);
    assert.deepEqual(
      coordinator.reports.map((r) => r.permit),
      [1, 2]
    );
    const first = coordinator.reports[0].outcome;
    assert.equal(first.status, 200);
    assert.equal(first.headers?.hash, hash);
    assert.equal(first.headers?.limit, 5);
    assert.equal(first.rateLimit, undefined);

    // A 429 is reported with its scope, then the retry is acquired and reported again.
    sim.rest.faults.rateLimitStorm({ scope: 'shared', requests: 1, retryAfterMs: 50 });
    await rest.request('GET', '/users/@me');
    const [storm, retried] = coordinator.reports.slice(-2).map((r) => r.outcome);
    assert.equal(storm.status, 429);
    assert.deepEqual(storm.rateLimit, { scope: 'shared', retryAfterMs: 50 });
    assert.equal(retried.status, 200);
    assert.equal(coordinator.acquired.length, 4);
  } finally {
    await rest.destroy();
  }
});

test('no answer is reported as status 0', async () => {
  const coordinator = new RecordingCoordinator();
  const rest = new RestClient(sim.token, {
    baseURL: 'http://127.0.0.1:1/api/v10',
    retries: 0,
    limitCoordinator: coordinator
  });
  try {
    await assert.rejects(rest.request('GET', '/users/@me'));
    assert.equal(coordinator.reports.length, 1);
    assert.deepEqual(coordinator.reports[0].outcome, { status: 0, headers: undefined, rateLimit: undefined });
  } finally {
    await rest.destroy();
  }
});

test("a refusal fails the request with the coordinator's error and frees the bucket", async () => {
  const coordinator = new RecordingCoordinator();
  const rest = new RestClient(sim.token, { baseURL: sim.url, limitCoordinator: coordinator });
  try {
    coordinator.refuse = true;
    const before = sim.rest.log.size;
    await assert.rejects(rest.request('GET', '/users/@me'), Refused);
    assert.equal(sim.rest.log.size, before, 'nothing was sent');
    assert.equal(coordinator.reports.length, 0, 'a refused request has no permit to give back');
    coordinator.refuse = false;
    // The bucket's probe slot was released: the next request goes at once.
    await rest.request('GET', '/users/@me');
    assert.equal(coordinator.reports.length, 1);
  } finally {
    await rest.destroy();
  }
});

test('a coordinator whose report throws never fails the request', async () => {
  const warnings: string[] = [];
  const coordinator: RestLimitCoordinator = {
    acquire: async () => 'permit',
    report: () => {
      throw new Error('report broke');
    }
  };
  const rest = new RestClient(sim.token, {
    baseURL: sim.url,
    limitCoordinator: coordinator,
    logger: (level, message) => level === 'warn' && warnings.push(message)
  });
  try {
    await rest.request('GET', '/users/@me');
    assert.ok(warnings.some((w) => w.includes('report broke')));
  } finally {
    await rest.destroy();
  }
});
