/**
 * Outgoing commands of one connection under Discord's limit of 120 per 60 s. A sliding window of
 * send times decides when the next command may go; a few slots are kept for heartbeats, which also
 * jump ahead of every queued command, so a burst of presence updates or member requests can never
 * starve the keepalive (and get the connection closed as a zombie).
 */
export interface SendQueueOptions {
  /** Commands allowed per window. Discord: 120. */
  limit?: number;
  /** Window in ms. Discord: 60000. */
  window?: number;
  /** Slots only heartbeats may use. */
  heartbeatReserve?: number;
}

/** A shard's outgoing gateway messages, paced to Discord's send limit (with room kept for heartbeats). */
export class SendQueue {
  private readonly limit: number;
  private readonly window: number;
  private readonly reserve: number;
  /** Send times of the last `limit` commands, oldest first. */
  private readonly sent: number[] = [];
  private readonly queue: { payload: string; session: boolean }[] = [];
  /** A heartbeat waiting for a slot (only the newest matters). */
  private heartbeat: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (payload: string) => void,
    options: SendQueueOptions = {}
  ) {
    this.limit = options.limit ?? 120;
    this.window = options.window ?? 60_000;
    this.reserve = options.heartbeatReserve ?? 3;
  }

  /** Commands waiting for a slot. */
  get pending(): number {
    return this.queue.length;
  }

  /** Commands sent in the current window. */
  get used(): number {
    this.expire(Date.now());
    return this.sent.length;
  }

  /**
   * Queue a command (sent at once when a slot is free). `session` marks identify/resume: it goes
   * first and belongs to this connection only (reset() drops it instead of handing it back).
   */
  send(payload: string, session = false): void {
    if (session) this.queue.unshift({ payload, session });
    else this.queue.push({ payload, session });
    this.drain();
  }

  /** A heartbeat: goes before everything queued and may use the reserved slots. */
  sendHeartbeat(payload: string): void {
    const now = Date.now();
    this.expire(now);
    if (this.sent.length < this.limit) {
      this.sent.push(now);
      this.write(payload);
    } else {
      this.heartbeat = payload;
      this.schedule(now);
    }
  }

  /**
   * Forget the window and the queue (a new connection starts a new window). Returns the queued
   * user commands, so the shard can send them on its next connection.
   */
  reset(): string[] {
    const commands = this.queue.filter((entry) => !entry.session).map((entry) => entry.payload);
    this.queue.length = 0;
    this.sent.length = 0;
    this.heartbeat = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    return commands;
  }

  private expire(now: number): void {
    const cutoff = now - this.window;
    let drop = 0;
    while (drop < this.sent.length && this.sent[drop] <= cutoff) drop++;
    if (drop > 0) this.sent.splice(0, drop);
  }

  private drain(): void {
    if (this.timer) return;
    const now = Date.now();
    this.expire(now);
    if (this.heartbeat !== null && this.sent.length < this.limit) {
      this.sent.push(now);
      const heartbeat = this.heartbeat;
      this.heartbeat = null;
      this.write(heartbeat);
    }
    const budget = this.limit - this.reserve;
    while (this.queue.length > 0 && this.sent.length < budget) {
      this.sent.push(now);
      this.write(this.queue.shift()!.payload);
    }
    if (this.queue.length > 0 || this.heartbeat !== null) this.schedule(now);
  }

  private schedule(now: number): void {
    if (this.timer) return;
    const oldest = this.sent[0] ?? now;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.drain();
      },
      Math.max(1, oldest + this.window - now + 1)
    );
    this.timer.unref?.();
  }
}
