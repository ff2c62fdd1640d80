/**
 * A small, fully scripted gateway server for unit tests of the shard: HELLO, heartbeat ACKs,
 * IDENTIFY → READY + GUILD_CREATEs, RESUME with replay, and hooks to inject anything (raw frames,
 * close codes, op 7/9, silence). The real Simulator is used by the integration tests; this one exists
 * so every branch of the state machine can be hit deterministically and fast.
 */
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { type Compression, createEncoder, type FrameEncoder } from '../../../src/testing/gateway/compression.js';

export interface MiniSession {
  id: string;
  shard: number;
  seq: number;
  /** Every dispatch payload by seq (index seq-1). */
  sent: string[];
  live: MiniConnection | null;
}

export interface MiniConnection {
  ws: WebSocket;
  encoder: FrameEncoder;
  received: Record<string, unknown>[];
  session: MiniSession | null;
  compress: Compression;
}

export interface MiniGatewayOptions {
  token?: string;
  heartbeatInterval?: number;
  guildsPerShard?: number;
}

export class MiniGateway {
  readonly connections: MiniConnection[] = [];
  readonly sessions = new Map<string, MiniSession>();
  readonly identifies: { shard: number; at: number; payload: Record<string, unknown> }[] = [];
  ackHeartbeats = true;
  /** When set, called on IDENTIFY instead of the default READY; return true if handled. */
  onIdentify: ((conn: MiniConnection, d: Record<string, unknown>) => boolean) | null = null;
  private counter = 0;

  private constructor(
    private readonly server: WebSocketServer,
    readonly options: Required<MiniGatewayOptions>
  ) {
    server.on('connection', (ws, req) => this.accept(ws, req.url ?? '/'));
  }

  static async start(options: MiniGatewayOptions = {}): Promise<MiniGateway> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    return new MiniGateway(server, {
      token: 'mini-token-123456',
      heartbeatInterval: 1000,
      guildsPerShard: 2,
      ...options
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Guild ids on a shard of `count` shards: (id >> 22) % count === shard. */
  guildIDs(shard: number, count: number): string[] {
    const ids: string[] = [];
    for (let i = 0; ids.length < this.options.guildsPerShard; i++) {
      const id = ((BigInt(i) << 22n) | 1n).toString();
      if (Number((BigInt(id) >> 22n) % BigInt(count)) === shard) ids.push(id);
    }
    return ids;
  }

  private accept(ws: WebSocket, path: string): void {
    const compress = (new URL(path, 'ws://x').searchParams.get('compress') as Compression) ?? null;
    const encoder = createEncoder(compress, (frame) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(frame);
    });
    const conn: MiniConnection = { ws, encoder, received: [], session: null, compress };
    this.connections.push(conn);
    ws.on('message', (data) => this.onMessage(conn, JSON.parse(data.toString())));
    ws.on('close', () => {
      if (conn.session?.live === conn) conn.session.live = null;
      encoder.close();
    });
    this.send(conn, { op: 10, d: { heartbeat_interval: this.options.heartbeatInterval }, s: null, t: null });
  }

  send(conn: MiniConnection, payload: unknown): void {
    conn.encoder.write(typeof payload === 'string' ? payload : JSON.stringify(payload));
  }

  /** Send a dispatch on a session (recorded for replay). */
  dispatch(session: MiniSession, t: string, d: unknown): number {
    const s = ++session.seq;
    const payload = JSON.stringify({ t, s, op: 0, d });
    session.sent.push(payload);
    if (session.live) this.send(session.live, payload);
    return s;
  }

  private onMessage(conn: MiniConnection, packet: { op: number; d: Record<string, unknown> }): void {
    conn.received.push(packet);
    if (packet.op === 1) {
      if (this.ackHeartbeats) this.send(conn, { op: 11 });
    } else if (packet.op === 2) {
      const d = packet.d;
      if (d.token !== this.options.token) {
        conn.ws.close(4004, 'Authentication failed.');
        return;
      }
      const [shard, count] = d.shard as [number, number];
      this.identifies.push({ shard, at: Date.now(), payload: d });
      if (this.onIdentify?.(conn, d)) return;
      const session: MiniSession = { id: `s${++this.counter}`, shard, seq: 0, sent: [], live: conn };
      this.sessions.set(session.id, session);
      conn.session = session;
      const guilds = this.guildIDs(shard, count);
      this.dispatch(session, 'READY', {
        v: 10,
        user: { id: '1', username: 'bot' },
        guilds: guilds.map((id) => ({ id, unavailable: true })),
        session_id: session.id,
        resume_gateway_url: this.url,
        shard: [shard, count]
      });
      for (const id of guilds) this.dispatch(session, 'GUILD_CREATE', { id, name: `g${id}`, large: false });
    } else if (packet.op === 6) {
      const session = this.sessions.get(packet.d.session_id as string);
      if (!session || packet.d.token !== this.options.token) {
        this.send(conn, { op: 9, d: false });
        return;
      }
      if (session.live && session.live !== conn) session.live.ws.terminate();
      session.live = conn;
      conn.session = session;
      for (const payload of session.sent.slice(packet.d.seq as number)) this.send(conn, payload);
      this.dispatch(session, 'RESUMED', {});
    }
  }

  /** The newest connection of a shard. */
  connectionOf(shard: number): MiniConnection | undefined {
    for (let i = this.connections.length - 1; i >= 0; i--) {
      const conn = this.connections[i];
      if (conn.session?.shard === shard && conn.ws.readyState === WebSocket.OPEN) return conn;
    }
    return undefined;
  }

  async close(): Promise<void> {
    for (const conn of this.connections) conn.ws.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function waitFor<T>(check: () => T | undefined | false | null, timeout = 5000, what = 'condition'): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const value = check();
      if (value) return resolve(value);
      if (Date.now() - started > timeout) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}
