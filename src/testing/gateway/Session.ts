/**
 * One gateway session (what IDENTIFY starts and RESUME continues). It outlives its connection:
 * while detached it keeps numbering and buffering the dispatches routed to it, so a resume can
 * replay them. It also keeps the accounting tests use: the event name of every seq it sent.
 */
import type { Connection } from './Connection.js';

export interface SessionLimits {
  replayBufferSize: number;
  replayBufferBytes: number;
  dispatchLogLimit: number;
}

interface Buffered {
  seq: number;
  frame: string;
}

export class Session {
  seq = 0;
  connection: Connection | null = null;
  /** Guild ids READY announced whose GUILD_CREATE is not yet sent, in send order. */
  pendingGuilds: string[] = [];
  pendingCursor = 0;
  readonly pendingSet = new Set<string>();
  /** Event name of each dispatch by seq (index seq - 1), until dispatchLogLimit. */
  readonly dispatchTypes: string[] = [];
  resumes = 0;
  replayed = 0;
  invalidated = false;
  detachedAt: number | null = null;
  expiryTimer: NodeJS.Timeout | null = null;
  heartbeatAcks = true;
  readonly createdAt = Date.now();
  private readonly buffer: Buffered[] = [];
  private bufferHead = 0;
  private bufferBytes = 0;

  constructor(
    readonly id: string,
    readonly shard: [number, number],
    readonly intents: number,
    readonly largeThreshold: number,
    readonly presenceRequested: boolean,
    private readonly limits: SessionLimits
  ) {}

  get attached(): boolean {
    return this.connection !== null;
  }

  /** Number a dispatch, remember it for replay and accounting, and return its frame text. */
  record(t: string, dJSON: string): string {
    const seq = ++this.seq;
    const frame = `{"op":0,"t":"${t}","s":${seq},"d":${dJSON}}`;
    if (this.dispatchTypes.length < this.limits.dispatchLogLimit) this.dispatchTypes.push(t);
    this.buffer.push({ seq, frame });
    this.bufferBytes += frame.length;
    while (
      this.buffer.length - this.bufferHead > this.limits.replayBufferSize ||
      (this.bufferBytes > this.limits.replayBufferBytes && this.buffer.length - this.bufferHead > 1)
    ) {
      this.bufferBytes -= this.buffer[this.bufferHead].frame.length;
      this.bufferHead++;
    }
    if (this.bufferHead > 4096 && this.bufferHead * 2 > this.buffer.length) {
      this.buffer.splice(0, this.bufferHead);
      this.bufferHead = 0;
    }
    return frame;
  }

  /** Frames after `seq` for a resume, or undefined when some of them were already dropped. */
  framesAfter(seq: number): string[] | undefined {
    if (seq >= this.seq) return [];
    const first = this.buffer[this.bufferHead];
    if (!first || first.seq > seq + 1) return undefined;
    const out: string[] = [];
    for (let i = this.bufferHead + (seq + 1 - first.seq); i < this.buffer.length; i++) out.push(this.buffer[i].frame);
    return out;
  }

  get hasPendingGuilds(): boolean {
    return this.pendingCursor < this.pendingGuilds.length;
  }
}
