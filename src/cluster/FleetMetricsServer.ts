/**
 * Fleet stats over HTTP: Prometheus text at `/metrics` (prom-client, a registry of its own) and
 * JSON at `/stats`. Every scrape asks each cluster for fresh stats over IPC. Bound to 127.0.0.1
 * unless `host` says otherwise: the numbers describe your fleet and need not be public.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, Registry } from 'prom-client';
import type { ClusterInfo, ClusterManager } from './ClusterManager.js';
import type { ClusterStats } from './stats.js';

/** Options of a FleetMetricsServer: host, port and the per-cluster stats timeout. */
export interface FleetMetricsServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port; read `port` after `listen`). */
  port?: number;
  /** How long a scrape waits for each cluster in ms. Default 3000. */
  statsTimeout?: number;
}

/** The fleet at one moment, as `/stats` answers it: clusters, their shards and stats. */
export interface FleetSnapshot {
  at: string;
  totalShards: number;
  identifiesGranted: number;
  clusters: ClusterInfo[];
  stats: ClusterStats[];
}

/** Gather what `/stats` serves: the manager's view of each cluster plus each cluster's own stats. */
export async function fleetSnapshot(manager: ClusterManager, statsTimeout = 3000): Promise<FleetSnapshot> {
  const stats = await manager.stats(statsTimeout);
  return {
    at: new Date().toISOString(),
    totalShards: manager.totalShards,
    identifiesGranted: manager.identifiesGranted,
    clusters: manager.info(),
    stats
  };
}

/**
 * Serves a ClusterManager's fleet stats as Prometheus `/metrics` and JSON `/stats` (127.0.0.1 by default).
 */
export class FleetMetricsServer {
  readonly registry = new Registry();
  private readonly server: Server;
  private readonly gauges: Record<string, Gauge<string>>;
  private boundPort = 0;

  constructor(
    private readonly manager: ClusterManager,
    private readonly options: FleetMetricsServerOptions = {}
  ) {
    const gauge = (name: string, help: string, labelNames: string[]) =>
      new Gauge({ name, help, labelNames, registers: [this.registry] });
    this.gauges = {
      clusterUp: gauge('athena_cluster_up', 'Cluster process running and answering (1) or not (0)', ['cluster']),
      clusterSpawns: gauge('athena_cluster_spawns', 'Processes started for the cluster', ['cluster']),
      clusterCrashes: gauge('athena_cluster_crashes', 'Unexpected exits of the cluster', ['cluster']),
      heap: gauge('athena_cluster_heap_used_bytes', 'V8 heap used', ['cluster']),
      rss: gauge('athena_cluster_rss_bytes', 'Resident set size', ['cluster']),
      guilds: gauge('athena_cluster_guilds', 'Guilds cached', ['cluster']),
      hot: gauge('athena_cluster_hot_set_size', 'Records in the in-heap hot set', ['cluster', 'kind']),
      userFetch: gauge('athena_cluster_user_fetch', 'fetchUser answers by tier (cumulative)', ['cluster', 'tier']),
      hitRate: gauge('athena_cluster_user_fetch_hit_rate', 'fetchUser answers not needing REST', ['cluster']),
      remote: gauge('athena_cluster_remote_tier', 'Remote-tier counters (cumulative)', ['cluster', 'kind', 'counter']),
      events: gauge('athena_cluster_events_per_second', 'Dispatches handled per second', ['cluster']),
      handled: gauge('athena_cluster_dispatches', 'Dispatches handled (cumulative)', ['cluster']),
      counters: gauge('athena_cluster_counter', 'Counters kept by the bot (context.count)', ['cluster', 'name']),
      shardUp: gauge('athena_shard_ready', 'Shard ready (1) or not (0)', ['cluster', 'shard']),
      latency: gauge('athena_shard_latency_seconds', 'Last heartbeat round trip', ['cluster', 'shard']),
      shardGuilds: gauge('athena_shard_guilds', 'Guilds of the shard', ['cluster', 'shard']),
      identifies: gauge('athena_shard_identifies', 'Identifies (cumulative, per process)', ['cluster', 'shard']),
      resumes: gauge('athena_shard_resumes', 'Resumes (cumulative, per process)', ['cluster', 'shard']),
      shardPaused: gauge('athena_shard_reading_paused', 'Shard socket reads paused for backpressure (1) or not (0)', [
        'cluster',
        'shard'
      ]),
      bpPaused: gauge(
        'athena_cluster_backpressure_paused',
        'Reads and identifies paused by backpressure (1) or not (0)',
        ['cluster']
      ),
      bpPauses: gauge('athena_cluster_backpressure_pauses', 'Times backpressure paused the cluster (cumulative)', [
        'cluster'
      ]),
      bpPausedSeconds: gauge(
        'athena_cluster_backpressure_paused_seconds',
        'Time paused by backpressure, the pause under way included',
        ['cluster']
      ),
      bpForced: gauge('athena_cluster_backpressure_forced_resumes', 'Pauses ended by maxPauseMs, not recovery', [
        'cluster'
      ]),
      bpProbeErrors: gauge('athena_cluster_backpressure_probe_errors', 'Store probes that failed', ['cluster']),
      bpWaiting: gauge('athena_cluster_backpressure_identifies_waiting', 'Identifies held until pressure clears', [
        'cluster'
      ]),
      pendingWrites: gauge('athena_cluster_pending_writes', 'Records waiting in the watched write queues', ['cluster']),
      maxPendingWrites: gauge('athena_cluster_backpressure_max_pending_writes', 'Pending writes that pause reads', [
        'cluster'
      ]),
      loopDelay: gauge('athena_cluster_event_loop_delay_seconds', 'Last measured event-loop delay', ['cluster']),
      storeLatency: gauge('athena_cluster_store_latency_seconds', 'Last measured remote store round trip', ['cluster']),
      bpThreshold: gauge('athena_cluster_backpressure_threshold_seconds', 'Backpressure thresholds', [
        'cluster',
        'measure'
      ]),
      granted: gauge('athena_identifies_granted', 'Identify slots this manager granted', [])
    };
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
  }

