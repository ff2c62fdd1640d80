/**
 * The REST limits of a bot belong to its token and its IP, not to one process. A coordinator
 * shares them between processes (a Redis implementation lives in the fleet layer): the RestClient
 * asks it just before a request leaves its route bucket queue, once its own in-process bucket,
 * global limiter and invalid-request guard have said go (they stay the fast path), and tells it
 * what Discord answered to every request it let through.
 */
import type { RateLimitScope } from './rateLimitHeaders.js';

/** The request about to leave its bucket queue, as the coordinator needs to place it. */
export interface RestLimitTarget {
  /** `METHOD /route/template`: the key a bucket hash is learned under. */
  readonly routeKey: string;
  /** The route template; routes whose hash nobody knows yet are counted per template. */
  readonly route: string;
  /** The major parameter's value (guild, channel or webhook id), '' when the route has none. */
  readonly majorParameter: string;
  /** The bucket hash this process has learned for the route, if any. */
  readonly bucketHash: string | undefined;
}

/** The rate-limit headers of an answer (X-RateLimit-*). */
export interface RestLimitHeaders {
  /** X-RateLimit-Bucket, when sent. */
  readonly hash: string | undefined;
  readonly limit: number;
  readonly remaining: number;
  readonly resetAfterMs: number;
}

/** What Discord answered to a request the coordinator let through. */
export interface RestLimitOutcome {
  /** HTTP status, or 0 when no answer came (network error, timeout, client destroyed). */
  readonly status: number;
  /** The answer's rate-limit headers, when it had them. */
  readonly headers: RestLimitHeaders | undefined;
  /** Set on a 429: its scope and how long Discord asked to wait. */
  readonly rateLimit: { readonly scope: RateLimitScope; readonly retryAfterMs: number } | undefined;
}

/**
 * Shares route buckets, the global limit and the invalid-request count between processes.
 * `acquire` resolves when the request may be sent (waiting as long as the shared limits need) and
 * rejects, with a typed error, when it must not be sent at all (the RestClient fails the request
 * with that error). Every permit is given back once through `report`; `report` must not throw.
 */
export interface RestLimitCoordinator<Permit = unknown> {
  /** Wait until `target` may be sent under the shared limits; reject (typed) to refuse it. */
  acquire(target: RestLimitTarget): Promise<Permit>;
  /** Give back the permit `acquire` returned, with what Discord answered (never throws). */
  report(permit: Permit, target: RestLimitTarget, outcome: RestLimitOutcome): void;
}

/** Whether a value has the shape of a coordinator (checked when the RestClient is built). */
export function isRestLimitCoordinator(value: unknown): value is RestLimitCoordinator {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.acquire === 'function' && typeof v.report === 'function';
}
