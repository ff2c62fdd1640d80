/**
 * One WebSocket on the simulated gateway: framing, compression, the client send limit and the
 * opcode rules that do not need the session table (which lives in GatewayServer).
 */
import type WebSocket from 'ws';
import { GatewayCloseCodes, GatewayOP } from '../../util/constants.js';
import { type Compression, createEncoder, type FrameEncoder } from './compression.js';
import type { GatewayServer } from './GatewayServer.js';
import type { Session } from './Session.js';

export interface ClientPayload {
  op: number;
  d: unknown;
}

const MAX_CLIENT_PAYLOAD = 4096;

export class Connection {
  session: Session | null = null;
  /** False while the "stop ACKing heartbeats" fault is on. */
  heartbeatAcks = true;
  framesSent = 0;
  closed = false;
  /** Set once the server started closing: later client payloads are ignored. */
  closing = false;
  identified = false;
  readonly openedAt = Date.now();
  private readonly encoder: FrameEncoder;
  private readonly receivedAt: number[] = [];
  private closeTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly compression: Compression,
    private readonly server: GatewayServer
  ) {
    this.encoder = createEncoder(compression, (frame) => {
      if (this.closed || ws.readyState !== ws.OPEN) return;
      this.framesSent++;
      ws.send(frame, { binary: typeof frame !== 'string' });
    });
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer | Buffer[] | ArrayBuffer, isBinary));
    ws.on('close', (code) => this.onClose(code));
    ws.on('error', () => {});
  }

  /** Bytes queued but not yet on the wire (socket buffer plus the compressor). */
  get backlog(): number {
    return this.ws.bufferedAmount + this.encoder.pendingBytes;
  }

  send(payload: string): void {
    if (!this.closed) this.encoder.write(payload);
  }

  sendOp(op: number, d: unknown): void {
    this.send(JSON.stringify({ op, d, s: null, t: null }));
  }

  /** Send a raw frame that bypasses JSON (malformed-frame fault). Still compressed if negotiated. */
  sendRaw(text: string): void {
    this.send(text);
  }

  close(code: number, reason = ''): void {
    if (this.closed || this.closing) return;
    this.closing = true;
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
    // A peer that never answers the close handshake is cut off.
    this.closeTimer = setTimeout(() => this.ws.terminate(), 2000);
    this.closeTimer.unref();
  }

  /** Abrupt drop: no close frame, the client sees 1006. */
  terminate(): void {
    this.ws.terminate();
  }

  /** Terminate later unless the client closes first (after op 7 / op 9, as Discord does). */
  terminateAfter(ms: number): void {
    if (this.closeTimer) return;
    this.closeTimer = setTimeout(() => this.ws.terminate(), ms);
    this.closeTimer.unref();
  }

  private onMessage(data: Buffer | Buffer[] | ArrayBuffer, _isBinary: boolean): void {
    if (this.closed || this.closing) return;
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    if (!this.withinSendLimit()) {
      this.server.stats.countRejected('rate-limited');
      this.close(GatewayCloseCodes.RateLimited, 'You are being rate limited.');
      return;
    }
    if (buffer.length > MAX_CLIENT_PAYLOAD) {
      this.close(GatewayCloseCodes.DecodeError, 'Payload too large.');
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(buffer.toString('utf8'));
    } catch {
      this.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    if (typeof payload !== 'object' || payload === null || !Number.isInteger((payload as ClientPayload).op)) {
      this.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    const { op, d } = payload as ClientPayload;
    if (op === GatewayOP.Heartbeat) {
      if (this.heartbeatAcks) this.send('{"op":11,"d":null,"s":null,"t":null}');
      return;
    }
    if (op === GatewayOP.Identify || op === GatewayOP.Resume) {
      if (this.identified) {
        this.close(GatewayCloseCodes.AlreadyAuthenticated, 'You sent more than one identify payload.');
        return;
      }
      if (op === GatewayOP.Identify) this.server.identify(this, d);
      else this.server.resume(this, d);
      return;
    }
    const known = [GatewayOP.PresenceUpdate, GatewayOP.VoiceStateUpdate, GatewayOP.RequestGuildMembers] as number[];
    const ignored = [GatewayOP.RequestSoundboardSounds, GatewayOP.RequestChannelInfo] as number[];
    if (!known.includes(op) && !ignored.includes(op)) {
      this.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
      return;
    }
    if (!this.identified || !this.session) {
      this.close(GatewayCloseCodes.NotAuthenticated, 'You sent a payload prior to identifying.');
      return;
    }
    if (op === GatewayOP.RequestGuildMembers) this.server.requestGuildMembers(this, this.session, d);
  }

  /** 120 payloads per 60 s per connection (scaled by options); heartbeats count too. */
  private withinSendLimit(): boolean {
    const { count, windowMs } = this.server.options.sendLimit;
    const now = Date.now();
    this.receivedAt.push(now);
    while (this.receivedAt.length > 0 && this.receivedAt[0] <= now - windowMs) this.receivedAt.shift();
    return this.receivedAt.length <= count;
  }

  private onClose(code: number): void {
    if (this.closed) return;
    this.closed = true;
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.encoder.close();
    this.server.connectionClosed(this, code);
  }
}
