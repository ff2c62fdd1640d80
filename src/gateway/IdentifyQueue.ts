/**
 * Identify pacing: one identify per `shard_id % max_concurrency` bucket per window (5 s on
 * Discord). Going faster earns op 9 and, repeated, burns the daily session budget. The interface
 * lets a cluster or Redis coordinate fleet-wide; `LocalIdentifyQueue` covers one process.
 */
export interface IdentifyQueue {
  /** Resolves when `shardID` may send its identify now. Rejects with the signal's reason on abort. */
  acquire(shardID: number, signal?: AbortSignal): Promise<void>;
  /**
   * Optional: the identify of `shardID` has just been handed to its socket. A queue shared between
   * processes restarts the bucket's window here, so the time between taking a slot and sending
   * cannot bunch two identifies of a bucket closer than the window.
   */
  sent?(shardID: number): Promise<void>;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

class Bucket {
  /** Earliest time the next identify of this bucket may go. */
  nextAt = 0;
  readonly waiters: Waiter[] = [];
  timer: NodeJS.Timeout | null = null;
}

export class LocalIdentifyQueue implements IdentifyQueue {
  private readonly buckets = new Map<number, Bucket>();

  constructor(
    readonly maxConcurrency: number,
    /** Window per bucket in ms. */
    readonly window = 5000
  ) {
    if (!Number.isSafeInteger(maxConcurrency) || maxConcurrency < 1) {
      throw new RangeError(`maxConcurrency must be a positive integer, got ${maxConcurrency}`);
    }
  }

  acquire(shardID: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const key = shardID % this.maxConcurrency;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new Bucket();
      this.buckets.set(key, bucket);
    }
    const b = bucket;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = b.waiters.indexOf(waiter);
          if (index >= 0) b.waiters.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      b.waiters.push(waiter);
      this.pump(b);
    });
  }

  private pump(bucket: Bucket): void {
    if (bucket.timer || bucket.waiters.length === 0) return;
    const now = Date.now();
    if (now >= bucket.nextAt) {
      const waiter = bucket.waiters.shift()!;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      bucket.nextAt = now + this.window;
      waiter.resolve();
      if (bucket.waiters.length === 0) return;
    }
    bucket.timer = setTimeout(
      () => {
        bucket.timer = null;
        this.pump(bucket);
      },
      Math.max(0, bucket.nextAt - Date.now())
    );
  }

  /** Cancel pending timers (waiters stay pending until their signals abort). */
  destroy(): void {
    for (const bucket of this.buckets.values()) {
      if (bucket.timer) clearTimeout(bucket.timer);
      bucket.timer = null;
    }
  }
}
