/**
 * The per-token global limit (Discord: 50 requests per second). A sliding window over the last
 * `limit` send times: no window of `windowMs + marginMs` ever holds more than `limit` sends,
 * so whichever fixed windows the server counts in (shifted by network jitter up to the margin),
 * none of them overflows.
 */
export class GlobalLimiter {
  private readonly sends: Float64Array;
  private next = 0;
  private count = 0;
  private pausedUntil = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly marginMs: number
  ) {
    this.sends = new Float64Array(Number.isFinite(limit) ? limit : 0);
  }

  /** 0 and counts a send when allowed now, else the milliseconds to wait. */
  tryTake(now: number): number {
    if (this.pausedUntil > now) return this.pausedUntil - now;
    if (!Number.isFinite(this.limit)) return 0;
    if (this.count < this.limit) {
      this.sends[this.next] = now;
      this.next = (this.next + 1) % this.limit;
      this.count++;
      return 0;
    }
    const oldest = this.sends[this.next];
    const freeAt = oldest + this.windowMs + this.marginMs;
    if (now < freeAt) return freeAt - now;
    this.sends[this.next] = now;
    this.next = (this.next + 1) % this.limit;
    return 0;
  }

  /** After a global 429: nothing is sent until `until`. */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  get paused(): boolean {
    return this.pausedUntil > performance.now();
  }
}
