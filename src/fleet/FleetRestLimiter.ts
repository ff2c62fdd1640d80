/**
 * REST limits that belong to the bot, not to a process, shared by every process through Redis —
 * the RestClient's limit coordinator (`rest: { limitCoordinator: limiter }`):
 *
 * - **route buckets**: the route → bucket hash map and each bucket's limit/remaining/reset per
 *   major parameter, learned from every process's answers (see restLimitScripts.ts);
 * - the **global limit** (50 requests/s per token): a sliding-window log in a sorted set;
 * - the **invalid-request breaker** (Discord bans an IP at 10,000 401/403/429 in 10 minutes): every
 *   process records its invalid answers in one window; requests that could push it past
 *   `invalidLimit` wait, and at `invalidLimit` every process refuses to send
 *   (`FleetBreakerOpenError`) until the window has drained below it.
 *
 * One atomic Lua step per request (acquire) and one per answer (report), by Redis's clock. Each
 * process's own limiters stay the fast path in front: the RestClient asks the fleet only once its
 * own bucket and global limiter let a request go.
 *
 * When Redis fails or does not answer within `commandTimeoutMs`, the limiter falls back to a
 * conservative local share (`fallbackShare` of each limit), warns once per outage (and emits
 * `degraded`), tries Redis again every `retryIntervalMs`, and emits `recovered` when it answers.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { RestClient } from '../rest/RestClient.js';
import type { RestLimitCoordinator, RestLimitOutcome, RestLimitTarget } from '../rest/RestLimitCoordinator.js';
import { AthenaError, InvalidOptionError } from '../util/errors.js';
import { sleep } from '../util/sleep.js';
import { FleetStoreError } from './errors.js';
import { type FleetRedisClient, isFleetRedisClient } from './redis.js';
import { LocalRestFallback } from './restFallback.js';
import { ACQUIRE, BREAKER_OPEN, BREAKER_WAIT, BUCKET_WAIT, GLOBAL_WAIT, GRANTED, REPORT } from './restLimitScripts.js';
import { GlobalWaitLine } from './restWaitLine.js';

/** The fleet has met `invalidLimit` invalid requests in the window: nobody sends until it drains. */
export class FleetBreakerOpenError extends AthenaError {
  override name = 'FleetBreakerOpenError';
  constructor(
    readonly invalidCount: number,
    readonly retryAfter: number
  ) {
    super(
      `REST refused: the fleet met ${invalidCount} invalid requests (401/403/429) in the window; ` +
        `sending again in ${Math.ceil(retryAfter / 1000)} s to stay clear of Discord's IP ban`
    );
  }
}

/** Options of a FleetRestLimiter: the key prefix, limits, and the local share when Redis fails. */
export interface FleetRestLimiterOptions {
  /** Key prefix shared by the fleet (one bot per prefix). Default "athena:". */
  prefix?: string;
  /** Requests per `globalWindowMs` for the whole fleet. Default 50. */
  globalLimit?: number;
  /** Default 1000. */
  globalWindowMs?: number;
  /**
   * Added to the global window: a slot is granted by Redis's clock but counted by Discord on
   * arrival; the margin absorbs that drift. Default 50.
   */
  globalMarginMs?: number;
  /** Invalid requests (401, 403, non-shared 429) per window at which the fleet stops. Default 7500. */
  invalidLimit?: number;
  /** Default 600000 (Discord's 10 minutes). */
  invalidWindowMs?: number;
  /** Share of each limit this process uses alone while Redis is down. Default 0.25. */
  fallbackShare?: number;
  /** A Redis call slower than this counts as Redis down for that request. Default 500. */
  commandTimeoutMs?: number;
  /** While Redis is down, how often a request tries it again. Default 1000. */
  retryIntervalMs?: number;
  /**
   * A grant not reported back within this time (its process died) stops counting as in flight.
   * Default 15000 (the RestClient's request timeout).
   */
  inFlightTimeoutMs?: number;
  /** How long a request waits before asking again when the fleet waits for answers in flight. Default 20. */
  pollMs?: number;
  /**
   * Where warnings go (Redis down, falling back to the local share); default console.warn with an
   * `[athena]` prefix.
   */
  logger?: (message: string) => void;
}

/** Counters of a FleetRestLimiter: grants, waits, breaker refusals and Redis failures. */
export interface FleetRestLimiterStats {
  /** Requests let through (by Redis or, while it is down, by the local share). */
  granted: number;
  /** Of those, requests let through by the local share while Redis was down. */
  localGrants: number;
  /** Times a request waited for the fleet's global window (or a global 429's pause). */
  globalWaits: number;
  /** Times a request waited for its route bucket, fleet-wide. */
  bucketWaits: number;
  /** Times a request waited because answers in flight could push the invalid count to the limit. */
  breakerWaits: number;
  /** Requests refused by the open breaker. */
  refused: number;
  /** Invalid answers this process recorded. */
  invalidRecorded: number;
  /** The fleet's invalid count as last seen. */
  fleetInvalid: number;
  /** Redis failures (each answered by the local fallback). */
  redisErrors: number;
  /** Outages: times the limiter went from Redis to the local share. */
  outages: number;
  /** Whether the limiter is on the local share now (Redis down). */
  degraded: boolean;
}

