/**
 * The simulated gateway v10 (JSON): sessions, IDENTIFY/RESUME rules, the identify bucket rule,
 * GUILD_CREATE streaming with backpressure, op 8 member chunks and routing of world changes to the
 * shard that owns their guild, gated by intents. Protocol facts: reference §1, §3, §4.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ALL_INTENTS, GatewayCloseCodes, GatewayOP, Intents, PRIVILEGED_INTENTS } from '../../util/constants.js';
import { shardForGuild } from '../../util/snowflake.js';
import type { SessionStartLimit } from '../rest/context.js';
import type { WorldDispatch } from '../world/types.js';
import type { World } from '../world/World.js';
import { Connection } from './Connection.js';
import type { Compression } from './compression.js';
import { requestGuildMembers } from './members.js';
import { Session } from './Session.js';
import { GatewayStats } from './stats.js';

/**
 * Limits and timings of the simulated gateway; each mirrors a Discord rule so tests can shrink it (say, a 50
 * ms identify interval) without changing the behaviour.
 */
export interface GatewayServerOptions {
  token: string;
  /** HELLO's heartbeat_interval in ms (Discord: 41250). */
  heartbeatInterval: number;
  /** session_start_limit.max_concurrency: identify buckets are shard_id % maxConcurrency. */
  maxConcurrency: number;
  /** How long one bucket must wait between identifies (Discord: 5000 ms). */
  identifyIntervalMs: number;
  /** session_start_limit.total (Discord: 1000 per 24 h). */
  sessionStartTotal: number;
  /** Privileged intents the "developer portal" has enabled; others close with 4014. */
  privilegedIntents: number;
  /** Guilds one shard may hold before 4011 (Discord: 2500). */
  maxGuildsPerShard: number;
  /** Client send limit (Discord: 120 per 60 s), over which the connection closes with 4008. */
  sendLimit: { count: number; windowMs: number };
  /** How long a dropped session can still be resumed. */
  resumeWindowMs: number;
  /** Replay buffer bound per session, in dispatches and in bytes. */
  replayBufferSize: number;
  replayBufferBytes: number;
  /** Event names kept per session for accounting (beyond this only the seq counts). */
  dispatchLogLimit: number;
  /** Full member-list requests are limited to one per guild per this many ms (Discord: 30 s). */
  requestMembersCooldownMs: number;
  /** Members per GUILD_MEMBERS_CHUNK (Discord: 1000). */
  memberChunkSize: number;
  /** After op 7 / op 9, the server cuts the socket if the client has not closed within this. */
  reconnectGraceMs: number;
}

/**
 * Discord's real gateway limits (41.25 s heartbeat, one identify per 5 s per bucket, 1000 session starts,
 * 2500 guilds per shard, 120 sends per 60 s); {@link Simulator.start} overrides only what its options set.
 */
export const DEFAULT_GATEWAY_OPTIONS: Omit<GatewayServerOptions, 'token'> = {
  heartbeatInterval: 41_250,
  maxConcurrency: 1,
  identifyIntervalMs: 5000,
  sessionStartTotal: 1000,
  privilegedIntents: PRIVILEGED_INTENTS,
  maxGuildsPerShard: 2500,
  sendLimit: { count: 120, windowMs: 60_000 },
  resumeWindowMs: 180_000,
  replayBufferSize: 10_000,
  // Per session: GUILD_CREATEs are big, and a bot may hold hundreds of sessions.
  replayBufferBytes: 8 * 1024 * 1024,
  dispatchLogLimit: 2_000_000,
  requestMembersCooldownMs: 30_000,
  memberChunkSize: 1000,
  reconnectGraceMs: 5000
};

/** Stop feeding a socket above this many queued bytes ("as fast as the client reads"). */
export const HIGH_WATER_BYTES = 1024 * 1024;

export class GatewayServer {
  readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  readonly sessions = new Map<string, Session>();
  readonly connections = new Set<Connection>();
  readonly stats: GatewayStats;
  private readonly bucketLastIdentify = new Map<number, number>();
  private readonly memberListRequests = new Map<string, number>();
  private readonly pumps = new Map<Session, NodeJS.Timeout | 'queued'>();
  private sessionStart: { remaining: number; resetAt: number };
  private nextConnectionID = 1;
  /** Fault: the next N connections get op 7 instead of HELLO. */
  reconnectBeforeHello = 0;
  private unsubscribe: () => void;
  private closed = false;

