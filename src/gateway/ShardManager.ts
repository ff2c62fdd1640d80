/**
 * The shards of one process: creates firstShardID..lastShardID of maxShards, paces their identifies
 * through an IdentifyQueue, forwards their events with the shard id (Eris names), and delivers every
 * dispatch to one sink the Client installs. `ready` fires once, when every shard has its guilds.
 */
import { EventEmitter } from 'node:events';
import type { DecompressorPreference } from './compression/index.js';
import { ShardNotConnectedError } from './errors.js';
import type { Envelope } from './frame.js';
import { type IdentifyQueue, LocalIdentifyQueue } from './IdentifyQueue.js';
import type { GuildMembersResult, RequestGuildMembersOptions } from './MemberRequests.js';
import {
  type GatewayOptions,
  type Presence,
  type ResolvedGatewayOptions,
  resolveGatewayOptions,
  resolvePresenceUpdate
} from './options.js';
import { MemorySessionStore, type SessionStore } from './SessionStore.js';
import { type DispatchSink, Shard, type ShardDisconnectOptions } from './Shard.js';

/** What the Client learned from GET /gateway/bot (or fixed values for a known gateway). */
export interface GatewayInfo {
  /** Gateway WebSocket URL (`url` of GET /gateway/bot). */
  url: string;
  /** Recommended shard count (`shards`); used when maxShards is 'auto'. */
  shards?: number;
  /** `session_start_limit.max_concurrency`; used when shardConcurrency is 'auto'. */
  maxConcurrency?: number;
}

/**
 * What a ShardManager may be given: the dispatch sink, identify queue, session store and decompressor
 * preference.
 */
export interface ShardManagerDependencies {
  /** Receives every dispatch (settable later with `setSink`). */
  sink?: DispatchSink;
  /** Identify coordination; default a LocalIdentifyQueue with the resolved concurrency. */
  identifyQueue?: IdentifyQueue;
  /** Where sessions are kept for resuming; default in memory. */
  sessionStore?: SessionStore;
  /** zlib/zstd implementation preference (native modules when installed, by default). */
  decompressor?: DecompressorPreference;
}

/** Events of the manager, Eris names, each with the shard id last. */
export interface ShardManagerEvents {
  ready: [];
  shardReady: [id: number];
  shardResume: [id: number];
  connect: [id: number];
  shardDisconnect: [error: Error | undefined, id: number];
  debug: [message: string, id: number];
  warn: [message: string, id: number];
  error: [error: Error, id: number];
  rawWS: [packet: Envelope, id: number];
  guildMembersRateLimited: [error: Error, id: number];
}

/** The shards of one process: creates them, paces their identifies, forwards their events and dispatches. */
export class ShardManager extends EventEmitter<ShardManagerEvents> {
  readonly shards = new Map<number, Shard>();
  readonly options: ResolvedGatewayOptions;
  readonly sessionStore: SessionStore;
  /** Total shard count once connect() resolved 'auto'. */
  shardCount = 0;
  /** Identify concurrency once connect() resolved 'auto'. */
  concurrency = 0;
  identifyQueue: IdentifyQueue | null;
  private sink: DispatchSink | null;
  private readyEmitted = false;
  private readonly decompressor: DecompressorPreference | undefined;

  constructor(
    private readonly token: string,
    options: ResolvedGatewayOptions | GatewayOptions = {},
    dependencies: ShardManagerDependencies = {}
  ) {
    super();
    this.options = isResolved(options) ? options : resolveGatewayOptions(options);
    this.sink = dependencies.sink ?? null;
    this.identifyQueue = dependencies.identifyQueue ?? null;
    this.sessionStore = dependencies.sessionStore ?? new MemorySessionStore();
    this.decompressor = dependencies.decompressor;
  }

  /** Replace the function that receives every dispatch (null: dispatches are counted in stats, then dropped). */
  setSink(sink: DispatchSink | null): void {
    this.sink = sink;
  }

  /** Create (first call) and connect every shard of this process. Identify pacing is the queue's. */
  async connect(gateway: GatewayInfo): Promise<void> {
    if (typeof gateway?.url !== 'string') throw new TypeError('connect() needs the gateway url');
    if (this.shards.size === 0) this.createShards(gateway);
    // Start in shard order: the queue hands out slots bucket by bucket in the order asked.
    await Promise.all([...this.shards.values()].map((shard) => shard.connect()));
  }

