/**
 * Backpressure for a process of shards: when the event loop lags (a sample timer fires late),
 * the remote store answers slowly (a probe such as `() => redis.ping()` takes long, or has not
 * answered yet) or writes pile up for it (a RemoteWriteQueue's `pending` passes `maxPendingWrites`:
 * the gateway delivers faster than the store absorbs, e.g. a large guild's member chunks), the
 * monitor turns "pressured": attached ShardManagers pause reading their
 * sockets, and identifies gated by `whenClear` wait. Frames then queue in the kernel and at the
 * gateway instead of in this heap. Once both measures stay under half their thresholds for
 * `recoverAfterMs`, reading resumes; nothing is lost, only delayed.
 *
 * A pause is bounded by `maxPauseMs`: the gateway drops a client that stops reading for too long
 * (heartbeat ACKs go unread), so past that the monitor resumes anyway and says so.
 */
import { EventEmitter } from 'node:events';
import type { ShardManager } from '../gateway/ShardManager.js';
import { InvalidOptionError } from '../util/errors.js';
import type { PressureGate } from './RedisIdentifyCoordinator.js';

/** Options of a BackpressureMonitor: the store probe, thresholds and sampling interval. */
export interface BackpressureOptions {
  /** Event-loop delay above which the process is pressured, in ms. Default 200. */
  maxLoopDelayMs?: number;
  /** Store round trip above which the process is pressured, in ms. Default 250. */
  maxStoreLatencyMs?: number;
  /** One round trip to the remote store (e.g. `() => redis.ping()`); omitted = loop delay only. */
  storeProbe?: () => Promise<unknown>;
  /**
   * Write queues to watch (RemoteWriteQueue, or anything with a `pending` count): their waiting
   * records are heap the store has not taken yet. Omitted = not watched.
   */
  writeQueues?: readonly { readonly pending: number }[];
  /** Records waiting in the watched write queues (summed) above which the process is pressured. Default 20000. */
  maxPendingWrites?: number;
  /** Sampling interval in ms. Default 100. */
  sampleIntervalMs?: number;
  /** Time under half the thresholds before reading resumes, in ms. Default 1000. */
  recoverAfterMs?: number;
  /** Longest pause in ms before reading resumes regardless (with a warning). Default 20000. */
  maxPauseMs?: number;
}

/** The latest measurements of a BackpressureMonitor: event-loop delay, store latency, pressure. */
export interface BackpressureStats {
  state: 'clear' | 'pressured';
  /** Times the process became pressured. */
  pauses: number;
  /** Milliseconds spent pressured (closed episodes). */
  pausedMs: number;
  /** Pauses ended by maxPauseMs rather than recovery. */
  forcedResumes: number;
  /** Last measured event-loop delay in ms. */
  loopDelayMs: number;
  /** Last measured store round trip in ms (an unanswered probe counts its age). */
  storeLatencyMs: number;
  /** Store probes that failed (counted as pressure: the store is not there). */
  probeErrors: number;
  /** Records waiting in the watched write queues at the last sample. */
  pendingWrites: number;
}

/** Events of a BackpressureMonitor: entering and leaving the pressured state. */
export interface BackpressureEvents {
  pressure: [reason: string];
  clear: [pausedMs: number];
  warn: [message: string];
}

/**
 * Which monitor steers which ShardManager, so the cluster's stats can report backpressure from the
 * Client alone (a WeakMap: a manager that is dropped takes its entry with it).
 */
const monitorsByManager = new WeakMap<ShardManager, BackpressureMonitor>();

/** The BackpressureMonitor attached to this ShardManager (see `attach`), if any. */
export function backpressureOf(manager: ShardManager): BackpressureMonitor | undefined {
  return monitorsByManager.get(manager);
}

/**
 * Pauses reading and identifying while the event loop lags or the store is slow; attach ShardManagers, read
 * `stats` (or `snapshot()` for an ongoing pause counted in).
 */