  constructor(
    readonly world: World,
    readonly options: GatewayServerOptions,
    private readonly gatewayURL: () => string
  ) {
    this.stats = new GatewayStats(this);
    this.sessionStart = { remaining: options.sessionStartTotal, resetAt: Date.now() + 86_400_000 };
    this.unsubscribe = world.onDispatch((dispatch) => this.route(dispatch));
  }

  sessionStartLimit(): SessionStartLimit {
    this.refreshSessionStart();
    return {
      total: this.options.sessionStartTotal,
      remaining: this.sessionStart.remaining,
      reset_after: Math.max(0, this.sessionStart.resetAt - Date.now()),
      max_concurrency: this.options.maxConcurrency
    };
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const compress = query.get('compress');
      const compression: Compression = compress === 'zlib-stream' || compress === 'zstd-stream' ? compress : null;
      let connection: Connection;
      try {
        connection = new Connection(this.nextConnectionID++, ws, compression, this);
      } catch {
        ws.close(GatewayCloseCodes.UnknownError, 'Compression not available.');
        return;
      }
      this.connections.add(connection);
      const version = query.get('v');
      if (version !== null && version !== '10') {
        connection.close(GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version.');
        return;
      }
      const encoding = query.get('encoding');
      if ((encoding !== null && encoding !== 'json') || (compress !== null && compression === null)) {
        connection.close(GatewayCloseCodes.DecodeError, 'Unsupported encoding or compression.');
        return;
      }
      if (this.reconnectBeforeHello > 0) {
        this.reconnectBeforeHello--;
        connection.sendOp(GatewayOP.Reconnect, null);
        connection.terminateAfter(this.options.reconnectGraceMs);
        return;
      }
      connection.sendOp(GatewayOP.Hello, { heartbeat_interval: this.options.heartbeatInterval });
    });
  }

  identify(connection: Connection, d: unknown): void {
    const data = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
    const close = (code: number, reason: string) => {
      this.stats.countRejected(`close-${code}`);
      connection.close(code, reason);
    };
    if (!this.tokenMatches(data.token)) {
      close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    if (typeof data.properties !== 'object' || data.properties === null) {
      close(GatewayCloseCodes.UnknownOpcode, 'Invalid identify payload.');
      return;
    }
    const intents = data.intents;
    if (typeof intents !== 'number' || !Number.isInteger(intents) || intents < 0 || (intents & ~ALL_INTENTS) !== 0) {
      close(GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
      return;
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.options.privilegedIntents) !== 0) {
      close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
      return;
    }
    let shard: [number, number] = [0, 1];
    if (data.shard !== undefined) {
      const s = data.shard;
      if (
        !Array.isArray(s) ||
        s.length !== 2 ||
        !Number.isInteger(s[0]) ||
        !Number.isInteger(s[1]) ||
        s[1] < 1 ||
        s[0] < 0 ||
        s[0] >= s[1]
      ) {
        close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
        return;
      }
      shard = [s[0], s[1]];
    }
    const guildCount = this.world.guildCountForShard(shard[0], shard[1]);
    if (guildCount > this.options.maxGuildsPerShard) {
      close(GatewayCloseCodes.ShardingRequired, 'Sharding required.');
      return;
    }

    // Identify bucket rule (§1.11): one identify per bucket per interval; else op 9 d:false.
    const bucket = shard[0] % this.options.maxConcurrency;
    const now = Date.now();
    const last = this.bucketLastIdentify.get(bucket);
    this.refreshSessionStart();
    if (last !== undefined && now - last < this.options.identifyIntervalMs) {
      this.stats.recordIdentify({ shard, bucket, at: now, accepted: false, reason: 'bucket' });
      connection.sendOp(GatewayOP.InvalidSession, false);
      return;
    }
    if (this.sessionStart.remaining <= 0) {
      this.stats.recordIdentify({ shard, bucket, at: now, accepted: false, reason: 'session-start-limit' });
      connection.sendOp(GatewayOP.InvalidSession, false);
      return;
    }
    this.bucketLastIdentify.set(bucket, now);
    this.sessionStart.remaining--;

    const largeThreshold = Number.isInteger(data.large_threshold)
      ? Math.min(250, Math.max(50, data.large_threshold as number))
      : 50;
    const session = new Session(randomBytes(16).toString('hex'), shard, intents, largeThreshold, true, {
      replayBufferSize: this.options.replayBufferSize,
      replayBufferBytes: this.options.replayBufferBytes,
      dispatchLogLimit: this.options.dispatchLogLimit
    });
    this.sessions.set(session.id, session);
    this.stats.recordIdentify({ shard, bucket, at: now, accepted: true, sessionID: session.id });
    connection.identified = true;
    this.attach(session, connection);

    const guildIDs = this.world.guildIDsForShard(shard[0], shard[1]);
    const ready = {
      v: 10,
      user: this.world.botUser,
      user_settings: {},
      guilds: guildIDs.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.gatewayURL(),
      shard: data.shard === undefined ? undefined : shard,
      application: { id: this.world.botUser.id, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: []
    };
    this.dispatch(session, 'READY', JSON.stringify(ready));
    if (intents & Intents.Guilds) {
      session.pendingGuilds = guildIDs;
      for (const id of guildIDs) session.pendingSet.add(id);
      this.pump(session);
    }
  }

  resume(connection: Connection, d: unknown): void {
    const data = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
    const now = Date.now();
    if (!this.tokenMatches(data.token)) {
      connection.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const session = typeof data.session_id === 'string' ? this.sessions.get(data.session_id) : undefined;
    const seq = data.seq;
    const fail = (reason: string) => {
      this.stats.recordResume({
        sessionID: String(data.session_id),
        at: now,
        fromSeq: Number(seq),
        replayed: 0,
        ok: false,
        reason
      });
      connection.sendOp(GatewayOP.InvalidSession, false);
      connection.terminateAfter(this.options.reconnectGraceMs);
    };
    if (!session || session.invalidated) {
      fail('unknown-session');
      return;
    }
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) {
      fail('bad-seq');
      return;
    }
    if (seq > session.seq) {
      this.stats.recordResume({
        sessionID: session.id,
        at: now,
        fromSeq: seq,
        replayed: 0,
        ok: false,
        reason: 'seq-ahead'
      });
      connection.close(GatewayCloseCodes.InvalidSeq, 'Invalid seq.');
      return;
    }
    const frames = session.framesAfter(seq);
    if (!frames) {
      fail('buffer-overrun');
      return;
    }
    // A session can have one connection: a resume takes it over from a stale one.
    if (session.connection && session.connection !== connection) {
      const stale = session.connection;
      stale.session = null;
      stale.terminate();
    }
    connection.identified = true;
    this.attach(session, connection);
    for (const frame of frames) connection.send(frame);
    session.resumes++;
    session.replayed += frames.length;
    this.stats.recordResume({ sessionID: session.id, at: now, fromSeq: seq, replayed: frames.length, ok: true });
    this.dispatch(session, 'RESUMED', '{}');
    this.pump(session);
  }

  requestGuildMembers(connection: Connection, session: Session, d: unknown): void {
    requestGuildMembers(this, connection, session, d, this.memberListRequests);
  }

  /** Number, buffer, log and (when attached) send one dispatch. */
  dispatch(session: Session, t: string, dJSON: string): void {
    const frame = session.record(t, dJSON);
    session.connection?.send(frame);
  }

  /** Route a world change to every session whose shard owns the guild, gated by intent. */
  route(event: WorldDispatch): void {
    let json: string | undefined;
    let stripped: string | undefined;
    const shardByCount = new Map<number, number>();
    for (const session of this.sessions.values()) {
      if (session.invalidated) continue;
      const [shardID, shardCount] = session.shard;
      let owner = 0;
      if (event.guildID !== null) {
        let cached = shardByCount.get(shardCount);
        if (cached === undefined) shardByCount.set(shardCount, (cached = shardForGuild(event.guildID, shardCount)));
        owner = cached;
      }
      if (owner !== shardID) continue;
      // A guild whose GUILD_CREATE is still queued will carry this change itself.
      if (event.guildID !== null && session.pendingSet.has(event.guildID)) continue;
      if (!this.allowed(session, event)) continue;
      if (this.needsContentStripped(session, event)) {
        stripped ??= JSON.stringify(stripContent(event.d as Record<string, unknown>));
        this.dispatch(session, event.t, stripped);
      } else {
        json ??= JSON.stringify(event.d);
        this.dispatch(session, event.t, json);
      }
    }
  }

  /** Connections attached to sessions matching a target (for faults). */
  connectionsFor(target: FaultTarget): Connection[] {
    const out: Connection[] = [];
    for (const connection of this.connections) {
      const session = connection.session;
      if ('session' in target ? session?.id === target.session : session?.shard[0] === target.shard)
        out.push(connection);
    }
    return out;
  }

  /** Sessions matching a target, attached or not. */
  sessionsFor(target: FaultTarget): Session[] {
    return [...this.sessions.values()].filter((s) =>
      'session' in target ? s.id === target.session : s.shard[0] === target.shard && !s.invalidated
    );
  }

  invalidate(session: Session): void {
    session.invalidated = true;
    session.pendingSet.clear();
    if (session.expiryTimer) clearTimeout(session.expiryTimer);
    const pump = this.pumps.get(session);
    if (pump && pump !== 'queued') clearTimeout(pump);
    this.pumps.delete(session);
    this.sessions.delete(session.id);
    this.stats.retire(session);
  }

  connectionClosed(connection: Connection, code: number): void {
    this.connections.delete(connection);
    const session = connection.session;
    if (!session || session.connection !== connection) return;
    session.connection = null;
    session.detachedAt = Date.now();
    // Closing with 1000/1001 ends the session; anything else keeps it resumable for a while.
    if (
      code === 1000 ||
      code === 1001 ||
      code === GatewayCloseCodes.InvalidSeq ||
      code === GatewayCloseCodes.SessionTimedOut
    ) {
      this.invalidate(session);
      return;
    }
    session.expiryTimer = setTimeout(() => this.invalidate(session), this.options.resumeWindowMs);
    session.expiryTimer.unref();
  }

  /** Whether every attached socket is below the high-water mark (traffic backpressure). */
  writable(): boolean {
    for (const connection of this.connections)
      if (connection.session && connection.backlog > HIGH_WATER_BYTES) return false;
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    for (const session of [...this.sessions.values()]) this.invalidate(session);
    for (const connection of this.connections) connection.terminate();
    this.connections.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private attach(session: Session, connection: Connection): void {
    if (session.expiryTimer) clearTimeout(session.expiryTimer);
    session.expiryTimer = null;
    session.detachedAt = null;
    session.connection = connection;
    connection.session = session;
  }

  /** Send queued GUILD_CREATEs while the client keeps up; resume later when it does not. */
  private pump(session: Session): void {
    if (this.pumps.has(session) || !session.hasPendingGuilds) return;
    this.pumps.set(session, 'queued');
    const run = () => {
      this.pumps.delete(session);
      const connection = session.connection;
      if (session.invalidated || !connection || connection.closed) return;
      const options = {
        largeThreshold: session.largeThreshold,
        presences: session.presenceRequested,
        intents: session.intents
      };
      let sent = 0;
      while (session.hasPendingGuilds && connection.backlog < HIGH_WATER_BYTES && sent < 200) {
        const guildID = session.pendingGuilds[session.pendingCursor++];
        session.pendingSet.delete(guildID);
        if (!this.world.hasGuild(guildID)) continue;
        this.dispatch(session, 'GUILD_CREATE', JSON.stringify(this.world.guildCreate(guildID, options)));
        sent++;
      }
      if (session.hasPendingGuilds) this.pumps.set(session, setTimeout(run, sent === 0 ? 5 : 0));
      else session.pendingGuilds = [];
    };
    setImmediate(run);
  }

  private allowed(session: Session, event: WorldDispatch): boolean {
    if (event.intent === 0 || (session.intents & event.intent) !== 0) return true;
    // The bot's own GUILD_MEMBER_UPDATE arrives without GUILD_MEMBERS (§3.1 caveat).
    if (event.t === 'GUILD_MEMBER_UPDATE') {
      const user = (event.d as { user?: { id?: string } }).user;
      return user?.id === this.world.botUser.id;
    }
    return false;
  }

  private needsContentStripped(session: Session, event: WorldDispatch): boolean {
    if (event.t !== 'MESSAGE_CREATE' && event.t !== 'MESSAGE_UPDATE') return false;
    if (session.intents & Intents.MessageContent) return false;
    const d = event.d as { author?: { id?: string }; mentions?: { id?: string }[] };
    const bot = this.world.botUser.id;
    return d.author?.id !== bot && !d.mentions?.some((m) => m.id === bot);
  }

  private tokenMatches(token: unknown): boolean {
    return typeof token === 'string' && (token === this.options.token || token === `Bot ${this.options.token}`);
  }

  private refreshSessionStart(): void {
    if (Date.now() >= this.sessionStart.resetAt) {
      this.sessionStart = { remaining: this.options.sessionStartTotal, resetAt: Date.now() + 86_400_000 };
    }
  }
}

/** Which sessions a gateway fault hits: every session of one shard, or one session by id. */
export type FaultTarget = { shard: number } | { session: string };

/** Without MESSAGE_CONTENT, content-bearing fields arrive empty (§3.1). */
function stripContent(d: Record<string, unknown>): Record<string, unknown> {
  const { poll: _poll, ...rest } = d;
  return { ...rest, content: '', embeds: [], attachments: [], components: [] };
}
