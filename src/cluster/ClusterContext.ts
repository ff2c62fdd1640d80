/**
 * What a bot running under a ClusterManager gets: its shard range, the total shard count, the
 * host's identify queue and session store (both over IPC to the manager), typed request handlers,
 * broadcasts, counters and a work tracker. Outside a ClusterManager `getClusterContext()` answers
 * null, so one bot file runs both standalone and clustered:
 *
 *   const cluster = getClusterContext();
 *   const client = new Client(token, { ...cluster?.clientOptions(), intents });
 *   cluster?.attach(client);
 */
import type { Client } from '../Client.js';
import type { ClientOptions } from '../client/options.js';
import { IpcIdentifyQueue } from './IpcIdentifyQueue.js';
import { IpcSessionStore } from './IpcSessionStore.js';
import {
  ASSIGNMENT_ENV,
  type ClusterAssignment,
  type ClusterProtocol,
  type ManagerMessage,
  parseAssignment,
  STATS_OP
} from './protocol.js';
import { StatsCollector } from './stats.js';
import { WorkerPort } from './WorkerPort.js';

type Handler = (data: unknown) => unknown;

export class ClusterContext<P extends ClusterProtocol = ClusterProtocol> implements ClusterAssignment {
  readonly clusterID: number;
  readonly clusterCount: number;
  readonly firstShardID: number;
  readonly lastShardID: number;
  readonly totalShards: number;
  readonly maxConcurrency: number;
  readonly identifyQueue: IpcIdentifyQueue;
  readonly sessionStore: IpcSessionStore;
  /** Counters reported in the fleet stats (`counters`); bump them with `count`. */
  readonly counters: Record<string, number> = Object.create(null);
  private readonly port: WorkerPort;
  private readonly handlers = new Map<string, Handler>();
  private readonly broadcastListeners = new Set<(data: unknown) => void>();
  private readonly work = new Set<Promise<unknown>>();
  private readonly stats: StatsCollector;
  private client: Client | null = null;
  private stopping = false;

  constructor(assignment: ClusterAssignment, port: WorkerPort) {
    this.clusterID = assignment.clusterID;
    this.clusterCount = assignment.clusterCount;
    this.firstShardID = assignment.firstShardID;
    this.lastShardID = assignment.lastShardID;
    this.totalShards = assignment.totalShards;
    this.maxConcurrency = assignment.maxConcurrency;
    this.port = port;
    this.identifyQueue = new IpcIdentifyQueue(port);
    this.sessionStore = new IpcSessionStore(port, () => this.settled());
    this.stats = new StatsCollector(this.clusterID);
    port.on((message) => this.onMessage(message));
    // The manager is gone (it crashed or was killed): do not linger as an orphan.
    process.once('disconnect', () => void this.stop(false));
  }

  /** Shards this process runs, first to last. */
  get shardIDs(): number[] {
    const ids: number[] = [];
    for (let id = this.firstShardID; id <= this.lastShardID; id++) ids.push(id);
    return ids;
  }

  /** The Client options that place this process in the fleet. Spread them into your own. */
  clientOptions(): Pick<
    ClientOptions,
    'maxShards' | 'firstShardID' | 'lastShardID' | 'shardConcurrency' | 'identifyQueue' | 'sessionStore'
  > {
    return {
      maxShards: this.totalShards,
      firstShardID: this.firstShardID,
      lastShardID: this.lastShardID,
      shardConcurrency: this.maxConcurrency,
      identifyQueue: this.identifyQueue,
      sessionStore: this.sessionStore
    };
  }

  /**
   * Report this client's shards and readiness to the manager and answer its stats requests. The
   * manager's rolling restart waits for the client's `ready`.
   */
  attach(client: Client): void {
    this.client = client;
    // Ready once every shard is up, identified (READY) or resumed (RESUMED): a respawned process
    // whose shards all resume never sees the client's own `ready`.
    const up = new Set<number>();
    let readySent = false;
    const ready = () => {
      if (readySent) return;
      readySent = true;
      this.port.send({ athena: 'ready' });
    };
    const shardUp = (id: number) => {
      up.add(id);
      if (this.shardIDs.every((shard) => up.has(shard))) ready();
    };
    client.on('ready', ready);
    client.on('shardReady', (id: number) => {
      this.port.send({ athena: 'shard', shardID: id, event: 'ready' });
      shardUp(id);
    });
    client.on('shardResume', (id: number) => {
      this.port.send({ athena: 'shard', shardID: id, event: 'resume' });
      shardUp(id);
    });
    client.on('shardDisconnect', (_error: Error | undefined, id: number) =>
      this.port.send({ athena: 'shard', shardID: id, event: 'disconnect' })
    );
  }

