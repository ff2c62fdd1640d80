/**
 * Every request the simulator's REST server saw, with its timing, so tests can prove pacing
 * (no bucket exceeded, no 429 caused by the client) and that nothing was sent twice.
 */

export type RateLimitScope = 'user' | 'global' | 'shared';

/** One request the simulated REST server answered, with its route, bucket, status and arrival time. */
export interface RestLogEntry {
  method: string;
  /** The request path without the /api/vN prefix, e.g. /guilds/1/members/2/roles/3. */
  path: string;
  /** The route template, e.g. /guilds/:guild_id/members/:user_id/roles/:role_id ('' if unmatched). */
  route: string;
  /** The X-RateLimit-Bucket hash of the route, or '' for unlimited routes. */
  bucket: string;
  /** The major parameter value (guild, channel or webhook id), or ''. */
  major: string;
  status: number;
  /** Arrival time, milliseconds since the epoch with sub-millisecond precision. */
  time: number;
  /** Set on 429 answers. */
  scope?: RateLimitScope;
  /** True when a fault was injected (storm, 5xx burst, forced 401) rather than earned. */
  injected: boolean;
  /** The request's JSON body, for POST/PATCH (so tests can spot a request sent twice). */
  body?: unknown;
}

/**
 * 429s answered so far, split by who caused them and by scope. A well-behaved client keeps `causedByClient`
 * at 0.
 */
export interface RateLimitCounts {
  /** 429s the client earned by exceeding a bucket or the global limit. */
  causedByClient: number;
  /** 429s the simulator injected on command. */
  injected: number;
  byScope: Record<RateLimitScope, number>;
}

/**
 * Every request the simulated REST server saw (`simulator.rest.log`), with its timing, so tests can prove
 * pacing (no bucket exceeded, no 429 caused by the client) and that nothing was sent twice.
 */
export class RestRequestLog {
  private entries: RestLogEntry[] = [];
  private counts: RateLimitCounts = { causedByClient: 0, injected: 0, byScope: { user: 0, global: 0, shared: 0 } };
  private total = 0;

  /** Keeps at most `maxEntries` recent entries (the counters cover everything). */
  constructor(readonly maxEntries = 200_000) {}

  /** Append one answered request and count it if it was a 429; old entries are trimmed past `maxEntries`. */
  record(entry: RestLogEntry): void {
    this.total++;
    if (entry.status === 429 && entry.scope) {
      if (entry.injected) this.counts.injected++;
      else this.counts.causedByClient++;
      this.counts.byScope[entry.scope]++;
    }
    this.entries.push(entry);
    // Trim in halves so trimming stays amortised O(1).
    if (this.entries.length > this.maxEntries * 1.5) this.entries = this.entries.slice(-this.maxEntries);
  }

  /** The retained entries, oldest first (optionally filtered). */
  list(filter?: (entry: RestLogEntry) => boolean): RestLogEntry[] {
    return filter ? this.entries.filter(filter) : this.entries.slice();
  }

  /** Number of requests ever recorded. */
  get size(): number {
    return this.total;
  }

  /** A copy of the 429 counters (they cover every request, trimmed or not). */
  rateLimits(): RateLimitCounts {
    return { ...this.counts, byScope: { ...this.counts.byScope } };
  }

  /** Forget every entry and reset the counters. */
  clear(): void {
    this.entries = [];
    this.total = 0;
    this.counts = { causedByClient: 0, injected: 0, byScope: { user: 0, global: 0, shared: 0 } };
  }

  /**
   * The most requests seen in any window of `windowMs` among entries that match `filter`
   * (e.g. one bucket + major), to check a limit was never exceeded.
   */
  maxInWindow(windowMs: number, filter: (entry: RestLogEntry) => boolean): number {
    const times = this.entries.filter(filter).map((e) => e.time);
    let best = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end] - times[start] >= windowMs) start++;
      best = Math.max(best, end - start + 1);
    }
    return best;
  }
}
