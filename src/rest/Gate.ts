/**
 * What every request passes after its route bucket allows it: the global limit and the
 * invalid-request guard. Buckets that must wait park here and are woken in arrival order,
 * so one busy bucket cannot starve the others of global capacity.
 */
import type { GlobalLimiter } from './GlobalLimiter.js';
import type { InvalidRequestGuard } from './InvalidRequestGuard.js';

export interface Parkable {
  drain(): void;
}

export class Gate {
  private readonly parked = new Set<Parkable>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(
    readonly global: GlobalLimiter,
    readonly guard: InvalidRequestGuard
  ) {}

  /** 0 when a request may be sent now (and counts it), else the milliseconds to wait. */
  tryPass(now: number): number {
    const guardWait = this.guard.wait(now);
    if (guardWait > 0) return guardWait;
    const globalWait = this.global.tryTake(now);
    if (globalWait > 0) return globalWait;
    this.guard.passed(now);
    return 0;
  }

  /** Wake `bucket` (in FIFO order with the others) once `waitMs` has passed. */
  park(bucket: Parkable, waitMs: number): void {
    this.parked.add(bucket);
    const at = performance.now() + waitMs;
    if (this.timer && at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.wake(), Math.max(0, Math.ceil(waitMs)));
  }

  private wake(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const buckets = [...this.parked];
    this.parked.clear();
    // Each drain either sends (and leaves the set) or parks itself again with a new timer.
    for (const bucket of buckets) bucket.drain();
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.parked.clear();
  }
}
