/**
 * The cluster side of the manager's session store. The manager keeps each shard's session, so a
 * respawned cluster process resumes instead of identifying again.
 *
 * A stored sequence number promises that every dispatch up to it was handled: after a crash the
 * resumed session replays only what follows it. So `set` waits for `barrier()` (the bot's work
 * started before now, see `ClusterContext.track`) before it sends the session on; a `delete` or a
 * newer `set` that overtakes it wins (per-shard versions).
 */
import type { SessionInfo, SessionStore } from '../gateway/SessionStore.js';
import { isSessionInfo } from './protocol.js';
import type { WorkerPort } from './WorkerPort.js';

/**
 * A SessionStore that keeps shard sessions in the ClusterManager over IPC, so a respawned cluster resumes.
 */
export class IpcSessionStore implements SessionStore {
  private readonly versions = new Map<number, number>();
  private readonly pendingGets = new Map<number, (session: SessionInfo | null) => void>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly port: WorkerPort,
    private readonly barrier: () => Promise<void> = () => Promise.resolve(),
    private readonly getTimeoutMs = 10_000
  ) {
    port.on((message) => {
      if (message.athena !== 'sessionValue') return;
      const resolve = this.pendingGets.get(message.id);
      if (!resolve) return;
      this.pendingGets.delete(message.id);
      resolve(isSessionInfo(message.session) ? message.session : null);
    });
  }

  get(shardID: number): Promise<SessionInfo | null> {
    const id = this.port.id();
    return new Promise((resolve) => {
      // No answer (manager gone or busy) means no session: the shard identifies.
      const timer = setTimeout(() => {
        this.pendingGets.delete(id);
        resolve(null);
      }, this.getTimeoutMs);
      timer.unref();
      this.pendingGets.set(id, (session) => {
        clearTimeout(timer);
        resolve(session);
      });
      if (!this.port.send({ athena: 'sessionGet', id, shardID })) {
        clearTimeout(timer);
        this.pendingGets.delete(id);
        resolve(null);
      }
    });
  }

  set(shardID: number, session: SessionInfo): void {
    const version = this.bump(shardID);
    const copy = { ...session };
    const done = this.barrier()
      .catch(() => undefined)
      .then(() => {
        if (this.versions.get(shardID) !== version) return;
        this.port.send({ athena: 'sessionSet', shardID, version, session: copy });
      });
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  delete(shardID: number): void {
    const version = this.bump(shardID);
    this.port.send({ athena: 'sessionDelete', shardID, version });
  }

  /** Resolves when every `set` issued so far reached the manager (or was superseded). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private bump(shardID: number): number {
    const version = (this.versions.get(shardID) ?? 0) + 1;
    this.versions.set(shardID, version);
    return version;
  }
}
