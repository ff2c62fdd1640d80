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
  get(shardID: number): SessionInfo | null | undefined | Promise<SessionInfo | null | undefined>;
  set(shardID: number, session: SessionInfo): void | Promise<void>;
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