/** Events of a FleetRestLimiter. */
export interface FleetRestLimiterEvents {
  /** Redis failed: limits are this process's local share until it answers. Once per outage. */
  degraded: [reason: string];
  /** Redis answers again: limits are fleet-wide again. */
  recovered: [];
}

/** A grant of the fleet limiter, given back through `report`. */
export interface FleetRestPermit {
  /** Unique per grant (the member in Redis's sorted sets). */
  readonly id: string;
  /** The bucket the grant was counted in ('' for a local grant). */
  readonly bucketId: string;
  /** The bucket's window the grant belongs to. */
  readonly epoch: number;
  /** Granted by the local share while Redis was down. */
  readonly local: boolean;
}

type Decision =
  | { kind: 'go'; permit: FleetRestPermit }
  | { kind: 'wait'; ms: number; reason: 'global' | 'bucket' | 'breaker' }
  | { kind: 'refuse'; count: number; ms: number };

/**
 * REST limits shared by every process of a bot through Redis: route buckets, the global window and
 * the invalid-request breaker. Pass it as `rest.limitCoordinator`.
 */
export class FleetRestLimiter
  extends EventEmitter<FleetRestLimiterEvents>
  implements RestLimitCoordinator<FleetRestPermit>
{
  readonly stats: FleetRestLimiterStats = {
    granted: 0,
    localGrants: 0,
    globalWaits: 0,
    bucketWaits: 0,
    breakerWaits: 0,
    refused: 0,
    invalidRecorded: 0,
    fleetInvalid: 0,
    redisErrors: 0,
    outages: 0,
    degraded: false
  };
  private readonly prefix: string;
  private readonly acquireKeys: string[];
  private readonly reportKeys: string[];
  private readonly globalLimit: number;
  private readonly globalWindow: number;
  private readonly invalidLimit: number;
  private readonly invalidWindow: number;
  private readonly share: number;
  private readonly commandTimeout: number;
  private readonly retryInterval: number;
  private readonly inFlightTimeout: number;
  private readonly poll: number;
  private readonly log: (message: string) => void;
  private readonly fallback: LocalRestFallback;
  private readonly line = new GlobalWaitLine();
  private readonly owner = randomBytes(4).toString('hex');
  private counter = 0;
  private nextRedisTry = 0;
  /** Redis calls issued so far, and how many had been issued when Redis last failed. */
  private calls = 0;
  private callsAtFailure = 0;

  constructor(
    private readonly redis: FleetRedisClient,
    options: FleetRestLimiterOptions = {}
  ) {
    super();
    if (!isFleetRedisClient(redis)) throw new InvalidOptionError('redis', 'a Redis client (ioredis works)', redis);
    const prefix = options.prefix ?? 'athena:';
    if (typeof prefix !== 'string') throw new InvalidOptionError('prefix', 'a string', prefix);
    this.prefix = prefix;
    const routes = `${prefix}rest:routes`;
    const global = `${prefix}rest:global`;
    const pause = `${prefix}rest:global:pause`;
    const invalid = `${prefix}rest:invalid`;
    const pending = `${prefix}rest:pending`;
    this.acquireKeys = [routes, global, pause, invalid, pending];
    this.reportKeys = [routes, pause, invalid, pending];
    this.globalLimit = int('globalLimit', options.globalLimit, 50);
    const margin = options.globalMarginMs ?? 50;
    if (typeof margin !== 'number' || !Number.isSafeInteger(margin) || margin < 0) {
      throw new InvalidOptionError('globalMarginMs', 'a non-negative integer of ms', margin);
    }
    this.globalWindow = int('globalWindowMs', options.globalWindowMs, 1000) + margin;
    this.invalidLimit = int('invalidLimit', options.invalidLimit, 7500);
    this.invalidWindow = int('invalidWindowMs', options.invalidWindowMs, 600_000);
    const share = options.fallbackShare ?? 0.25;
    if (typeof share !== 'number' || !(share > 0 && share <= 1)) {
      throw new InvalidOptionError('fallbackShare', 'a number in (0, 1]', share);
    }
    this.share = share;
    this.commandTimeout = int('commandTimeoutMs', options.commandTimeoutMs, 500);
    this.retryInterval = int('retryIntervalMs', options.retryIntervalMs, 1000);
    this.inFlightTimeout = int('inFlightTimeoutMs', options.inFlightTimeoutMs, 15_000);
    this.poll = int('pollMs', options.pollMs, 20);
    if (options.logger !== undefined && typeof options.logger !== 'function') {
      throw new InvalidOptionError('logger', 'a function (message) => void', options.logger);
    }
    this.log = options.logger ?? ((message) => console.warn(`[athena] ${message}`));
    this.fallback = new LocalRestFallback(
      share,
      this.globalLimit,
      this.globalWindow,
      this.invalidLimit,
      this.invalidWindow
    );
  }

  /**
   * Resolves when this request may be sent, fleet-wide; rejects with FleetBreakerOpenError when the
   * fleet must stop sending.
   */
  async acquire(target: RestLimitTarget): Promise<FleetRestPermit> {
    const request = {};
    try {
      for (;;) {
        await this.line.turn(request);
        const decision = this.useRedis() ? await this.decideInRedis(target) : this.decideLocally(target);
        if (decision.kind === 'go') {
          this.stats.granted++;
          if (decision.permit.local) this.stats.localGrants++;
          return decision.permit;
        }
        if (decision.kind === 'refuse') {
          this.stats.refused++;
          this.stats.fleetInvalid = decision.count;
          throw new FleetBreakerOpenError(decision.count, decision.ms);
        }
        if (decision.reason === 'global') {
          // Another request of this process already waits for the window: line up behind it.
          if (!this.line.hold(request)) continue;
          this.stats.globalWaits++;
        } else {
          this.line.pass(request);
          if (decision.reason === 'bucket') this.stats.bucketWaits++;
          else this.stats.breakerWaits++;
        }
        await sleep(decision.ms);
      }
    } finally {
      this.line.pass(request);
    }
  }

  /** Give a permit back with Discord's answer: frees it, learns the bucket, counts invalid answers. */
  report(permit: FleetRestPermit, target: RestLimitTarget, outcome: RestLimitOutcome): void {
    const { status, headers, rateLimit } = outcome;
    const invalid = status === 401 || status === 403 || (status === 429 && rateLimit?.scope !== 'shared');
    if (invalid) this.stats.invalidRecorded++;
    if (headers) {
      const id = headers.hash ? `${headers.hash}:${target.majorParameter}` : permit.bucketId || localId(target);
      this.fallback.learn(id, headers.limit, headers.resetAfterMs);
    }
    if (permit.local) {
      if (invalid) this.fallback.recordInvalid();
      return;
    }
    // A grant Redis gave is given back to Redis even during an outage: left there, it would count
    // as in flight (holding its bucket's refill) until inFlightTimeoutMs.
    this.reportToRedis(permit, target, outcome, invalid);
  }

  private reportToRedis(
    permit: FleetRestPermit,
    target: RestLimitTarget,
    { status, headers, rateLimit }: RestLimitOutcome,
    invalid: boolean
  ): void {
    const args = [
      this.prefix,
      target.routeKey,
      target.majorParameter,
      permit.bucketId,
      permit.epoch,
      permit.id,
      status,
      headers?.hash ?? '',
      headers ? headers.limit : '',
      headers ? headers.remaining : '',
      headers ? Math.ceil(headers.resetAfterMs) : '',
      rateLimit?.scope ?? '',
      rateLimit ? Math.ceil(rateLimit.retryAfterMs) : 0,
      this.invalidWindow
    ];
    const call = ++this.calls;
    this.withTimeout(REPORT.run(this.redis, this.reportKeys, args)).then(
      (reply) => {
        this.stats.fleetInvalid = Number(reply);
        this.recovered(call);
      },
      (error: unknown) => {
        this.degrade(error);
        if (invalid) this.fallback.recordInvalid();
      }
    );
  }

  private async decideInRedis(target: RestLimitTarget): Promise<Decision> {
    const id = this.nextId();
    const callNumber = ++this.calls;
    const call = ACQUIRE.run(this.redis, this.acquireKeys, [
      this.prefix,
      target.routeKey,
      target.route,
      target.majorParameter,
      target.bucketHash ?? '',
      this.globalLimit,
      this.globalWindow,
      this.invalidLimit,
      this.invalidWindow,
      this.inFlightTimeout,
      id,
      this.poll
    ]);
    let reply: AcquireReply;
    try {
      // A grant that arrives after we gave up waiting is handed straight back.
      reply = parseAcquire(await this.withTimeout(call, () => this.releaseLate(call, id, target)));
      this.recovered(callNumber);
    } catch (error) {
      this.degrade(error);
      return this.decideLocally(target);
    }
    switch (reply.code) {
      case GRANTED:
        return { kind: 'go', permit: { id, bucketId: reply.bucketId, epoch: reply.epoch, local: false } };
      case BREAKER_OPEN:
        return { kind: 'refuse', count: reply.invalid, ms: reply.wait };
      case GLOBAL_WAIT:
        return { kind: 'wait', ms: reply.wait, reason: 'global' };
      case BUCKET_WAIT:
        return { kind: 'wait', ms: reply.wait, reason: 'bucket' };
      case BREAKER_WAIT:
        this.stats.fleetInvalid = reply.invalid;
        return { kind: 'wait', ms: reply.wait, reason: 'breaker' };
      default:
        this.degrade(new FleetStoreError(`unexpected REST limiter reply code ${reply.code}`));
        return this.decideLocally(target);
    }
  }

  private decideLocally(target: RestLimitTarget): Decision {
    const decision = this.fallback.take(localId(target));
    if (decision.kind === 'go')
      return { kind: 'go', permit: { id: this.nextId(), bucketId: '', epoch: 0, local: true } };
    if (decision.kind === 'refuse') return decision;
    return { kind: 'wait', ms: decision.ms, reason: decision.reason };
  }

  private releaseLate(call: Promise<unknown>, id: string, target: RestLimitTarget): void {
    call.then(
      (raw) => {
        const reply = parseAcquire(raw);
        if (reply.code !== GRANTED) return;
        const permit = { id, bucketId: reply.bucketId, epoch: reply.epoch, local: false };
        this.reportToRedis(permit, target, { status: 0, headers: undefined, rateLimit: undefined }, false);
      },
      () => {}
    );
  }

  /** Redis is asked unless it failed lately; then once per `retryIntervalMs`, to notice it is back. */
  private useRedis(): boolean {
    if (!this.stats.degraded) return true;
    const now = Date.now();
    if (now < this.nextRedisTry) return false;
    this.nextRedisTry = now + this.retryInterval;
    return true;
  }

  private withTimeout<T>(promise: Promise<T>, onTimeout?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        onTimeout?.();
        reject(new FleetStoreError(`Redis did not answer within ${this.commandTimeout} ms`));
      }, this.commandTimeout);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        }
      );
    });
  }

  private nextId(): string {
    return `${this.owner}:${++this.counter}`;
  }

  private degrade(error: unknown): void {
    this.stats.redisErrors++;
    this.nextRedisTry = Date.now() + this.retryInterval;
    this.callsAtFailure = this.calls;
    if (this.stats.degraded) return;
    this.stats.degraded = true;
    this.stats.outages++;
    const reason = error instanceof Error ? error.message : String(error);
    this.log(
      `fleet REST limiter: Redis failed (${reason}); this process now uses a local share of ` +
        `${Math.round(this.share * 100)}% of the route, global and invalid-request limits until Redis answers`
    );
    this.emit('degraded', reason);
  }

  /** Redis answered call number `call`; only a call issued after the last failure proves it is back. */
  private recovered(call: number): void {
    if (!this.stats.degraded || call <= this.callsAtFailure) return;
    this.stats.degraded = false;
    this.log('fleet REST limiter: Redis answers again; REST limits are fleet-wide again');
    this.emit('recovered');
  }
}

