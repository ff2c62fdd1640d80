/** Counters of one shard, cumulative over its connections. Plain fields: reading them is free. */
export class ShardStats {
  /** WebSocket messages received. */
  frames = 0;
  /** Bytes received on the wire (compressed when transport compression is on). */
  bytesWire = 0;
  /**
   * Size after decompression (equal to bytesWire without compression): bytes, or characters with
   * zlib-sync, which decodes straight to text (the same for ASCII).
   */
  bytesInflated = 0;
  /** Milliseconds spent in JSON.parse and envelope sniffing, estimated from one frame in 16. */
  parseTime = 0;
  /** Dispatches delivered to the sink, by event name. */
  readonly dispatches = new Map<string, number>();
  /** Dispatches recognised as disabled and skipped without parsing `d`. */
  skippedDisabled = 0;
  /** Replayed dispatches dropped because their seq was already delivered. */
  duplicates = 0;
  /** Frames that were not valid JSON, had wrong types, or failed to decompress. */
  malformed = 0;
  /** Frames with an opcode Athena does not know. */
  unknownOps = 0;
  /** Dispatches with an event name Athena does not know (still delivered). */
  unknownEvents = 0;
  /** `__proto__` keys dropped from frames. */
  hostileKeys = 0;
  heartbeatsSent = 0;
  heartbeatAcks = 0;
  /** Round trip of the last acknowledged heartbeat in ms (Infinity until one is acknowledged). */
  latency = Number.POSITIVE_INFINITY;
  identifies = 0;
  resumes = 0;
  /** Sessions that ended by op 9 d:false or a session-ending close. */
  invalidatedSessions = 0;
  reconnects = 0;
  zombieCloses = 0;
  /** Times reading was paused for backpressure (pauseReading). */
  readPauses = 0;
  /** Milliseconds spent with reading paused (closed pauses only). */
  readPausedMs = 0;
  /** Reconnects that gave up on a resume URL that kept failing and used the gateway URL. */
  resumeURLFallbacks = 0;

  /** Count one dispatch of event `t`. */
  countDispatch(t: string): void {
    this.dispatches.set(t, (this.dispatches.get(t) ?? 0) + 1);
  }

  /**
   * Every counter plus dispatch counts by event name, as a plain object (for `ShardManager.stats()` and
   * logs).
   */
  toJSON(): Record<string, unknown> {
    return { ...(this as unknown as Record<string, unknown>), dispatches: Object.fromEntries(this.dispatches) };
  }
}
