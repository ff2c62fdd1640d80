/**
 * One rate-limit bucket (a hash + major parameter, or a route key before the hash is known):
 * a FIFO queue of requests that are released only while the bucket has room, so limits are
 * respected before sending rather than discovered by a 429.
 *
 * Accounting works in local "epochs", one per server window. An epoch starts when the known
 * reset time has passed (the reset is learned from a response, so it is never earlier than the
 * server's) and nothing of the previous epoch is still unanswered; it grants at most
 * `remaining` requests, possibly concurrently. A response is applied when it belongs to the
 * current epoch or reveals a later server window (a delayed request); a late response from an
 * old window is ignored, so it cannot refill or drain the wrong window.
 * While the limit is unknown, one request at a time goes out to learn it.
 */
import type { Gate } from './Gate.js';

export interface Ticket {
  bucket: Bucket;
  epoch: number;
}

export interface BucketState {
  limit: number;
  remaining: number;
  resetAfterMs: number;
}

interface Waiter {
  resolve(ticket: Ticket): void;
  reject(error: Error): void;
}

const UNKNOWN = -1;

export class Bucket {
  limit = UNKNOWN;
  remaining = 0;
  /** performance.now() at which the current server window closes. */
  resetAt = 0;
  private resetKnown = false;
  private epoch = 0;
  private windowMs = 0;
  private inFlight = 0;
  private blockedUntil = 0;
  private queue: Waiter[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  /** Set when this bucket turned out to be the same as another (learned hash); its queue moved there. */
  private mergedInto: Bucket | undefined;
  lastUsed = performance.now();

  constructor(
    readonly id: string,
    private readonly gate: Gate,
    /** True until the bucket's hash is known (keyed by route template instead). */
    readonly provisional = false,
    private readonly clock: () => number = () => performance.now()
  ) {}

  get queued(): number {
    return this.queue.length - this.head;
  }

  get pending(): number {
    return this.queued + this.inFlight;
  }

  /** Resolves when the caller may send. `front` puts a retried request ahead of new ones. */
  acquire(front = false): Promise<Ticket> {
    const target = this.resolveTarget();
    if (target !== this) return target.acquire(front);
    this.lastUsed = this.clock();
    return new Promise<Ticket>((resolve, reject) => {
      const waiter = { resolve, reject };
      if (front) {
        if (this.head > 0) this.queue[--this.head] = waiter;
        else this.queue.unshift(waiter);
      } else {
        this.queue.push(waiter);
      }
      this.drain();
    });
  }

  /** A response arrived. `state` is what its rate-limit headers said; 'unlimited' when it had none. */
  release(ticket: Ticket, state: BucketState | 'unlimited' | 'unknown'): void {
    const target = this.resolveTarget();
    if (target !== this) {
      target.release({ bucket: target, epoch: -1 }, state);
      return;
    }
    this.inFlight = Math.max(0, this.inFlight - 1);
    const now = this.clock();
    if (state === 'unlimited') {
      if (this.limit === UNKNOWN) this.limit = Number.POSITIVE_INFINITY;
    } else if (state !== 'unknown') {
      this.apply(ticket, state, now);
    }
    this.drain();
  }

  /** A 429 for this bucket (scope user): nothing more goes until `retryAfterMs` has passed. */
  rateLimited(_ticket: Ticket, retryAfterMs: number, state: BucketState | undefined): void {
    const target = this.resolveTarget();
    if (target !== this) {
      target.rateLimited(_ticket, retryAfterMs, state);
      return;
    }
    this.inFlight = Math.max(0, this.inFlight - 1);
    const now = this.clock();
    if (state && this.limit === UNKNOWN) this.limit = state.limit;
    this.remaining = 0;
    this.resetAt = Math.max(this.resetAt, now + retryAfterMs);
    this.resetKnown = true;
    this.blockedUntil = now + retryAfterMs;
    this.drain();
  }

  /** Send this bucket's queue (and all later requests) to `target`, which shares its server limit. */
  mergeInto(target: Bucket): void {
    if (target === this || this.mergedInto) return;
    this.mergedInto = target;
    const waiting = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    target.adopt(waiting, this.inFlight);
    this.inFlight = 0;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Reject everything queued (client destroyed). */
  rejectAll(error: Error): void {
    const waiting = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    if (this.timer) clearTimeout(this.timer);
    for (const waiter of waiting) waiter.reject(error);
  }

  /** Release as many queued requests as the bucket (and the gate) allow right now. */
  drain(): void {
    if (this.mergedInto) return;
    while (this.head < this.queue.length) {
      const now = this.clock();
      if (this.blockedUntil > now) {
        this.wakeAt(this.blockedUntil);
        return;
      }
      if (this.limit === UNKNOWN) {
        if (this.inFlight > 0) return; // the response in flight will teach the limit
      } else if (Number.isFinite(this.limit)) {
        if (this.resetKnown && now >= this.resetAt) {
          // Answers still out may reveal they landed in the next server window: wait for them
          // rather than spend that window twice.
          if (this.inFlight > 0) return;
          this.epoch++;
          this.remaining = this.limit;
          this.resetKnown = false;
        }
        if (this.remaining <= 0) {
          if (this.resetKnown) {
            this.wakeAt(this.resetAt);
            return;
          }
          if (this.inFlight > 0) return; // a response of this window will tell when it resets
          // No response told us the reset (network errors): assume a full window from now.
          this.resetAt = now + (this.windowMs || 1_000);
          this.resetKnown = true;
          this.wakeAt(this.resetAt);
          return;
        }
      }
      const wait = this.gate.tryPass(now);
      if (wait > 0) {
        this.gate.park(this, wait);
        return;
      }
      if (Number.isFinite(this.limit) && this.limit !== UNKNOWN) this.remaining--;
      this.inFlight++;
      const waiter = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as Waiter;
      if (this.head > 64 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      waiter.resolve({ bucket: this, epoch: this.epoch });
    }
  }

  private apply(ticket: Ticket, state: BucketState, now: number): void {
    const impliedReset = now + state.resetAfterMs;
    this.windowMs = Math.max(this.windowMs, state.resetAfterMs);
    if (this.limit === UNKNOWN || !Number.isFinite(this.limit)) {
      this.limit = state.limit;
      this.remaining = state.remaining;
      this.resetAt = impliedReset;
      this.resetKnown = true;
      return;
    }
    this.limit = state.limit;
    // Half a window later than the window we count in can only be a later server window: the
    // request was delayed (queued in the connection pool) or the window rolled over. That window
    // becomes the current epoch; requests still in flight may land in it too, so they are counted.
    if (this.resetKnown && impliedReset > this.resetAt + this.windowMs / 2) {
      this.epoch++;
      this.remaining = Math.max(0, state.remaining - this.inFlight);
      this.resetAt = impliedReset;
      return;
    }
    if (ticket.epoch !== this.epoch) return; // a late answer from a window that is over
    this.remaining = Math.min(this.remaining, state.remaining);
    // Every answer from one server window over-estimates its reset by that answer's delivery
    // time, so the earliest estimate is the tightest one that is still never early.
    this.resetAt = this.resetKnown ? Math.min(this.resetAt, impliedReset) : impliedReset;
    this.resetKnown = true;
  }

  private adopt(waiting: Waiter[], inFlight: number): void {
    // The merged bucket's in-flight requests count against this one until they answer.
    this.inFlight += inFlight;
    for (const waiter of waiting) this.queue.push(waiter);
    this.drain();
  }

  private resolveTarget(): Bucket {
    let bucket: Bucket = this;
    while (bucket.mergedInto) bucket = bucket.mergedInto;
    return bucket;
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.drain();
      },
      Math.max(0, Math.ceil(at - this.clock()))
    );
  }

  /** Whether the bucket holds nothing and can be forgotten. */
  get idle(): boolean {
    return this.pending === 0 && !this.timer;
  }
}
