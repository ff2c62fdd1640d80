/**
 * Where a shard keeps what it needs to resume: session id, last sequence, resume URL. Behind an
 * interface so a restarted process (or another host) can resume instead of re-identifying; the
 * in-memory store is the default, a Redis one plugs in with the fleet.
 */
export interface SessionInfo {
  sessionID: string;
  seq: number;
  resumeURL: string;
}

/** Where shards keep their session for resuming; implement it to resume across restarts or hosts. */
export interface SessionStore {
  /** The session a shard may resume, or null/undefined when it must identify. */
  get(shardID: number): SessionInfo | null | undefined | Promise<SessionInfo | null | undefined>;
  /** Save a shard's session so a later connect (or another process) can resume it. */
  set(shardID: number, session: SessionInfo): void | Promise<void>;
  /** Forget a shard's session once it can no longer be resumed, so the next connect identifies. */
  delete(shardID: number): void | Promise<void>;
}

/**
 * The default SessionStore: sessions kept in this process's memory (resume across reconnects, not restarts).
 */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<number, SessionInfo>();

  get(shardID: number): SessionInfo | undefined {
    const session = this.sessions.get(shardID);
    return session ? { ...session } : undefined;
  }

  set(shardID: number, session: SessionInfo): void {
    this.sessions.set(shardID, { ...session });
  }

  delete(shardID: number): void {
    this.sessions.delete(shardID);
  }
}
