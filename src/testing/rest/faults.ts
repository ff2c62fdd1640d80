/**
 * REST faults on command: 429 storms of each scope, 5xx bursts and forced 401s. Each fault
 * lasts for a number of requests, a duration, or both (whichever ends first), and can be
 * limited to routes whose template matches a filter.
 */
import type { RateLimitScope } from './requestLog.js';

/**
 * How long a REST fault lasts (a number of requests, a duration, or both: whichever ends first) and which
 * routes it hits. A fault without `requests` or `durationMs` is refused.
 */
export interface FaultSpan {
  /** Affect this many requests, then stop. */
  requests?: number;
  /** Affect requests for this many milliseconds from now, then stop. */
  durationMs?: number;
  /** Only requests whose route template includes this text (e.g. '/messages'). */
  route?: string;
}

/** A 429 storm: every matching request is answered 429 with this scope and retry_after. */
export interface StormSpec extends FaultSpan {
  scope: RateLimitScope;
  /** The retry_after to answer with, in milliseconds (default 100). */
  retryAfterMs?: number;
}

/** A 5xx burst: every matching request is answered with this status. */
export interface ServerErrorSpec extends FaultSpan {
  status: 500 | 502 | 503;
}

interface ActiveFault<T> {
  spec: T;
  left: number;
  until: number;
}

/** The fault the server applies to one request, as returned by {@link RestFaults.next}. */
export type InjectedFault =
  | { kind: 'storm'; scope: RateLimitScope; retryAfterMs: number }
  | { kind: 'server-error'; status: 500 | 502 | 503 }
  | { kind: 'unauthorized' };

/**
 * REST faults a test arms on demand (`simulator.rest.faults`): 429 storms, 5xx bursts and forced 401s. Faults
 * are checked before any rate limit, and each request consumes one use of the first armed fault that matches
 * it.
 */
export class RestFaults {
  private storms: ActiveFault<StormSpec>[] = [];
  private serverErrors: ActiveFault<ServerErrorSpec>[] = [];
  private unauthorized: ActiveFault<FaultSpan>[] = [];

  /** Answer 429 with the given scope. */
  rateLimitStorm(spec: StormSpec): void {
    this.storms.push(activate(spec));
  }

  /** Answer 500, 502 (an HTML page, as Cloudflare sends) or 503. */
  serverErrorBurst(spec: ServerErrorSpec): void {
    this.serverErrors.push(activate(spec));
  }

  /** Answer 401 regardless of the token (to drive a client's invalid-request guard). */
  unauthorizedBurst(spec: FaultSpan = {}): void {
    this.unauthorized.push(activate(spec));
  }

  /** Disarm every fault, spent or not. */
  clear(): void {
    this.storms = [];
    this.serverErrors = [];
    this.unauthorized = [];
  }

  /** Whether any fault is still armed. */
  get active(): boolean {
    const now = performance.now();
    return [...this.storms, ...this.serverErrors, ...this.unauthorized].some((f) => f.left > 0 && now < f.until);
  }

  /** The fault to apply to a request on `route`, consuming one use of it, or undefined. */
  next(route: string): InjectedFault | undefined {
    const now = performance.now();
    const unauthorized = take(this.unauthorized, route, now);
    if (unauthorized) return { kind: 'unauthorized' };
    const error = take(this.serverErrors, route, now);
    if (error) return { kind: 'server-error', status: error.status };
    const storm = take(this.storms, route, now);
    if (storm) return { kind: 'storm', scope: storm.scope, retryAfterMs: storm.retryAfterMs ?? 100 };
    return undefined;
  }
}

function activate<T extends FaultSpan>(spec: T): ActiveFault<T> {
  if (spec.requests === undefined && spec.durationMs === undefined) {
    throw new Error('a fault needs `requests` or `durationMs`');
  }
  return {
    spec,
    left: spec.requests ?? Number.POSITIVE_INFINITY,
    until: spec.durationMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + spec.durationMs
  };
}

function take<T extends FaultSpan>(faults: ActiveFault<T>[], route: string, now: number): T | undefined {
  for (const fault of faults) {
    if (fault.left <= 0 || now >= fault.until) continue;
    if (fault.spec.route && !route.includes(fault.spec.route)) continue;
    fault.left--;
    return fault.spec;
  }
  return undefined;
}
