/**
 * One gateway connection and its session, as an explicit state machine:
 *
 *   disconnected → connecting (socket opening) → handshaking (waiting for HELLO)
 *     → identifying (identify slot, then IDENTIFY, waiting for READY)
 *     | resuming (RESUME with the last seq, waiting for RESUMED)
 *     → ready
 *
 * Every way out of a connection goes through `reconnect()` (we decided) or `onSocketClose()` (the
 * server or the network decided); both end in `disconnected` and then either a new attempt (resume
 * when a session survives, identify otherwise) or a stop (fatal close code, autoreconnect off).
 * Dispatches go to the sink at most once per (session, seq), in seq order: replays after a resume
 * whose seq was already delivered are dropped and counted.
 */
import { EventEmitter } from 'node:events';
import { inflateSync } from 'node:zlib';
import WebSocket from 'ws';
import { FATAL_CLOSE_CODES, GatewayOP, LIBRARY_NAME, SESSION_ENDING_CLOSE_CODES } from '../util/constants.js';
import { redact } from '../util/errors.js';
import { createDecompressor, type Decompressor, type DecompressorPreference } from './compression/index.js';
import { GatewayConnectionTimeoutError, GatewayFatalError, ShardNotConnectedError } from './errors.js';
import { isKnownEvent } from './events.js';
import { type Envelope, isSkippableDispatch, parseFrame, sniffEnvelope, validateEnvelope } from './frame.js';
import type { IdentifyQueue } from './IdentifyQueue.js';
import { type GuildMembersResult, MemberRequests, type RequestGuildMembersOptions } from './MemberRequests.js';
import { type GatewayPresence, type Presence, type ResolvedGatewayOptions, resolvePresenceUpdate } from './options.js';
import { SendQueue } from './SendQueue.js';
import type { SessionStore } from './SessionStore.js';
import { ShardStats } from './ShardStats.js';

/** The connection state of a shard. */
export type ShardStatus = 'disconnected' | 'connecting' | 'handshaking' | 'identifying' | 'resuming' | 'ready';

/** Receives every dispatch exactly once per session and seq, in order. Installed by the Client. */
export type DispatchSink = (shard: Shard, t: string, d: unknown, s: number) => void;

/** Dispatches the shard itself needs even when the user disabled them (they are then not delivered). */
const INTERNAL_EVENTS: ReadonlySet<string> = new Set([
  'READY',
  'RESUMED',
  'GUILD_CREATE',
  'GUILD_DELETE',
  'GUILD_MEMBERS_CHUNK',
  'RATE_LIMITED'
]);

/** Close code for connections we drop but whose session must survive (anything but 1000/1001). */
const RESUMABLE_CLOSE = 4900;
const MAX_HEARTBEAT_INTERVAL = 10 * 60_000;
const MAX_DEFERRED = 1000;
/** Connection attempts to a resume URL that fail before HELLO, after which the gateway URL is used. */
const RESUME_URL_FAILURES = 3;

/** Frames per timed frame for `stats.parseTime` (an estimate from a sample). */
const PARSE_SAMPLE = 16;

/** What a Shard receives from its ShardManager: token, options, gateway URL, queues, stores and sinks. */

export interface ShardContext {
  token: string;
  options: ResolvedGatewayOptions;
  /** Base gateway URL from GET /gateway/bot, without query. */
  gatewayURL: string;
  shardCount: number;
  identifyQueue: IdentifyQueue;
  sessionStore: SessionStore;
  /** The manager's current dispatch sink, read per dispatch so `setSink` takes effect at once. */
  sink: () => DispatchSink | null;
  /** Whether anyone listens to rawWS (parsing packets for it costs nothing extra, emitting does). */
  wantsRaw: () => boolean;
  decompressor?: DecompressorPreference;
}

