/**
 * Runs a bot as N cluster processes on one host, each owning a contiguous range of shards.
 *
 * - Spawns each cluster by forking the bot file with its assignment in `ATHENA_CLUSTER`; the bot
 *   reads it through `getClusterContext()`. TypeScript bot files run through tsx (the manager's
 *   own loader is inherited, or `--import tsx` is added).
 * - Hosts the identify queue of the whole host (or forwards to a shared one, e.g. Redis) and the
 *   session of every shard, so a respawned cluster resumes instead of identifying.
 * - Respawns a crashed cluster with backoff without touching the others; rolling restarts one
 *   cluster at a time, each waiting for the previous one's `ready`; graceful shutdown.
 * - Typed request/response to one cluster or all, broadcasts, and fleet stats.
 */
import { EventEmitter } from 'node:events';
import { cpus } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import type { RESTGetAPIGatewayBotResult } from 'discord-api-types/v10';
import { type IdentifyQueue, LocalIdentifyQueue } from '../gateway/IdentifyQueue.js';
import type { SessionInfo } from '../gateway/SessionStore.js';
import type { RestOptions } from '../rest/options.js';
import { RestClient } from '../rest/RestClient.js';
import { InvalidOptionError } from '../util/errors.js';
import { ClusterProcess, type ClusterShardState } from './ClusterProcess.js';
import { splitShardRange } from './layout.js';
import {
  ASSIGNMENT_ENV,
  type ClusterProtocol,
  isSessionInfo,
  isShardID,
  STATS_OP,
  type WorkerMessage
} from './protocol.js';
import type { ClusterStats } from './stats.js';

/**
 * Options of a ClusterManager: the bot file, shards, clusters, identify coordination and process handling.
 */
export interface ClusterManagerOptions {
  /** The bot file each cluster process runs (.js, or .ts through tsx). */
  file: string;
  /** Bot token: used only to ask GET /gateway/bot for 'auto' shards or the identify concurrency. */
  token?: string;
  /** Cluster processes (default: one per CPU core). */
  clusters?: number;
  /** Shards of the whole fleet, or 'auto' for GET /gateway/bot's recommendation. Default 'auto'. */
  totalShards?: number | 'auto';
  /** The part of the fleet this manager runs, [first, last] inclusive. Default: every shard. */
  shardRange?: [number, number];
  /** Identify concurrency (`max_concurrency`); default from GET /gateway/bot, or 1 without a token. */
  maxConcurrency?: number;
  /** Identify window per bucket in ms (Discord: 5000). Only lower it against a simulator. */
  identifyWindow?: number;
  /** The identify queue every cluster goes through (default: one LocalIdentifyQueue for the host). */
  identifyQueue?: IdentifyQueue;
  /** REST options for GET /gateway/bot (base URL; ATHENA_REST_BASE_URL works too). */
  rest?: RestOptions;
  /** Extra argv for the bot, extra Node flags, extra environment. */
  args?: string[];
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Pipe cluster output to `output` events instead of this process's stdout/stderr. Default false. */
  silent?: boolean;
  /** Respawn crashed clusters. Default true. */
  respawn?: boolean;
  /** Delay before respawn n (1-based) of a cluster crashing in a row. Default 500 ms doubling to 30 s. */
  respawnDelay?: (attempt: number) => number;
  /** How long a rolling restart waits for a cluster's ready. Default 120000. */
  readyTimeout?: number;
  /** How long a graceful stop may take before SIGKILL. Default 10000. */
  stopTimeout?: number;
  /** Default request timeout in ms. Default 10000. */
  requestTimeout?: number;
}

/** A summary of one cluster process: its pid, state, shard range, spawns, crashes and shards. */
export interface ClusterInfo {
  id: number;
  pid: number | undefined;
  state: ClusterProcess['state'];
  firstShardID: number;
  lastShardID: number;
  spawns: number;
  crashes: number;
  shards: ClusterShardState[];
}

