/**
 * What a process does alone while Redis does not answer: it cannot see the others' sends, so it
 * keeps to a conservative share of every limit (`share` × the route bucket's limit learned from
 * Discord's headers, × the global limit, × the invalid-request limit), each as a sliding window
 * by this process's clock. With a share of 1 / (processes) the fleet stays within the limits even
 * when every process is cut off at once.
 */

/** A decision of the local fallback: go, wait this long, or refuse (breaker). */
export type FallbackDecision =
  | { kind: 'go' }
  | { kind: 'wait'; ms: number; reason: 'global' | 'bucket' }
  | { kind: 'refuse'; count: number; ms: number };

interface LearnedLimit {
  limit: number;
  windowMs: number;
}

/** The most route buckets whose limits are remembered (a bot in many guilds touches many majors). */
const MAX_LEARNED = 10_000;

export class LocalRestFallback {
  private readonly learned = new Map<string, LearnedLimit>();
  private readonly bucketSends = new Map<string, number[]>();
  private readonly globalSends: number[] = [];
  private readonly invalid: number[] = [];

  constructor(
    private readonly share: number,
    private readonly globalLimit: number,
    private readonly globalWindowMs: number,
    private readonly invalidLimit: number,
    private readonly invalidWindowMs: number
  ) {}

  /** Remember a route bucket's limit from Discord's headers (done on every answer, Redis up or not). */
  learn(bucketId: string, limit: number, resetAfterMs: number): void {
    const known = this.learned.get(bucketId);
    const windowMs = Math.max(known?.windowMs ?? 0, resetAfterMs);
    if (known)
      this.learned.delete(bucketId); // re-insert: the map's order is recency
    else if (this.learned.size >= MAX_LEARNED) {
      const oldest = this.learned.keys().next().value;
      if (oldest !== undefined) {
        this.learned.delete(oldest);
        this.bucketSends.delete(oldest);
      }
    }
    this.learned.set(bucketId, { limit, windowMs });
  }

  /** Whether a request on `bucketId` may go now; counts it when it may. */
  take(bucketId: string, now = Date.now()): FallbackDecision {
    prune(this.invalid, now - this.invalidWindowMs);
    const invalidShare = shareOf(this.invalidLimit, this.share);
    if (this.invalid.length >= invalidShare) {
      return {
        kind: 'refuse',
        count: this.invalid.length,
        ms: Math.max(1, this.invalid[0] + this.invalidWindowMs - now)
      };
    }
    prune(this.globalSends, now - this.globalWindowMs);
    if (this.globalSends.length >= shareOf(this.globalLimit, this.share)) {
      return { kind: 'wait', ms: Math.max(1, this.globalSends[0] + this.globalWindowMs - now), reason: 'global' };
    }
    const learned = this.learned.get(bucketId);
    let sends: number[] | undefined;
    if (learned) {
      sends = this.bucketSends.get(bucketId);
      if (!sends) {
        sends = [];
        this.bucketSends.set(bucketId, sends);
      }
      prune(sends, now - learned.windowMs);
      if (sends.length >= shareOf(learned.limit, this.share)) {
        return { kind: 'wait', ms: Math.max(1, sends[0] + learned.windowMs - now), reason: 'bucket' };
      }
    }
    // An unknown route: the RestClient's own bucket already sends one probe at a time.
    this.globalSends.push(now);
    sends?.push(now);
    return { kind: 'go' };
  }

  /** An invalid answer (401, 403, non-shared 429) seen while Redis was down. */
  recordInvalid(now = Date.now()): void {
    this.invalid.push(now);
  }
}

function shareOf(limit: number, share: number): number {
  return Math.max(1, Math.floor(limit * share));
}

function prune(list: number[], before: number): void {
  let drop = 0;
  while (drop < list.length && list[drop] <= before) drop++;
  if (drop > 0) list.splice(0, drop);
}