/** How a shard (or the client) disconnects: reconnect right away, keep the session resumable. */
export interface ShardDisconnectOptions {
  /** Reconnect (and resume) right away. Default false. */
  reconnect?: boolean;
  /** Keep the session resumable (close with a non-1000 code, keep it in the SessionStore). Default false. */
  keepSession?: boolean;
}

/** Events of one shard (the manager re-emits them with the shard id). */
export interface ShardEvents {
  ready: [];
  resume: [];
  connect: [];
  disconnect: [error?: Error];
  debug: [message: string];
  warn: [message: string];
  error: [error: Error];
  rawWS: [packet: Envelope];
  guildMembersRateLimited: [error: Error];
}

/**
 * One gateway connection's state machine: connect, identify or resume, heartbeats, decompression, dispatch.
 */
export class Shard extends EventEmitter<ShardEvents> {
  status: ShardStatus = 'disconnected';
  sessionID: string | null = null;
  /** Last delivered sequence number of the current session (0 = none yet). */
  seq = 0;
  resumeURL: string | null = null;
  readonly stats = new ShardStats();
  /** Unavailable guilds from READY still waiting for their GUILD_CREATE. */
  readonly pendingGuilds = new Set<string>();
  /** True once READY's guilds have all arrived (or guildCreateTimeout passed). */
  guildsReceived = false;
  /** Set when a fatal close code stopped this shard for good. */
  fatalError: GatewayFatalError | null = null;
  presence: GatewayPresence;

  private ws: WebSocket | null = null;
  private decompressor: Decompressor | null = null;
  private readonly sendQueue: SendQueue;
  private readonly members: MemberRequests;
  /** Commands issued while not ready; sent once the session is ready again. */
  private deferred: string[] = [];
  private heartbeatInterval = 0;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private lastHeartbeatSent = 0;
  private lastHeartbeatAcked = true;
  private connectTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private guildTimer: NodeJS.Timeout | null = null;
  private identifyAbort: AbortController | null = null;
  private attempts = 0;
  /** Bumped on each new connection so late callbacks of an old one are recognised and ignored. */
  private generation = 0;
  private sessionLoaded = false;
  /** Backpressure: reading from the socket is paused (see pauseReading). */
  private readPaused = false;
  private readPausedAt = 0;
  /** Consecutive attempts on the resume URL that never reached HELLO. */
  private resumeURLFailures = 0;
  /** Whether the current connection went to the resume URL. */
  private usingResumeURL = false;
  private readonly disabled: ReadonlySet<string>;

  constructor(
    readonly id: number,
    private readonly context: ShardContext
  ) {
    super();
    this.presence = context.options.presence;
    this.disabled = context.options.disableEvents;
    this.members = new MemberRequests(id, context.options.requestTimeout);
    this.sendQueue = new SendQueue((payload) => this.write(payload));
  }

  /** Round trip of the last acknowledged heartbeat in ms. */
  get latency(): number {
    return this.stats.latency;
  }

  /** Open the connection (resuming a stored session when there is one). No-op unless disconnected. */
  async connect(): Promise<void> {
    if (this.fatalError) {
      this.emitError(this.fatalError);
      return;
    }
    if (this.status !== 'disconnected' || this.reconnectTimer) return;
    if (!this.sessionLoaded) {
      this.sessionLoaded = true;
      try {
        const stored = await this.context.sessionStore.get(this.id);
        if (stored && typeof stored.sessionID === 'string' && Number.isSafeInteger(stored.seq)) {
          this.sessionID = stored.sessionID;
          this.seq = stored.seq;
          this.resumeURL = stored.resumeURL;
          this.debug(`loaded stored session (seq ${stored.seq}); will resume`);
        }
      } catch (error) {
        this.warn(`session store get failed: ${(error as Error).message}`);
      }
    }
    await this.open();
  }