/** Events of a ClusterManager, each with the cluster id first. */
export interface ClusterManagerEvents {
  spawn: [clusterID: number, pid: number | undefined];
  ready: [clusterID: number];
  /** Every cluster reached ready (once per start). */
  allReady: [];
  exit: [clusterID: number, code: number | null, signal: NodeJS.Signals | null];
  respawn: [clusterID: number, delayMs: number];
  message: [clusterID: number, data: unknown];
  output: [clusterID: number, line: string, stream: 'stdout' | 'stderr'];
  debug: [message: string];
}

/**
 * The default delay before respawn `attempt` (1-based) of a crashing cluster: 500 ms doubling, capped at 30
 * s.
 */
export function defaultRespawnDelay(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Runs a bot as cluster processes on one host, each with a contiguous shard range: respawn, rolling restart,
 * typed IPC, one identify queue for the host, sessions kept for resume, fleet stats.
 */
export class ClusterManager<P extends ClusterProtocol = ClusterProtocol> extends EventEmitter<ClusterManagerEvents> {
  readonly options: ClusterManagerOptions;
  readonly clusters = new Map<number, ClusterProcess>();
  /** Each shard's session, kept across its cluster's processes. */
  readonly sessions = new Map<number, SessionInfo>();
  identifyQueue: IdentifyQueue | null;
  totalShards = 0;
  maxConcurrency = 0;
  /** Identify slots granted to clusters (the host's count). */
  identifiesGranted = 0;
  private readonly identifyWaits = new Map<number, Map<number, AbortController>>();
  /** Per bucket: resolves when the bucket's last identify was sent and its window has passed. */
  private readonly bucketTurns = new Map<number, Promise<void>>();
  private readonly sentAcks = new Map<number, () => void>();
  private readonly respawnTimers = new Map<number, NodeJS.Timeout>();
  private ownedQueue: LocalIdentifyQueue | null = null;
  private started = false;
  private shuttingDown = false;
  private allReadyEmitted = false;

  constructor(options: ClusterManagerOptions) {
    super();
    checkOptions(options);
    this.options = { ...options, file: resolvePath(options.file) };
    this.identifyQueue = options.identifyQueue ?? null;
  }

  /** Resolve shard count and concurrency, then spawn every cluster. Resolves once all are spawned. */
  async spawn(): Promise<void> {
    if (this.started) throw new Error('ClusterManager.spawn() was already called');
    this.started = true;
    const o = this.options;
    let gateway: RESTGetAPIGatewayBotResult | null = null;
    if (o.totalShards === undefined || o.totalShards === 'auto' || o.maxConcurrency === undefined) {
      if (o.token) gateway = await this.fetchGateway(o.token);
      else if (o.totalShards === undefined || o.totalShards === 'auto') {
        throw new InvalidOptionError('token', "a bot token (needed for totalShards: 'auto')", '(missing)');
      }
    }
    this.totalShards = typeof o.totalShards === 'number' ? o.totalShards : positive(gateway?.shards, 1);
    this.maxConcurrency = o.maxConcurrency ?? positive(gateway?.session_start_limit?.max_concurrency, 1);
    const [first, last] = o.shardRange ?? [0, this.totalShards - 1];
    if (last >= this.totalShards) {
      throw new InvalidOptionError('shardRange', `a range within 0..${this.totalShards - 1}`, o.shardRange);
    }
    if (!this.identifyQueue) {
      this.ownedQueue = new LocalIdentifyQueue(this.maxConcurrency, o.identifyWindow ?? 5000);
      this.identifyQueue = this.ownedQueue;
    }
    const ranges = splitShardRange(first, last, o.clusters ?? cpus().length);
    ranges.forEach((range, index) => {
      const cluster = new ClusterProcess({
        clusterID: index,
        clusterCount: ranges.length,
        firstShardID: range.first,
        lastShardID: range.last,
        totalShards: this.totalShards,
        maxConcurrency: this.maxConcurrency
      });
      this.wire(cluster);
      this.clusters.set(index, cluster);
    });
    for (const cluster of this.clusters.values()) this.start(cluster);
  }

  /** Resolves when every cluster is ready (rejects after `timeoutMs`). */
  waitForReady(timeoutMs = this.options.readyTimeout ?? 120_000): Promise<void> {
    return Promise.all([...this.clusters.values()].map((c) => this.waitForCluster(c, timeoutMs))).then(() => undefined);
  }

  /** A summary of every cluster and its shards. */
  info(): ClusterInfo[] {
    return [...this.clusters.values()].map((c) => ({
      id: c.id,
      pid: c.pid,
      state: c.state,
      firstShardID: c.assignment.firstShardID,
      lastShardID: c.assignment.lastShardID,
      spawns: c.spawns,
      crashes: c.crashes,
      shards: [...c.shards.values()].map((s) => ({ ...s }))
    }));
  }

  /** Send a request to one cluster and await its answer. */
  request<K extends keyof P & string>(
    clusterID: number,
    op: K,
    data: P[K]['request'],
    timeoutMs = this.options.requestTimeout ?? 10_000
  ): Promise<P[K]['response']> {
    const cluster = this.clusters.get(clusterID);
    if (!cluster) return Promise.reject(new RangeError(`no cluster ${clusterID}`));
    return cluster.request(op, data, timeoutMs) as Promise<P[K]['response']>;
  }

  /** Send a request to every running cluster; answers in cluster order (failures reject). */
  requestAll<K extends keyof P & string>(
    op: K,
    data: P[K]['request'],
    timeoutMs = this.options.requestTimeout ?? 10_000
  ): Promise<P[K]['response'][]> {
    const running = [...this.clusters.values()].filter((c) => c.child !== null);
    return Promise.all(running.map((c) => c.request(op, data, timeoutMs) as Promise<P[K]['response']>));
  }

  /** Deliver `data` to every running cluster's `onBroadcast` listeners. Returns how many got it. */
  broadcast(data: unknown): number {
    let sent = 0;
    for (const cluster of this.clusters.values()) if (cluster.send({ athena: 'broadcast', data })) sent++;
    return sent;
  }

  /** Stats of every running cluster (a cluster that does not answer in time is left out). */
  async stats(timeoutMs = 5000): Promise<ClusterStats[]> {
    const running = [...this.clusters.values()].filter((c) => c.child !== null);
    const answers = await Promise.allSettled(running.map((c) => c.request(STATS_OP, null, timeoutMs)));
    const out: ClusterStats[] = [];
    for (const answer of answers) if (answer.status === 'fulfilled') out.push(answer.value as ClusterStats);
    return out;
  }

  /**
   * Restart every cluster, one at a time: stop it (its shards keep resumable sessions), start a
   * new process, wait for its ready, then the next.
   */
  async rollingRestart(): Promise<void> {
    for (const cluster of this.clusters.values()) {
      if (this.shuttingDown) return;
      this.cancelRespawn(cluster.id);
      await cluster.stop(true, this.options.stopTimeout ?? 10_000);
      if (this.shuttingDown) return;
      this.start(cluster);
      await this.waitForCluster(cluster, this.options.readyTimeout ?? 120_000);
    }
  }

  /** Restart one cluster (resuming its shards). */
  async restart(clusterID: number): Promise<void> {
    const cluster = this.clusters.get(clusterID);
    if (!cluster) throw new RangeError(`no cluster ${clusterID}`);
    this.cancelRespawn(clusterID);
    await cluster.stop(true, this.options.stopTimeout ?? 10_000);
    this.start(cluster);
  }

  /** Stop every cluster gracefully (SIGKILL after `stopTimeout`) and release the host queue. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const id of [...this.respawnTimers.keys()]) this.cancelRespawn(id);
    await Promise.all([...this.clusters.values()].map((c) => c.stop(false, this.options.stopTimeout ?? 10_000)));
    for (const waits of this.identifyWaits.values()) for (const abort of waits.values()) abort.abort();
    this.identifyWaits.clear();
    this.ownedQueue?.destroy();
  }

  private start(cluster: ClusterProcess): void {
    const o = this.options;
    const execArgv = [...(o.execArgv ?? process.execArgv)];
    if (/\.[cm]?tsx?$/.test(o.file) && !execArgv.some((a) => a.includes('tsx'))) execArgv.push('--import', 'tsx');
    cluster.spawn(
      { file: o.file, args: o.args ?? [], execArgv, env: { ...process.env, ...o.env }, silent: o.silent ?? false },
      ASSIGNMENT_ENV
    );
    this.emit('spawn', cluster.id, cluster.pid);
  }

  private wire(cluster: ClusterProcess): void {
    cluster.on('message', (message) => this.onWorkerMessage(cluster, message));
    cluster.on('output', (line, stream) => this.emit('output', cluster.id, line, stream));
    cluster.on('ready', () => {
      this.emit('ready', cluster.id);
      if (!this.allReadyEmitted && [...this.clusters.values()].every((c) => c.state === 'ready')) {
        this.allReadyEmitted = true;
        this.emit('allReady');
      }
    });
    cluster.on('exit', (code, signal, expected) => {
      const waits = this.identifyWaits.get(cluster.id);
      if (waits) for (const abort of waits.values()) abort.abort(new Error('cluster exited'));
      this.identifyWaits.delete(cluster.id);
      this.emit('exit', cluster.id, code, signal);
      if (expected || this.shuttingDown || this.options.respawn === false) return;
      const delay = (this.options.respawnDelay ?? defaultRespawnDelay)(cluster.crashesInRow);
      this.emit('respawn', cluster.id, delay);
      this.emit('debug', `cluster ${cluster.id} exited (code ${code}, signal ${signal}); respawning in ${delay} ms`);
      const timer = setTimeout(() => {
        this.respawnTimers.delete(cluster.id);
        if (!this.shuttingDown && cluster.child === null) this.start(cluster);
      }, delay);
      this.respawnTimers.set(cluster.id, timer);
    });
  }

  private cancelRespawn(clusterID: number): void {
    const timer = this.respawnTimers.get(clusterID);
    if (timer) clearTimeout(timer);
    this.respawnTimers.delete(clusterID);
  }

  private waitForCluster(cluster: ClusterProcess, timeoutMs: number): Promise<void> {
    if (cluster.state === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cluster.off('ready', onReady);
        reject(new Error(`cluster ${cluster.id} not ready within ${timeoutMs} ms`));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      cluster.once('ready', onReady);
    });
  }

  private onWorkerMessage(cluster: ClusterProcess, message: WorkerMessage): void {
    switch (message.athena) {
      case 'identify':
        void this.grantIdentify(cluster, message.id, message.shardID);
        return;
      case 'identifySent':
        this.sentAcks.get(message.id)?.();
        return;
      case 'identifyCancel':
        this.identifyWaits.get(cluster.id)?.get(message.id)?.abort(new Error('cancelled by the cluster'));
        return;
      case 'sessionGet': {
        const session = this.owns(cluster, message.shardID) ? this.sessions.get(message.shardID) : undefined;
        cluster.send({ athena: 'sessionValue', id: message.id, session: session ? { ...session } : null });
        return;
      }
      case 'sessionSet':
        if (this.owns(cluster, message.shardID) && isSessionInfo(message.session)) {
          this.sessions.set(message.shardID, { ...message.session });
        }
        return;
      case 'sessionDelete':
        if (this.owns(cluster, message.shardID)) this.sessions.delete(message.shardID);
        return;
      case 'send':
        this.emit('message', cluster.id, message.data);
        return;
      default:
        return;
    }
  }

  /** A cluster may only touch the sessions and identify slots of its own shards. */
  private owns(cluster: ClusterProcess, shardID: unknown): shardID is number {
    return isShardID(shardID) && cluster.shards.has(shardID);
  }

  private async grantIdentify(cluster: ClusterProcess, id: number, shardID: number): Promise<void> {
    if (!this.owns(cluster, shardID) || !this.identifyQueue) {
      cluster.send({ athena: 'identifyError', id, error: `shard ${shardID} is not cluster ${cluster.id}'s` });
      return;
    }
    let waits = this.identifyWaits.get(cluster.id);
    if (!waits) {
      waits = new Map();
      this.identifyWaits.set(cluster.id, waits);
    }
    const abort = new AbortController();
    waits.set(id, abort);
    // One identify of a bucket in flight per host: the next waits for this one's "sent" (or its
    // cluster's exit) plus the window, on top of whatever the queue itself enforces.
    const bucket = shardID % Math.max(1, this.maxConcurrency);
    const previous = this.bucketTurns.get(bucket) ?? Promise.resolve();
    let release!: () => void;
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.bucketTurns.set(
      bucket,
      previous.then(() => turn)
    );
    let granted = false;
    try {
      await previous;
      if (abort.signal.aborted) throw abort.signal.reason;
      await this.identifyQueue.acquire(shardID, abort.signal);
      this.identifiesGranted++;
      granted = true;
      const sent = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        this.sentAcks.set(id, () => {
          clearTimeout(timer);
          resolve();
        });
        abort.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      cluster.send({ athena: 'identifyGrant', id });
      await sent;
      this.sentAcks.delete(id);
      // A shared queue that can restart its window at the send (RedisIdentifyQueue) does so.
      await this.identifyQueue.sent?.(shardID);
      setTimeout(release, this.options.identifyWindow ?? 5000).unref();
    } catch (error) {
      if (!abort.signal.aborted) {
        cluster.send({ athena: 'identifyError', id, error: (error as Error)?.message ?? String(error) });
      }
    } finally {
      waits.delete(id);
      if (!granted) release();
    }
  }

  private async fetchGateway(token: string): Promise<RESTGetAPIGatewayBotResult> {
    const rest = new RestClient(token, {
      ...this.options.rest,
      baseURL: this.options.rest?.baseURL ?? (process.env.ATHENA_REST_BASE_URL || undefined)
    });
    try {
      return await rest.request<RESTGetAPIGatewayBotResult>('GET', '/gateway/bot');
    } finally {
      await rest.destroy();
    }
  }
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

function checkOptions(o: ClusterManagerOptions): void {
  if (o === null || typeof o !== 'object') throw new InvalidOptionError('options', 'an object', o);
  if (typeof o.file !== 'string' || o.file.length === 0) throw new InvalidOptionError('file', 'a path', o.file);
  const positiveInt = (name: string, value: unknown) => {
    if (value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && value > 0)) {
      throw new InvalidOptionError(name, 'a positive integer', value);
    }
  };
  positiveInt('clusters', o.clusters);
  positiveInt('maxConcurrency', o.maxConcurrency);
  if (o.totalShards !== 'auto') positiveInt('totalShards', o.totalShards);
  if (o.identifyWindow !== undefined && !(Number.isSafeInteger(o.identifyWindow) && o.identifyWindow >= 0)) {
    throw new InvalidOptionError('identifyWindow', 'a non-negative integer of ms', o.identifyWindow);
  }
  if (o.shardRange !== undefined) {
    const r = o.shardRange;
    if (!Array.isArray(r) || r.length !== 2 || !isShardID(r[0]) || !isShardID(r[1]) || r[0] > r[1]) {
      throw new InvalidOptionError('shardRange', '[first, last] shard ids with first <= last', r);
    }
  }
  if (o.token !== undefined && typeof o.token !== 'string')
    throw new InvalidOptionError('token', 'a string', '(not a string)');
}