export class BackpressureMonitor extends EventEmitter<BackpressureEvents> implements PressureGate {
  readonly stats: BackpressureStats = {
    state: 'clear',
    pauses: 0,
    pausedMs: 0,
    forcedResumes: 0,
    loopDelayMs: 0,
    storeLatencyMs: 0,
    probeErrors: 0,
    pendingWrites: 0
  };
  private readonly maxLoopDelay: number;
  private readonly maxStoreLatency: number;
  private readonly probe: (() => Promise<unknown>) | undefined;
  private readonly writeQueues: readonly { readonly pending: number }[];
  private readonly maxPendingWrites: number;
  private readonly interval: number;
  private readonly recoverAfter: number;
  private readonly maxPause: number;
  private readonly managers = new Set<ShardManager>();
  private readonly waiters = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private expectedAt = 0;
  private probeStartedAt: number | null = null;
  private pressuredAt = 0;
  private calmSince: number | null = null;

  constructor(options: BackpressureOptions = {}) {
    super();
    if (options === null || typeof options !== 'object') throw new InvalidOptionError('options', 'an object', options);
    this.maxLoopDelay = positive('maxLoopDelayMs', options.maxLoopDelayMs, 200);
    this.maxStoreLatency = positive('maxStoreLatencyMs', options.maxStoreLatencyMs, 250);
    this.interval = positive('sampleIntervalMs', options.sampleIntervalMs, 100);
    this.recoverAfter = positive('recoverAfterMs', options.recoverAfterMs, 1000);
    this.maxPause = positive('maxPauseMs', options.maxPauseMs, 20_000);
    if (options.storeProbe !== undefined && typeof options.storeProbe !== 'function') {
      throw new InvalidOptionError('storeProbe', 'a function returning a promise', options.storeProbe);
    }
    this.probe = options.storeProbe;
    const queues = options.writeQueues ?? [];
    if (!Array.isArray(queues) || !queues.every((q) => q !== null && typeof q?.pending === 'number')) {
      throw new InvalidOptionError('writeQueues', 'an array of write queues (with a pending count)', queues);
    }
    this.writeQueues = [...queues];
    this.maxPendingWrites = positive(
      'maxPendingWrites',
      options.maxPendingWrites,
      20_000,
      'a positive number of records'
    );
  }

  get pressured(): boolean {
    return this.stats.state === 'pressured';
  }

  /** Identifies (or other callers of `whenClear`) held until the pressure clears. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** The thresholds in force, in ms (for dashboards next to the measured values). */
  get thresholds(): { maxLoopDelayMs: number; maxStoreLatencyMs: number; maxPendingWrites: number } {
    return {
      maxLoopDelayMs: this.maxLoopDelay,
      maxStoreLatencyMs: this.maxStoreLatency,
      maxPendingWrites: this.maxPendingWrites
    };
  }

  /**
   * A copy of `stats` in which `pausedMs` includes the pause under way (`stats.pausedMs` counts
   * closed episodes only, so a scrape during a long pause would otherwise read 0).
   */
  snapshot(): BackpressureStats {
    const copy = { ...this.stats };
    if (this.pressured) copy.pausedMs += performance.now() - this.pressuredAt;
    return copy;
  }

  /** Start sampling (the timer is unref'd: it never keeps the process alive). */
  start(): this {
    if (this.timer) return this;
    this.expectedAt = performance.now() + this.interval;
    this.schedule();
    return this;
  }

  /** Stop sampling; if the process was pressured, resume its shards and release identify waiters. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pressured) this.release();
  }

  /** Pause and resume this manager's shards with the pressure. */
  attach(manager: ShardManager): this {
    this.managers.add(manager);
    monitorsByManager.set(manager, this);
    if (this.pressured) for (const shard of manager.shards.values()) shard.pauseReading();
    return this;
  }

  /** Stop steering this manager's shards, and resume any this monitor had paused. */
  detach(manager: ShardManager): void {
    this.managers.delete(manager);
    if (monitorsByManager.get(manager) === this) monitorsByManager.delete(manager);
    for (const shard of manager.shards.values()) shard.resumeReading();
  }