  /** Close the connection. Without `reconnect` the shard stays disconnected until connect(). */
  disconnect(options: ShardDisconnectOptions = {}): void {
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    const keep = options.reconnect === true || options.keepSession === true;
    if (!keep) this.invalidateSession(false);
    this.teardown(keep ? RESUMABLE_CLOSE : 1000);
    this.setStatus('disconnected');
    this.emit('disconnect');
    if (options.reconnect) this.scheduleReconnect(0);
    else this.saveSession();
  }

  /** Whether reading from the socket is paused for backpressure. */
  get readingPaused(): boolean {
    return this.readPaused;
  }

  /**
   * Backpressure: stop reading the socket (ws `pause()`), so frames wait in the kernel and at the
   * gateway instead of in this heap; Discord holds them and TCP flow control slows the sender.
   * Heartbeats still go out, and a missing ACK is not taken for a zombie while paused (it is
   * unread, not missing). A new connection opened meanwhile starts paused too.
   */
  pauseReading(): void {
    if (this.readPaused) return;
    this.readPaused = true;
    this.readPausedAt = Date.now();
    this.stats.readPauses++;
    this.ws?.pause();
  }

  /** Undo pauseReading: buffered frames are read in order and nothing was lost. */
  resumeReading(): void {
    if (!this.readPaused) return;
    this.readPaused = false;
    this.stats.readPausedMs += Date.now() - this.readPausedAt;
    // The ACK of the last beat may sit unread in the buffer: do not call the connection a zombie
    // at the next tick for it.
    this.lastHeartbeatAcked = true;
    this.ws?.resume();
  }

  /** Update the presence now (op 3) and for future identifies. */
  editStatus(presence: Presence): void {
    this.presence = resolvePresenceUpdate(presence);
    this.sendCommand(GatewayOP.PresenceUpdate, this.presence);
  }

  /** Op 8: resolves with every member of every chunk, or rejects with a typed error. */
  requestGuildMembers(guildID: string, options?: RequestGuildMembersOptions): Promise<GuildMembersResult> {
    if (this.fatalError) return Promise.reject(new ShardNotConnectedError(this.id, 'stopped by a fatal close code'));
    const { payload, promise } = this.members.create(guildID, options);
    if (typeof payload.nonce === 'string') this.sendCommand(GatewayOP.RequestGuildMembers, payload);
    return promise;
  }

  /** Send any command through the rate-limited queue (held until ready when not connected). */
  sendCommand(op: number, d: unknown): void {
    const payload = JSON.stringify({ op, d });
    if (this.status === 'ready') {
      this.sendQueue.send(payload);
      return;
    }
    if (this.deferred.length >= MAX_DEFERRED) {
      this.deferred.shift();
      this.warn(`more than ${MAX_DEFERRED} commands waiting for a connection; dropped the oldest`);
    }
    this.deferred.push(payload);
  }

  // ── connection lifecycle ─────────────────────────────────────────────────────────────────────