  private createShards(gateway: GatewayInfo): void {
    const o = this.options;
    this.shardCount = o.maxShards === 'auto' ? positive(gateway.shards, 1) : o.maxShards;
    this.concurrency = o.shardConcurrency === 'auto' ? positive(gateway.maxConcurrency, 1) : o.shardConcurrency;
    const last = o.lastShardID ?? this.shardCount - 1;
    if (o.firstShardID > last || last >= this.shardCount) {
      throw new RangeError(`shards ${o.firstShardID}..${last} do not fit in ${this.shardCount} shards`);
    }
    this.identifyQueue ??= new LocalIdentifyQueue(this.concurrency, o.identifyWindow);
    const context = {
      token: this.token,
      options: o,
      gatewayURL: gateway.url,
      shardCount: this.shardCount,
      identifyQueue: this.identifyQueue,
      sessionStore: this.sessionStore,
      sink: () => this.sink,
      wantsRaw: () => this.listenerCount('rawWS') > 0,
      decompressor: this.decompressor
    };
    for (let id = o.firstShardID; id <= last; id++) {
      const shard = new Shard(id, context);
      this.forward(shard);
      this.shards.set(id, shard);
    }
  }

  private forward(shard: Shard): void {
    const id = shard.id;
    shard.on('ready', () => {
      this.emit('shardReady', id);
      if (!this.readyEmitted && [...this.shards.values()].every((s) => s.guildsReceived)) {
        this.readyEmitted = true;
        this.emit('ready');
      }
    });
    shard.on('resume', () => this.emit('shardResume', id));
    shard.on('connect', () => this.emit('connect', id));
    shard.on('disconnect', (error?: Error) => this.emit('shardDisconnect', error, id));
    shard.on('debug', (message: string) => this.emit('debug', message, id));
    shard.on('warn', (message: string) => this.emit('warn', message, id));
    shard.on('error', (error: Error) => {
      if (this.listenerCount('error') > 0) this.emit('error', error, id);
    });
    shard.on('rawWS', (packet: Envelope) => this.emit('rawWS', packet, id));
    shard.on('guildMembersRateLimited', (error: Error) => this.emit('guildMembersRateLimited', error, id));
  }

  /** Whether every shard has received its guilds at least once. */
  get ready(): boolean {
    return this.readyEmitted;
  }

  /** Shard that owns a guild: (guild_id >> 22) % shardCount. */
  shardForGuild(guildID: string): Shard | undefined {
    if (this.shardCount === 0 || !/^\d{1,20}$/.test(guildID)) return undefined;
    return this.shards.get(Number((BigInt(guildID) >> 22n) % BigInt(this.shardCount)));
  }

  /**
   * Op 8 on the shard that owns the guild; rejects with ShardNotConnectedError when no shard of this process
   * owns it.
   */
  requestGuildMembers(guildID: string, options?: RequestGuildMembersOptions): Promise<GuildMembersResult> {
    const shard = this.shardForGuild(guildID);
    if (!shard) {
      return Promise.reject(new ShardNotConnectedError(-1, `no shard of this process owns guild ${String(guildID)}`));
    }
    return shard.requestGuildMembers(guildID, options);
  }

  /** Set the presence on every shard now (op 3) and for their future identifies. */
  editStatus(presence: Presence): void {
    const resolved = resolvePresenceUpdate(presence);
    for (const shard of this.shards.values()) shard.editStatus(resolved);
  }

  /**
   * Close every shard. Without `reconnect`, a LocalIdentifyQueue is destroyed too, so no pending identify
   * timer keeps the process alive.
   */
  disconnect(options: ShardDisconnectOptions = {}): void {
    for (const shard of this.shards.values()) shard.disconnect(options);
    if (!options.reconnect && this.identifyQueue instanceof LocalIdentifyQueue) this.identifyQueue.destroy();
  }

  /** Per-shard stats keyed by shard id. */
  stats(): Record<number, Record<string, unknown>> {
    const out: Record<number, Record<string, unknown>> = {};
    for (const [id, shard] of this.shards) out[id] = { status: shard.status, ...shard.stats.toJSON() };
    return out;
  }
}

function isResolved(options: ResolvedGatewayOptions | GatewayOptions): options is ResolvedGatewayOptions {
  return (options as ResolvedGatewayOptions).disableEvents instanceof Set;
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : fallback;
}
