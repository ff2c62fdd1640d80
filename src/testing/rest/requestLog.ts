/**
 * Every request the simulator's REST server saw, with its timing, so tests can prove pacing
 * (no bucket exceeded, no 429 caused by the client) and that nothing was sent twice.
 */

export type RateLimitScope = 'user' | 'global' | 'shared';

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

export interface RateLimitCounts {
  /** 429s the client earned by exceeding a bucket or the global limit. */
  causedByClient: number;
  /** 429s the simulator injected on command. */
  injected: number;
  byScope: Record<RateLimitScope, number>;
}

export class RestRequestLog {
  private entries: RestLogEntry[] = [];
  private counts: RateLimitCounts = { causedByClient: 0, injected: 0, byScope: { user: 0, global: 0, shared: 0 } };
  private total = 0;

  /** Keeps at most `maxEntries` recent entries (the counters cover everything). */
  constructor(readonly maxEntries = 200_000) {}

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

  rateLimits(): RateLimitCounts {
    return { ...this.counts, byScope: { ...this.counts.byScope } };
  }

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
