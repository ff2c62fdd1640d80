/**
 * Discord bans an IP for a while after 10,000 invalid requests (401, 403, or 429 other than
 * scope "shared") in 10 minutes. This guard counts them in a sliding window and slows every
 * request down long before that: above half the configured limit it spaces requests so the
 * rest of the budget lasts the window, and at the limit it stops until old ones expire.
 */
export class InvalidRequestGuard {
  private readonly times: number[] = [];
  private head = 0;
  private lastPass = 0;
  /** Requests sent and not yet answered: any of them may come back invalid. */
  private pending = 0;
  private warnedAtHalf = false;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly warn: (message: string) => void
  ) {}

  /** Count a response if it is an invalid request. */
  record(status: number, scope: string | undefined, now: number): void {
    this.pending = Math.max(0, this.pending - 1);
    if (status !== 401 && status !== 403 && status !== 429) return;
    if (status === 429 && scope === 'shared') return;
    this.times.push(now);
    const count = this.count(now);
    if (!this.warnedAtHalf && count >= this.limit / 2) {
      this.warnedAtHalf = true;
      this.warn(
        `${count} invalid requests (401/403/429) in the last ${this.windowMs} ms; slowing down to stay under ${this.limit}`
      );
    }
  }

  /** Invalid requests in the current window. */
  count(now: number): number {
    while (this.head < this.times.length && this.times[this.head] <= now - this.windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
    const count = this.times.length - this.head;
    if (count < this.limit / 2) this.warnedAtHalf = false;
    return count;
  }

  /** 0 when a request may go now, else the milliseconds to wait (call `passed` when it goes). */
  wait(now: number): number {
    const count = this.count(now);
    if (count >= this.limit) return this.times[this.head] + this.windowMs - now;
    // Unanswered requests may all come back invalid: never let them push the count over.
    if (count + this.pending >= this.limit) return 5;
    if (count >= this.limit / 2) {
      // Spread what is left of the budget over the window.
      const spacing = this.windowMs / Math.max(1, this.limit - count);
      const wait = this.lastPass + spacing - now;
      if (wait > 0) return wait;
    }
    return 0;
  }

  /** A request was sent. */
  passed(now: number): void {
    this.lastPass = now;
    this.pending++;
  }

  /** A sent request ended without an answer (network error): it cannot be invalid. */
  abandon(): void {
    this.pending = Math.max(0, this.pending - 1);
  }
}