  /** Resolves when the process is not pressured (identify waits on it). */
  whenClear(signal?: AbortSignal): Promise<void> {
    if (!this.pressured) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.waiters.delete(done);
        reject(signal?.reason);
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.sample(), Math.max(0, this.expectedAt - performance.now()));
    this.timer.unref();
  }

  private sample(): void {
    const now = performance.now();
    this.stats.loopDelayMs = Math.max(0, now - this.expectedAt);
    this.expectedAt = now + this.interval;
    if (this.probeStartedAt !== null) {
      // Still waiting for the last probe: its age is a lower bound of the store's latency.
      this.stats.storeLatencyMs = Math.max(this.stats.storeLatencyMs, now - this.probeStartedAt);
    } else if (this.probe) {
      this.runProbe();
    }
    let pending = 0;
    for (const queue of this.writeQueues) pending += queue.pending;
    this.stats.pendingWrites = pending;
    this.evaluate(now);
    this.schedule();
  }

  private runProbe(): void {
    const probe = this.probe;
    if (!probe) return;
    const started = performance.now();
    this.probeStartedAt = started;
    let result: Promise<unknown>;
    try {
      result = Promise.resolve(probe());
    } catch (error) {
      result = Promise.reject(error);
    }
    result
      .then(
        () => {
          this.stats.storeLatencyMs = performance.now() - started;
        },
        () => {
          this.stats.probeErrors++;
          this.stats.storeLatencyMs = Math.max(this.maxStoreLatency, performance.now() - started);
        }
      )
      .finally(() => {
        this.probeStartedAt = null;
      });
  }

  private evaluate(now: number): void {
    const { loopDelayMs, storeLatencyMs, pendingWrites } = this.stats;
    if (!this.pressured) {
      const reason =
        loopDelayMs > this.maxLoopDelay
          ? `event loop delay ${Math.round(loopDelayMs)} ms > ${this.maxLoopDelay} ms`
          : storeLatencyMs > this.maxStoreLatency
            ? `store latency ${Math.round(storeLatencyMs)} ms > ${this.maxStoreLatency} ms`
            : pendingWrites > this.maxPendingWrites
              ? `${pendingWrites} writes waiting for the store > ${this.maxPendingWrites}`
              : null;
      if (reason) this.engage(reason, now);
      return;
    }
    if (now - this.pressuredAt >= this.maxPause) {
      this.emit('warn', `backpressure: paused for ${this.maxPause} ms, resuming reads regardless`);
      this.stats.forcedResumes++;
      this.release();
      return;
    }
    const calm =
      loopDelayMs <= this.maxLoopDelay / 2 &&
      storeLatencyMs <= this.maxStoreLatency / 2 &&
      pendingWrites <= this.maxPendingWrites / 2;
    if (!calm) {
      this.calmSince = null;
      return;
    }
    this.calmSince ??= now;
    if (now - this.calmSince >= this.recoverAfter) this.release();
  }

  private engage(reason: string, now: number): void {
    this.stats.state = 'pressured';
    this.stats.pauses++;
    this.pressuredAt = now;
    this.calmSince = null;
    for (const manager of this.managers) for (const shard of manager.shards.values()) shard.pauseReading();
    this.emit('pressure', reason);
  }

  private release(): void {
    const pausedMs = performance.now() - this.pressuredAt;
    this.stats.state = 'clear';
    this.stats.pausedMs += pausedMs;
    this.calmSince = null;
    for (const manager of this.managers) for (const shard of manager.shards.values()) shard.resumeReading();
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const resolve of waiters) resolve();
    this.emit('clear', pausedMs);
  }
}

/** An IdentifyQueue whose slots are only asked for while the monitor is clear. */
export function gateIdentifyQueue<
  Q extends {
    /** Wait for this shard's identify slot. */
    acquire(shardID: number, signal?: AbortSignal): Promise<void>;
  }
>(
  queue: Q,
  gate: PressureGate
): {
  /** Wait until the gate is clear, then for the wrapped queue's slot. */
  acquire(shardID: number, signal?: AbortSignal): Promise<void>;
} {
  return {
    async acquire(shardID: number, signal?: AbortSignal): Promise<void> {
      await gate.whenClear(signal);
      await queue.acquire(shardID, signal);
    }
  };
}

function positive(option: string, value: unknown, fallback: number, expected = 'a positive number of ms'): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new InvalidOptionError(option, expected, value);
  return v;
}