  private async open(): Promise<void> {
    const generation = ++this.generation;
    this.setStatus('connecting');
    const resuming = this.sessionID !== null;
    // A resume URL that keeps failing before HELLO (a stale one from a store, a region gone) is
    // given up for the gateway URL: the resume is still tried there.
    if (resuming && this.resumeURL && this.resumeURLFailures >= RESUME_URL_FAILURES) {
      this.warn(`resume URL failed ${this.resumeURLFailures} times; resuming through the gateway URL`);
      this.stats.resumeURLFallbacks++;
      this.resumeURL = null;
      this.resumeURLFailures = 0;
    }
    this.usingResumeURL = resuming && this.resumeURL !== null;
    const base = resuming && this.resumeURL ? this.resumeURL : this.context.gatewayURL;
    const url = gatewayURLWithQuery(base, this.context.options.compress);
    const decompressor = await createDecompressor(
      this.context.options.compress,
      {
        onMessage: (text, bytes) => {
          if (generation === this.generation) this.onText(text, bytes);
        },
        onError: (error) => {
          if (generation !== this.generation) return;
          this.stats.malformed++;
          this.warn(`decompression failed (${error.message}); reconnecting`);
          this.reconnect('corrupt compressed stream', { resume: true });
        }
      },
      this.context.decompressor
    );
    if (generation !== this.generation) {
      decompressor?.destroy();
      return;
    }
    this.decompressor = decompressor;
    this.debug(
      `connecting to ${url} (${resuming ? 'resume' : 'identify'}${decompressor ? `, ${decompressor.implementation}` : ''})`
    );
    this.startConnectTimer();
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: this.context.options.connectionTimeout });
    } catch (error) {
      this.warn(`cannot open ${url}: ${(error as Error).message}`);
      this.onSocketClose(1006, 'invalid gateway URL');
      return;
    }
    this.ws = ws;
    ws.binaryType = 'nodebuffer';
    ws.on('open', () => {
      if (this.ws !== ws) return;
      if (this.readPaused) ws.pause();
      this.setStatus('handshaking');
      this.emit('connect');
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.ws === ws) this.onMessage(data, isBinary);
    });
    ws.on('error', (error: Error) => {
      if (this.ws === ws) this.debug(`socket error: ${error.message}`);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      if (this.ws === ws) this.onSocketClose(code, reason.toString());
    });
  }

  /** Stop everything of the current connection and close its socket with `code`. */
  private teardown(code: number): void {
    this.generation++;
    this.clearConnectionTimers();
    if (this.identifyAbort) {
      this.identifyAbort.abort(new ShardNotConnectedError(this.id, 'connection closed while waiting to identify'));
      this.identifyAbort = null;
    }
    this.decompressor?.destroy();
    this.decompressor = null;
    this.deferred.unshift(...this.sendQueue.reset());
    const ws = this.ws;
    this.ws = null;
    if (ws) closeQuietly(ws, code);
  }

  private clearConnectionTimers(): void {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    if (this.connectTimer) clearTimeout(this.connectTimer);
    if (this.guildTimer) clearTimeout(this.guildTimer);
    this.heartbeatTimer = this.connectTimer = this.guildTimer = null;
  }

  /** We decided to drop the connection; resume when the session survives, else identify. */
  private reconnect(why: string, { resume, delay }: { resume: boolean; delay?: number }): void {
    this.debug(`reconnecting (${why}; ${resume && this.sessionID ? 'resume' : 'identify'})`);
    if (!resume) this.invalidateSession(true);
    this.teardown(RESUMABLE_CLOSE);
    this.setStatus('disconnected');
    this.emit('disconnect');
    if (!this.context.options.autoreconnect) return;
    this.scheduleReconnect(delay ?? this.context.options.reconnectDelay(++this.attempts));
  }

  /** The server or the network closed the socket. */
  private onSocketClose(code: number, reason: string): void {
    if (this.usingResumeURL && (this.status === 'connecting' || this.status === 'handshaking'))
      this.resumeURLFailures++;
    this.teardown(RESUMABLE_CLOSE);
    this.setStatus('disconnected');
    if (FATAL_CLOSE_CODES.has(code)) {
      const error = new GatewayFatalError(this.id, code, redact(reason, this.context.token));
      this.fatalError = error;
      this.invalidateSession(false);
      this.members.rejectAll(error);
      this.deferred = [];
      this.emit('disconnect', error);
      this.emitError(error);
      return;
    }
    if (SESSION_ENDING_CLOSE_CODES.has(code)) this.invalidateSession(true);
    this.debug(`socket closed with ${code}${reason ? ` (${redact(reason, this.context.token)})` : ''}`);
    this.emit('disconnect');
    if (!this.context.options.autoreconnect) return;
    this.scheduleReconnect(this.context.options.reconnectDelay(++this.attempts));
  }

  private scheduleReconnect(delay: number): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stats.reconnects++;
    this.reconnectTimer = setTimeout(
      () => {
        this.reconnectTimer = null;
        if (this.status === 'disconnected' && !this.fatalError) void this.open();
      },
      Math.max(0, delay)
    );
  }

  private startConnectTimer(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    const timeout = this.context.options.connectionTimeout;
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      this.emitError(new GatewayConnectionTimeoutError(this.id, timeout, this.status));
      this.reconnect('connection timeout', { resume: true });
    }, timeout);
  }

  // ── incoming ─────────────────────────────────────────────────────────────────────────────────

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.stats.frames++;
    this.stats.bytesWire += data.length;
    if (!isBinary) {
      this.onText(data.toString('utf8'), data.length);
      return;
    }
    if (this.decompressor) {
      this.decompressor.push(data);
      return;
    }
    // Binary without transport compression: a standalone zlib payload (identify `compress`).
    let inflated: Buffer;
    try {
      inflated = inflateSync(data);
    } catch {
      this.malformed('binary frame that is not a zlib payload');
      return;
    }
    this.onText(inflated.toString('utf8'), inflated.length);
  }

  private onText(text: string, inflatedBytes: number): void {
    const stats = this.stats;
    stats.bytesInflated += inflatedBytes;
    // One frame in PARSE_SAMPLE is timed and counted for all of them: two clock reads per frame
    // were ~2% of a reaction's whole cost.
    const timed = stats.frames % PARSE_SAMPLE === 0;
    const started = timed ? performance.now() : 0;
    if (this.disabled.size > 0) {
      const head = sniffEnvelope(text);
      if (head && isSkippableDispatch(head) && this.disabled.has(head.t) && !INTERNAL_EVENTS.has(head.t)) {
        if (timed) stats.parseTime += (performance.now() - started) * PARSE_SAMPLE;
        if (this.acceptSeq(head.s)) stats.skippedDisabled++;
        return;
      }
    }
    let envelope: Envelope | string;
    try {
      const parsed = parseFrame(text);
      if (parsed.hostileKeys > 0) {
        stats.hostileKeys += parsed.hostileKeys;
        this.warn(`dropped ${parsed.hostileKeys} __proto__ key(s) from a frame`);
      }
      envelope = validateEnvelope(parsed.value);
    } catch {
      envelope = 'frame is not valid JSON';
    }
    if (timed) stats.parseTime += (performance.now() - started) * PARSE_SAMPLE;
    if (typeof envelope === 'string') {
      this.malformed(envelope);
      return;
    }
    this.onPacket(envelope);
  }

  private malformed(why: string): void {
    this.stats.malformed++;
    this.warn(`ignored malformed frame: ${why}`);
  }

  private onPacket(packet: Envelope): void {
    if (this.context.wantsRaw()) this.emit('rawWS', packet);
    switch (packet.op) {
      case GatewayOP.Dispatch:
        this.onDispatch(packet.t!, packet.d, packet.s!);
        return;
      case GatewayOP.Heartbeat:
        this.heartbeat(true);
        return;
      case GatewayOP.Reconnect:
        this.reconnect('server sent op 7 RECONNECT', { resume: true, delay: 0 });
        return;
      case GatewayOP.InvalidSession:
        this.onInvalidSession(packet.d === true);
        return;
      case GatewayOP.Hello:
        this.onHello(packet.d);
        return;
      case GatewayOP.HeartbeatAck:
        this.lastHeartbeatAcked = true;
        this.stats.heartbeatAcks++;
        this.stats.latency = Date.now() - this.lastHeartbeatSent;
        return;
      default:
        this.stats.unknownOps++;
        this.debug(`ignored unknown op ${packet.op}`);
    }
  }

  /** Advance seq for a new dispatch; false (counted) for a replay already delivered. */
  private acceptSeq(s: number): boolean {
    if (s <= this.seq) {
      this.stats.duplicates++;
      return false;
    }
    this.seq = s;
    return true;
  }

  private onDispatch(t: string, d: unknown, s: number): void {
    // READY starts a new session whose numbering starts over.
    if (t === 'READY') this.seq = 0;
    if (!this.acceptSeq(s)) return;
    const data = d as Record<string, unknown>;
    let arrived = false;
    switch (t) {
      case 'READY':
        if (!this.onReady(data)) return;
        break;
      case 'RESUMED':
        this.onResumed();
        break;
      case 'GUILD_CREATE':
      case 'GUILD_DELETE':
        // Counted after the sink (below): the last guild must be cached before 'ready' fires,
        // or a ready listener sees one guild missing (found by test/client/reactionHeap.test.ts).
        arrived = true;
        break;
      case 'GUILD_MEMBERS_CHUNK':
        this.members.onChunk(data);
        break;
      case 'RATE_LIMITED': {
        const error = this.members.onRateLimited(data);
        if (error) {
          this.warn(error.message);
          this.emit('guildMembersRateLimited', error);
        }
        break;
      }
    }
    if (this.disabled.has(t)) {
      this.stats.skippedDisabled++;
      if (arrived) this.onGuildArrived(t, data);
      return;
    }
    if (!isKnownEvent(t)) this.stats.unknownEvents++;
    this.stats.countDispatch(t);
    const sink = this.context.sink();
    if (sink) {
      try {
        sink(this, t, d, s);
      } catch (error) {
        this.emitError(error instanceof Error ? error : new Error(String(error)));
      }
    }
    if (arrived) this.onGuildArrived(t, data);
  }

  private onHello(d: unknown): void {
    const interval = (d as { heartbeat_interval?: unknown } | null)?.heartbeat_interval;
    if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) {
      this.malformed('HELLO without a usable heartbeat_interval');
      return;
    }
    if (this.status !== 'handshaking') {
      this.debug(`ignored HELLO while ${this.status}`);
      return;
    }
    this.resumeURLFailures = 0;
    this.heartbeatInterval = Math.min(interval, MAX_HEARTBEAT_INTERVAL);
    this.lastHeartbeatAcked = true;
    this.scheduleHeartbeat(this.heartbeatInterval * Math.random());
    if (this.sessionID) this.sendResume();
    else void this.identify();
  }

  private sendResume(): void {
    this.setStatus('resuming');
    this.stats.resumes++;
    this.debug(`resuming session at seq ${this.seq}`);
    this.sendQueue.send(
      JSON.stringify({
        op: GatewayOP.Resume,
        d: { token: this.context.token, session_id: this.sessionID, seq: this.seq }
      }),
      true
    );
  }

  private async identify(): Promise<void> {
    this.setStatus('identifying');
    const generation = this.generation;
    // Waiting for a slot is not the server's slowness: the connection timeout pauses meanwhile.
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    const abort = new AbortController();
    this.identifyAbort = abort;
    try {
      await this.context.identifyQueue.acquire(this.id, abort.signal);
    } catch (error) {
      if (generation !== this.generation) return;
      this.warn(`identify queue failed: ${(error as Error).message}`);
      // A queue that refuses and says when to come back (the fleet's daily identify budget is
      // spent: SessionStartLimitError) gets this connection closed and a retry then, instead of
      // an open socket that never identifies.
      const retryAfter = (error as { retryAfter?: unknown } | null)?.retryAfter;
      if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0) {
        this.teardown(1000);
        this.setStatus('disconnected');
        this.emit('disconnect', error as Error);
        this.emitError(error as Error);
        if (this.context.options.autoreconnect) this.scheduleReconnect(Math.max(1000, retryAfter));
      }
      return;
    }
    if (generation !== this.generation || this.status !== 'identifying') return;
    this.identifyAbort = null;
    this.startConnectTimer();
    this.stats.identifies++;
    this.seq = 0;
    const { options, shardCount } = this.context;
    this.debug(`identifying as shard [${this.id}, ${shardCount}]`);
    this.sendQueue.send(
      JSON.stringify({
        op: GatewayOP.Identify,
        d: {
          token: this.context.token,
          properties: { os: process.platform, browser: LIBRARY_NAME, device: LIBRARY_NAME },
          compress: false,
          large_threshold: options.largeThreshold,
          shard: [this.id, shardCount],
          presence: this.presence,
          intents: options.intents
        }
      }),
      true
    );
    // Fire and forget: a shared queue's failure to restart its window must not stall the session.
    this.context.identifyQueue.sent?.(this.id).catch((error: unknown) => {
      this.warn(`identify queue could not record the send: ${(error as Error)?.message ?? String(error)}`);
    });
  }

  private onReady(d: Record<string, unknown>): boolean {
    const { session_id: sessionID, resume_gateway_url: resumeURL, guilds } = d;
    if (typeof sessionID !== 'string' || typeof resumeURL !== 'string') {
      this.malformed('READY without session_id or resume_gateway_url');
      return false;
    }
    this.sessionID = sessionID;
    this.resumeURL = resumeURL;
    this.becameReady();
    this.saveSession();
    this.pendingGuilds.clear();
    this.guildsReceived = false;
    if (Array.isArray(guilds)) {
      for (const guild of guilds) {
        const id = (guild as { id?: unknown } | null)?.id;
        if (typeof id === 'string') this.pendingGuilds.add(id);
      }
    }
    this.debug(`READY: session ${sessionID}, ${this.pendingGuilds.size} guilds to come`);
    this.checkGuildsReceived();
    return true;
  }

  private onResumed(): void {
    this.debug(`RESUMED at seq ${this.seq}`);
    this.becameReady();
    this.saveSession();
    this.emit('resume');
  }

  private becameReady(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    this.attempts = 0;
    this.setStatus('ready');
    const deferred = this.deferred;
    this.deferred = [];
    for (const payload of deferred) this.sendQueue.send(payload);
  }

  private onGuildArrived(t: string, d: Record<string, unknown>): void {
    const id = d.id;
    if (typeof id !== 'string') return;
    if (t === 'GUILD_CREATE' && this.context.options.getAllUsers && d.large === true && d.unavailable !== true) {
      // Streamed: the members enter the cache through the chunk handler; the result is not used,
      // so a large guild's raw members are never gathered in one array.
      this.requestGuildMembers(id, { stream: true }).catch((error: Error) =>
        this.warn(`getAllUsers for ${id}: ${error.message}`)
      );
    }
    if (this.guildsReceived || !this.pendingGuilds.delete(id)) return;
    this.checkGuildsReceived();
  }

  /** Shard 'ready' fires once READY's guilds all arrived, or when they stop arriving for guildCreateTimeout. */
  private checkGuildsReceived(): void {
    if (this.pendingGuilds.size === 0) {
      if (this.guildTimer) clearTimeout(this.guildTimer);
      this.guildTimer = null;
      this.markGuildsReceived();
      return;
    }
    // Restarted, not replaced, on each arrival: one timer per shard instead of one per guild.
    if (this.guildTimer) {
      this.guildTimer.refresh();
      return;
    }
    this.guildTimer = setTimeout(() => {
      this.guildTimer = null;
      this.debug(`guildCreateTimeout: ${this.pendingGuilds.size} guilds still unavailable`);
      this.markGuildsReceived();
    }, this.context.options.guildCreateTimeout);
  }

  private markGuildsReceived(): void {
    if (this.guildsReceived) return;
    this.guildsReceived = true;
    this.emit('ready');
  }

  private onInvalidSession(resumable: boolean): void {
    if (resumable && this.sessionID) {
      this.reconnect('op 9 INVALID_SESSION (resumable)', { resume: true, delay: 0 });
      return;
    }
    const [min, max] = this.context.options.invalidSessionDelay;
    this.reconnect('op 9 INVALID_SESSION', { resume: false, delay: min + Math.random() * (max - min) });
  }

  /** Forget the session; `countLoss` marks sessions that ended with undelivered dispatches possible. */
  private invalidateSession(countLoss: boolean): void {
    if (this.sessionID === null) return;
    if (countLoss) this.stats.invalidatedSessions++;
    this.sessionID = null;
    this.resumeURL = null;
    this.seq = 0;
    try {
      void Promise.resolve(this.context.sessionStore.delete(this.id)).catch((error: Error) =>
        this.warn(`session store delete failed: ${error.message}`)
      );
    } catch (error) {
      this.warn(`session store delete failed: ${(error as Error).message}`);
    }
  }

  private saveSession(): void {
    if (this.sessionID === null || this.resumeURL === null) return;
    const session = { sessionID: this.sessionID, seq: this.seq, resumeURL: this.resumeURL };
    try {
      void Promise.resolve(this.context.sessionStore.set(this.id, session)).catch((error: Error) =>
        this.warn(`session store set failed: ${error.message}`)
      );
    } catch (error) {
      this.warn(`session store set failed: ${(error as Error).message}`);
    }
  }

  // ── heartbeats ───────────────────────────────────────────────────────────────────────────────

  private scheduleHeartbeat(delay: number): void {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = setTimeout(() => {
      this.heartbeatTimer = null;
      this.heartbeat(false);
      if (this.ws) this.scheduleHeartbeat(this.heartbeatInterval);
    }, delay);
  }

  /** Send op 1. On a timer tick without an ACK since the last beat, the connection is a zombie. */
  private heartbeat(requested: boolean): void {
    if (!this.ws) return;
    if (!requested && !this.lastHeartbeatAcked && !this.readPaused) {
      this.stats.zombieCloses++;
      this.warn('no heartbeat ACK since the last heartbeat; closing the zombie connection to resume');
      this.reconnect('zombie connection', { resume: true });
      return;
    }
    this.lastHeartbeatAcked = false;
    this.lastHeartbeatSent = Date.now();
    this.stats.heartbeatsSent++;
    this.sendQueue.sendHeartbeat(JSON.stringify({ op: GatewayOP.Heartbeat, d: this.seq > 0 ? this.seq : null }));
    if (!requested) this.saveSession();
  }

  // ── plumbing ─────────────────────────────────────────────────────────────────────────────────

  private write(payload: string): void {
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(payload);
  }

  private setStatus(status: ShardStatus): void {
    this.status = status;
  }

  private debug(message: string): void {
    if (this.listenerCount('debug') > 0) this.emit('debug', redact(message, this.context.token));
  }

  private warn(message: string): void {
    if (this.listenerCount('warn') > 0) this.emit('warn', redact(message, this.context.token));
  }

  private emitError(error: Error): void {
    const token = this.context.token;
    if (token && error.message.includes(token)) error.message = redact(error.message, token);
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}

/** The gateway URL with `v`, `encoding` and `compress` query parameters set. */
export function gatewayURLWithQuery(base: string, compress: ResolvedGatewayOptions['compress']): string {
  const url = new URL(base);
  url.searchParams.set('v', '10');
  url.searchParams.set('encoding', 'json');
  if (compress) url.searchParams.set('compress', compress);
  else url.searchParams.delete('compress');
  return url.toString();
}

/** Close a socket we no longer listen to; terminate it if the server never answers the close. */
function closeQuietly(ws: WebSocket, code: number): void {
  ws.removeAllListeners('message');
  ws.removeAllListeners('open');
  ws.on('error', () => {});
  if (ws.readyState === WebSocket.CLOSED) return;
  try {
    if (ws.readyState === WebSocket.CONNECTING) {
      ws.terminate();
      return;
    }
    if (ws.readyState === WebSocket.OPEN) ws.close(code);
  } catch {
    ws.terminate();
    return;
  }
  const timer = setTimeout(() => ws.terminate(), 2000);
  timer.unref?.();
  ws.once('close', () => clearTimeout(timer));
}
