/**
 * Finds the bucket for a request. Buckets are keyed `hash:major` once Discord has told us the
 * route's X-RateLimit-Bucket hash. Before that, requests wait in a provisional bucket keyed by
 * route template and major parameter, shared by all methods of the path: one probe at a time
 * learns the limit, so a PUT and a DELETE that turn out to share a bucket (role add/remove)
 * cannot both spend it blindly. When a hash is learned the provisional queue moves into the
 * hashed bucket, so routes that share a bucket share one queue and one count from then on.
 */
import { Bucket } from './Bucket.js';
import type { Gate } from './Gate.js';
import type { RouteInfo } from './routeKey.js';

export class BucketRegistry {
  /** `METHOD route` → bucket hash. */
  private readonly hashes = new Map<string, string>();
  private readonly buckets = new Map<string, Bucket>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly gate: Gate,
    private readonly debug: (message: string) => void,
    sweepIntervalMs = 60_000
  ) {
    // Forget idle buckets now and then: a bot in a million guilds touches a million majors.
    this.sweeper = setInterval(() => this.sweep(sweepIntervalMs), sweepIntervalMs);
    this.sweeper.unref();
  }

  bucketFor(route: RouteInfo): Bucket {
    const hash = this.hashes.get(route.key);
    const id = hash ? `${hash}:${route.majorParameter}` : `${route.route}:${route.majorParameter}`;
    let bucket = this.buckets.get(id);
    if (!bucket) {
      bucket = new Bucket(id, this.gate, !hash);
      this.buckets.set(id, bucket);
    }
    return bucket;
  }

  /** Record the hash a response carried; merges the provisional bucket into the hashed one. */
  learn(route: RouteInfo, from: Bucket, hash: string | undefined): void {
    if (!hash) return;
    const known = this.hashes.get(route.key);
    if (known !== hash) {
      this.hashes.set(route.key, hash);
      this.debug(`route ${route.key} uses bucket ${hash}${known ? ` (was ${known})` : ''}`);
    }
    const id = `${hash}:${route.majorParameter}`;
    // A hashed bucket is never merged: if a route moved to another hash, only new requests follow.
    if (from.id === id || !from.provisional) return;
    let target = this.buckets.get(id);
    if (!target) {
      target = new Bucket(id, this.gate, false);
      this.buckets.set(id, target);
    }
    from.mergeInto(target);
    this.buckets.delete(from.id);
  }

  /** Hash learned for a route key, if any. */
  hashOf(routeKey: string): string | undefined {
    return this.hashes.get(routeKey);
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(idleMs: number): void {
    const cutoff = performance.now() - idleMs;
    for (const [id, bucket] of this.buckets) {
      if (bucket.idle && bucket.lastUsed < cutoff && bucket.resetAt < performance.now()) this.buckets.delete(id);
    }
  }

  destroy(error: Error): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const bucket of this.buckets.values()) bucket.rejectAll(error);
    this.buckets.clear();
  }
}