  /** Listen; resolves with the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        this.boundPort = (this.server.address() as AddressInfo).port;
        resolve(this.boundPort);
      });
    });
  }

  get port(): number {
    return this.boundPort;
  }

  /** Stop serving metrics: drop open connections and close the HTTP server. */
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Refresh every gauge from a snapshot (also useful without HTTP, e.g. a push gateway). */
  update(snapshot: FleetSnapshot): void {
    this.registry.resetMetrics();
    const g = this.gauges;
    g.granted.set(snapshot.identifiesGranted);
    const answered = new Set(snapshot.stats.map((s) => s.clusterID));
    for (const info of snapshot.clusters) {
      const cluster = String(info.id);
      g.clusterUp.set({ cluster }, info.pid !== undefined && answered.has(info.id) ? 1 : 0);
      g.clusterSpawns.set({ cluster }, info.spawns);
      g.clusterCrashes.set({ cluster }, info.crashes);
    }
    for (const s of snapshot.stats) {
      const cluster = String(s.clusterID);
      g.heap.set({ cluster }, s.memory.heapUsed);
      g.rss.set({ cluster }, s.memory.rss);
      g.guilds.set({ cluster }, s.guilds);
      g.hot.set({ cluster, kind: 'users' }, s.hot.users);
      g.hot.set({ cluster, kind: 'members' }, s.hot.members);
      g.userFetch.set({ cluster, tier: 'hot' }, s.userFetch.hotHits);
      g.userFetch.set({ cluster, tier: 'store' }, s.userFetch.storeHits);
      g.userFetch.set({ cluster, tier: 'rest' }, s.userFetch.restLoads);
      if (s.userFetch.hitRate !== null) g.hitRate.set({ cluster }, s.userFetch.hitRate);
      for (const kind of ['users', 'members'] as const) {
        for (const [counter, value] of Object.entries(s.remote[kind])) g.remote.set({ cluster, kind, counter }, value);
      }
      g.events.set({ cluster }, s.dispatch.perSecond);
      g.handled.set({ cluster }, s.dispatch.handled);
      for (const [name, value] of Object.entries(s.counters)) g.counters.set({ cluster, name }, value);
      for (const shard of s.shards) {
        const labels = { cluster, shard: String(shard.id) };
        g.shardUp.set(labels, shard.status === 'ready' ? 1 : 0);
        if (shard.latency !== null) g.latency.set(labels, shard.latency / 1000);
        g.shardGuilds.set(labels, shard.guilds);
        g.identifies.set(labels, shard.identifies);
        g.resumes.set(labels, shard.resumes);
        g.shardPaused.set(labels, shard.readingPaused ? 1 : 0);
      }
      const bp = s.backpressure;
      if (bp) {
        g.bpPaused.set({ cluster }, bp.paused ? 1 : 0);
        g.bpPauses.set({ cluster }, bp.pauses);
        g.bpPausedSeconds.set({ cluster }, bp.pausedMs / 1000);
        g.bpForced.set({ cluster }, bp.forcedResumes);
        g.bpProbeErrors.set({ cluster }, bp.probeErrors);
        g.bpWaiting.set({ cluster }, bp.identifiesWaiting);
        g.pendingWrites.set({ cluster }, bp.pendingWrites);
        g.maxPendingWrites.set({ cluster }, bp.maxPendingWrites);
        g.loopDelay.set({ cluster }, bp.loopDelayMs / 1000);
        g.storeLatency.set({ cluster }, bp.storeLatencyMs / 1000);
        g.bpThreshold.set({ cluster, measure: 'event_loop_delay' }, bp.maxLoopDelayMs / 1000);
        g.bpThreshold.set({ cluster, measure: 'store_latency' }, bp.maxStoreLatencyMs / 1000);
      }
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/stats')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /stats\n');
      return;
    }
    try {
      const snapshot = await fleetSnapshot(this.manager, this.options.statsTimeout);
      if (path === '/stats') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(snapshot));
        return;
      }
      this.update(snapshot);
      res.writeHead(200, { 'content-type': this.registry.contentType }).end(await this.registry.metrics());
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`stats failed: ${(error as Error).message}\n`);
    }
  }
}