  /** Answer the manager's requests of one op. */
  handle<K extends keyof P & string>(
    op: K,
    handler: (data: P[K]['request']) => P[K]['response'] | Promise<P[K]['response']>
  ): void {
    if (op.startsWith('athena:')) throw new RangeError(`op names starting with "athena:" are reserved (${op})`);
    this.handlers.set(op, handler as Handler);
  }

  /** Listen to the manager's broadcasts. */
  onBroadcast(listener: (data: unknown) => void): () => void {
    this.broadcastListeners.add(listener);
    return () => this.broadcastListeners.delete(listener);
  }

  /** Send a message to the manager (its `message` event, with this cluster's id). */
  send(data: unknown): boolean {
    return this.port.send({ athena: 'send', data });
  }

  /** Add `by` to a named counter reported in the fleet stats. */
  count(name: string, by = 1): void {
    this.counters[name] = (this.counters[name] ?? 0) + by;
  }

  /**
   * Track a piece of work started by a dispatch (a role toggle, say). A shard's session is handed
   * to the manager only once the work started before it finished, so a crash never skips it.
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.work.add(work);
    const drop = () => this.work.delete(work);
    work.then(drop, drop);
    return work;
  }

  /** Resolves when the work tracked so far has settled (later work is not waited for). */
  async settled(): Promise<void> {
    if (this.work.size === 0) return;
    await Promise.allSettled([...this.work]);
  }

  private onMessage(message: ManagerMessage): void {
    switch (message.athena) {
      case 'request':
        void this.answer(message.id, message.op, message.data);
        return;
      case 'broadcast':
        for (const listener of this.broadcastListeners) {
          try {
            listener(message.data);
          } catch (error) {
            console.error('athena cluster: a broadcast listener threw:', error);
          }
        }
        return;
      case 'stop':
        void this.stop(message.keepSessions);
        return;
      default:
        return;
    }
  }

  private async answer(id: number, op: string, data: unknown): Promise<void> {
    try {
      let result: unknown;
      if (op === STATS_OP) {
        result = this.stats.collect(this.client, this.counters);
      } else {
        const handler = this.handlers.get(op);
        if (!handler) throw new Error(`cluster ${this.clusterID} has no handler for "${op}"`);
        result = await handler(data);
      }
      this.port.send({ athena: 'reply', id, ok: true, data: result });
    } catch (error) {
      this.port.send({ athena: 'reply', id, ok: false, error: (error as Error)?.message ?? String(error) });
    }
  }

  /**
   * Graceful stop: finish tracked work, close the shards (keeping their sessions resumable when
   * asked, for a rolling restart), hand the last sessions to the manager, then exit.
   */
  private async stop(keepSessions: boolean): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const client = this.client;
    try {
      await this.settled();
      if (client) {
        client.shards.disconnect(keepSessions ? { keepSession: true } : {});
        await client.rest.destroy();
      }
      await this.settled();
      await this.sessionStore.flush();
    } catch (error) {
      console.error('athena cluster: error while stopping:', error);
    }
    this.port.send({ athena: 'stopped' });
    // Give the IPC channel a moment to deliver, then leave.
    setTimeout(() => process.exit(0), 50);
  }
}

const CONTEXT_KEY = Symbol.for('athena.clusterContext');
type ContextHolder = { [CONTEXT_KEY]?: ClusterContext | null };

/**
 * The cluster context of this process, or null when it was not started by a ClusterManager. One
 * per process (kept on globalThis, so a bot importing `athena` from dist and from sources shares it).
 */
export function getClusterContext<P extends ClusterProtocol = ClusterProtocol>(): ClusterContext<P> | null {
  const holder = globalThis as ContextHolder;
  if (holder[CONTEXT_KEY] !== undefined) return holder[CONTEXT_KEY] as ClusterContext<P> | null;
  const assignment = parseAssignment(process.env[ASSIGNMENT_ENV]);
  const context =
    assignment && typeof process.send === 'function' ? new ClusterContext(assignment, new WorkerPort()) : null;
  holder[CONTEXT_KEY] = context;
  return context as ClusterContext<P> | null;
}
