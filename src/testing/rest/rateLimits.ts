/**
 * The simulator's rate limits: per-route buckets (fixed windows that open at the first request
 * after the previous one closed, as Discord's do), counted per bucket hash + major parameter,
 * and a global limit per token. Limits are configurable so tests can shrink windows to
 * milliseconds and still exercise the same arithmetic.
 */
import { createHash } from 'node:crypto';

/** A fixed-window limit: `limit` requests per `windowMs`. */
export interface LimitSpec {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in milliseconds. */
  windowMs: number;
}

/**
 * Named buckets. Routes that name the same bucket share one counter and one
 * X-RateLimit-Bucket hash (for example role PUT and role DELETE).
 */
export const DEFAULT_BUCKET_LIMITS = {
  gateway: { limit: 2, windowMs: 5_000 },
  users: { limit: 30, windowMs: 1_000 },
  guild: { limit: 5, windowMs: 5_000 },
  member: { limit: 5, windowMs: 1_000 },
  'members.list': { limit: 10, windowMs: 10_000 },
  'member.roles': { limit: 10, windowMs: 10_000 },
  'member.edit': { limit: 10, windowMs: 10_000 },
  channel: { limit: 5, windowMs: 5_000 },
  'messages.create': { limit: 5, windowMs: 5_000 },
  'messages.read': { limit: 5, windowMs: 5_000 },
  'messages.edit': { limit: 5, windowMs: 5_000 },
  'messages.delete': { limit: 5, windowMs: 1_000 },
  reactions: { limit: 1, windowMs: 250 }
} satisfies Record<string, LimitSpec>;

/** Name of one simulated rate-limit bucket (a key of DEFAULT_BUCKET_LIMITS). */
export type BucketName = keyof typeof DEFAULT_BUCKET_LIMITS;

/** Discord's global limit per bot token: 50 requests per second. */
export const DEFAULT_GLOBAL_LIMIT: LimitSpec = { limit: 50, windowMs: 1_000 };

export interface BucketDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window closes. */
  resetAfterMs: number;
  /** Epoch milliseconds at which the window closes. */
  resetAtEpochMs: number;
  hash: string;
}

interface Window {
  count: number;
  /** Monotonic close time (performance.now() based). */
  closesAt: number;
}

/** Milliseconds since the epoch with sub-millisecond precision. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The simulator's rate limits (`simulator.rest.rateLimits`): per-route buckets counted per bucket hash and
 * major parameter, in fixed windows that open at the first request after the previous one closed (as
 * Discord's do), plus a global limit per token. Limits are configurable so tests can shrink windows to
 * milliseconds and still exercise the same arithmetic.
 */
export class RestRateLimits {
  private readonly specs = new Map<BucketName, LimitSpec>();
  private global: LimitSpec = { ...DEFAULT_GLOBAL_LIMIT };
  private readonly windows = new Map<string, Window>();
  private readonly globalWindows = new Map<string, Window>();
  private readonly hashes = new Map<BucketName, string>();

  constructor(overrides: Partial<Record<BucketName, LimitSpec>> = {}, global?: LimitSpec) {
    for (const [name, spec] of Object.entries(DEFAULT_BUCKET_LIMITS)) this.specs.set(name as BucketName, spec);
    for (const [name, spec] of Object.entries(overrides)) if (spec) this.configure(name as BucketName, spec);
    if (global) this.configureGlobal(global);
  }

  /** Change one bucket's limit; open windows are dropped so the new limit applies at once. */
  configure(name: BucketName, spec: LimitSpec): void {
    if (!this.specs.has(name)) throw new Error(`unknown simulator bucket "${name}"`);
    assertSpec(spec);
    this.specs.set(name, { ...spec });
    for (const key of this.windows.keys()) if (key.startsWith(`${name}\u0000`)) this.windows.delete(key);
  }

  /** Change the per-token global limit; open global windows are dropped so it applies at once. */
  configureGlobal(spec: LimitSpec): void {
    assertSpec(spec);
    this.global = { ...spec };
    this.globalWindows.clear();
  }

  /** A copy of one bucket's current limit. */
  spec(name: BucketName): LimitSpec {
    return { ...this.specs.get(name)! };
  }

  /** A copy of the current global limit. */
  globalSpec(): LimitSpec {
    return { ...this.global };
  }

  /** The opaque X-RateLimit-Bucket value of a named bucket (stable across runs). */
  hash(name: BucketName): string {
    let hash = this.hashes.get(name);
    if (!hash) {
      hash = createHash('sha1').update(`athena-sim:${name}`).digest('hex').slice(0, 32);
      this.hashes.set(name, hash);
    }
    return hash;
  }

  /** Count one request against a bucket for one major parameter; refuses it when the window is full. */
  take(name: BucketName, major: string, now = performance.now()): BucketDecision {
    const spec = this.specs.get(name)!;
    const key = `${name}\u0000${major}`;
    const window = openWindow(this.windows, key, spec, now);
    const allowed = window.count < spec.limit;
    if (allowed) window.count++;
    const resetAfterMs = window.closesAt - now;
    return {
      allowed,
      limit: spec.limit,
      remaining: spec.limit - window.count,
      resetAfterMs,
      resetAtEpochMs: performance.timeOrigin + window.closesAt,
      hash: this.hash(name)
    };
  }

  /** Count one request against the token's global limit; returns 0 or the milliseconds to wait. */
  takeGlobal(token: string, now = performance.now()): number {
    const window = openWindow(this.globalWindows, token, this.global, now);
    if (window.count >= this.global.limit) return window.closesAt - now;
    window.count++;
    return 0;
  }

  /** Forget every open window (limits stay as configured). */
  reset(): void {
    this.windows.clear();
    this.globalWindows.clear();
  }
}

function openWindow(windows: Map<string, Window>, key: string, spec: LimitSpec, now: number): Window {
  let window = windows.get(key);
  if (!window || now >= window.closesAt) {
    window = { count: 0, closesAt: now + spec.windowMs };
    windows.set(key, window);
  }
  return window;
}

function assertSpec(spec: LimitSpec): void {
  if (!Number.isInteger(spec.limit) || spec.limit < 1 || !(spec.windowMs > 0)) {
    throw new Error(`invalid limit ${JSON.stringify(spec)}: limit must be an integer >= 1 and windowMs > 0`);
  }
}
