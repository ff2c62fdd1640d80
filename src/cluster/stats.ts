/**
 * Fleet stats: what one cluster process reports about itself when the manager asks. Gathered from
 * the attached Client (shards, hot sets, remote-tier counters, dispatch counters) plus counters
 * the bot keeps through `context.count()`. Plain data: it crosses the IPC channel.
 */

import type { Client } from '../Client.js';
import { RemoteBackedCollection } from '../cache/RemoteBackedCollection.js';
import { backpressureOf } from '../fleet/BackpressureMonitor.js';

/** What one shard of a cluster reports: status, latency, guilds and events. */
export interface ShardFleetStats {
  id: number;
  status: string;
  /** Last heartbeat round trip in ms; null until one was acknowledged. */
  latency: number | null;
  guilds: number;
  identifies: number;
  resumes: number;
  reconnects: number;
  dispatches: number;
  /** Reading from the socket is paused for backpressure right now. */
  readingPaused: boolean;
  /** Times this shard paused reading, and for how long in all (ms). */
  readPauses: number;
  readPausedMs: number;
}

/**
 * Backpressure of one cluster (its BackpressureMonitor, when one is attached to the client's
 * shards): whether reads are paused now, how often and how long they were, and the two measures.
 */
export interface BackpressureClusterStats {
  paused: boolean;
  pauses: number;
  /** Milliseconds paused, the pause under way included. */
  pausedMs: number;
  /** Pauses ended by maxPauseMs rather than by recovery. */
  forcedResumes: number;
  loopDelayMs: number;
  storeLatencyMs: number;
  probeErrors: number;
  /** Identifies held until the pressure clears (callers of `whenClear` waiting now). */
  identifiesWaiting: number;
  /** Records waiting in the watched write queues at the last sample. */
  pendingWrites: number;
  maxLoopDelayMs: number;
  maxStoreLatencyMs: number;
  maxPendingWrites: number;
}

/** Counters of the remote tier, summed over every RemoteBackedCollection of one kind. */
export interface RemoteTierStats {
  hits: number;
  misses: number;
  readErrors: number;
  queued: number;
  flushed: number;
  dropped: number;
  errors: number;
}

/**
 * What one cluster reports to the manager: heap, shards, hot sets, remote tier, event rates and counters.
 */
export interface ClusterStats {
  clusterID: number;
  pid: number;
  uptimeSeconds: number;
  memory: { heapUsed: number; heapTotal: number; rss: number };
  guilds: number;
  /** Hot-set sizes. */
  hot: { users: number; members: number };
  /** Tier counters of `client.fetchUser`. */
  userFetch: { hotHits: number; storeHits: number; restLoads: number; hitRate: number | null };
  remote: { users: RemoteTierStats; members: RemoteTierStats };
  dispatch: { handled: number; malformed: number; perSecond: number };
  shards: ShardFleetStats[];
  /** Null when no BackpressureMonitor is attached to the client's shards. */
  backpressure: BackpressureClusterStats | null;
  /** Counters the bot increments with `context.count(name)`. */
  counters: Record<string, number>;
}

function emptyRemote(): RemoteTierStats {
  return { hits: 0, misses: 0, readErrors: 0, queued: 0, flushed: 0, dropped: 0, errors: 0 };
}

function addRemote(into: RemoteTierStats, collection: unknown): void {
  if (!(collection instanceof RemoteBackedCollection)) return;
  const s = collection.stats;
  into.hits += s.hits;
  into.misses += s.misses;
  into.readErrors += s.readErrors;
  into.queued += s.queued;
  into.flushed += s.flushed;
  into.dropped += s.dropped;
  into.errors += s.errors;
}

function ratio(hits: number, total: number): number | null {
  return total > 0 ? hits / total : null;
}

/** Collects stats of one client, remembering the last sample to turn counters into rates. */
export class StatsCollector {
  private lastHandled = 0;
  private lastAt = Date.now();

  constructor(private readonly clusterID: number) {}

  collect(client: Client | null, counters: Record<string, number>): ClusterStats {
    const memory = process.memoryUsage();
    const now = Date.now();
    const base: ClusterStats = {
      clusterID: this.clusterID,
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime()),
      memory: { heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, rss: memory.rss },
      guilds: 0,
      hot: { users: 0, members: 0 },
      userFetch: { hotHits: 0, storeHits: 0, restLoads: 0, hitRate: null },
      remote: { users: emptyRemote(), members: emptyRemote() },
      dispatch: { handled: 0, malformed: 0, perSecond: 0 },
      shards: [],
      backpressure: null,
      counters: { ...counters }
    };
    if (client === null) return base;
    const guildsPerShard = new Map<number, number>();
    let members = 0;
    for (const guild of client.guilds.values()) {
      members += guild.members.size;
      addRemote(base.remote.members, guild.members);
      const shard = client.shards.shardForGuild(guild.id);
      if (shard) guildsPerShard.set(shard.id, (guildsPerShard.get(shard.id) ?? 0) + 1);
    }
    addRemote(base.remote.users, client.users);
    base.guilds = client.guilds.size;
    base.hot = { users: client.users.size, members };
    const f = client.fetchStats;
    base.userFetch = {
      hotHits: f.hotHits,
      storeHits: f.storeHits,
      restLoads: f.restLoads,
      hitRate: ratio(f.hotHits + f.storeHits, f.hotHits + f.storeHits + f.restLoads)
    };
    const handled = client.dispatchStats.handled;
    const seconds = (now - this.lastAt) / 1000;
    base.dispatch = {
      handled,
      malformed: client.dispatchStats.malformed,
      perSecond: seconds > 0 ? Math.max(0, handled - this.lastHandled) / seconds : 0
    };
    this.lastHandled = handled;
    this.lastAt = now;
    for (const [id, shard] of client.shards.shards) {
      let dispatches = 0;
      for (const n of shard.stats.dispatches.values()) dispatches += n;
      base.shards.push({
        id,
        status: shard.status,
        latency: Number.isFinite(shard.stats.latency) ? shard.stats.latency : null,
        guilds: guildsPerShard.get(id) ?? 0,
        identifies: shard.stats.identifies,
        resumes: shard.stats.resumes,
        reconnects: shard.stats.reconnects,
        dispatches,
        readingPaused: shard.readingPaused,
        readPauses: shard.stats.readPauses,
        readPausedMs: shard.stats.readPausedMs
      });
    }
    base.backpressure = backpressureStats(client);
    return base;
  }
}

function backpressureStats(client: Client): BackpressureClusterStats | null {
  const monitor = backpressureOf(client.shards);
  if (monitor === undefined) return null;
  const s = monitor.snapshot();
  return {
    paused: s.state === 'pressured',
    pauses: s.pauses,
    pausedMs: s.pausedMs,
    forcedResumes: s.forcedResumes,
    loopDelayMs: s.loopDelayMs,
    storeLatencyMs: s.storeLatencyMs,
    probeErrors: s.probeErrors,
    identifiesWaiting: monitor.waiting,
    pendingWrites: s.pendingWrites,
    ...monitor.thresholds
  };
}