/**
 * Make a RestClient share its limits through `limiter` (the same as passing it as
 * `rest.limitCoordinator`). Returns a function that puts the previous coordinator back.
 */
export function attachFleetLimiter(rest: RestClient, limiter: FleetRestLimiter): () => void {
  const previous = rest.limitCoordinator;
  rest.setLimitCoordinator(limiter);
  return () => rest.setLimitCoordinator(previous);
}

interface AcquireReply {
  code: number;
  invalid: number;
  wait: number;
  bucketId: string;
  epoch: number;
}

function parseAcquire(reply: unknown): AcquireReply {
  if (!Array.isArray(reply) || reply.length < 5)
    throw new FleetStoreError(`unexpected REST limiter reply ${String(reply)}`);
  const [code, invalid, wait, bucketId, epoch] = reply.map((v, i) => (i === 3 ? String(v) : Number(v))) as [
    number,
    number,
    number,
    string,
    number
  ];
  if (![code, invalid, wait, epoch].every(Number.isFinite)) {
    throw new FleetStoreError(`unexpected REST limiter reply ${JSON.stringify(reply)}`);
  }
  return { code, invalid, wait, bucketId, epoch };
}

/** The bucket a target counts in locally: its hash when known, else its route template. */
function localId(target: RestLimitTarget): string {
  return target.bucketHash
    ? `${target.bucketHash}:${target.majorParameter}`
    : `route:${target.route}:${target.majorParameter}`;
}

function int(option: string, value: unknown, fallback: number): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
    throw new InvalidOptionError(option, 'a positive integer', value);
  return v;
}
