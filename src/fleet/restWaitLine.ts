/**
 * Requests of one process that wait for the fleet's global window line up here, so that only the
 * first of them asks Redis again when a slot frees; the others ask one at a time after it. Without
 * the line every waiting request would wake for every freed slot and ask Redis at once: at the
 * global limit that is (waiting requests × 50) Redis calls per second per process.
 */
export class GlobalWaitLine {
  /** The request waiting for the window on behalf of this process. */
  private holder: object | undefined;
  private readonly line: (() => void)[] = [];

  /** Resolves when `request` may ask Redis: at once, unless another request holds the line. */
  async turn(request: object): Promise<void> {
    while (this.holder !== undefined && this.holder !== request) {
      await new Promise<void>((resolve) => this.line.push(resolve));
    }
  }

  /** `request` must wait for the window: it holds the line, unless another request already does (false). */
  hold(request: object): boolean {
    if (this.holder !== undefined && this.holder !== request) return false;
    this.holder = request;
    return true;
  }

  /** `request` no longer waits for the window (granted, refused, or waiting for its bucket): the next may ask. */
  pass(request: object): void {
    if (this.holder === request) this.holder = undefined;
    if (this.holder === undefined) this.line.shift()?.();
  }

  /** Requests lined up behind the holder. */
  get waiting(): number {
    return this.line.length;
  }
}
