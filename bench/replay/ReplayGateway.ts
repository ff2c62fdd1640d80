/**
 * A replay gateway on 127.0.0.1 (port 0) for the dispatch bench: one client connection gets the
 * pre-compressed stream (HELLO, then on IDENTIFY the recorded READY and GUILD_CREATEs, then
 * reactions as the bench releases them) as fast as the client reads. Nothing is encoded while
 * serving: every frame is a slice of one pre-built buffer, so every client gets the same bytes.
 *
 * Heartbeats are acknowledged at the next full-flush boundary of the stream (see compress.ts).
 * A minimal REST surface answers what the clients ask before connecting: GET /gateway/bot,
 * /gateway and /users/@me under /api/v10 (and v9).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { CompressedStream } from './compress.js';

/** Bytes queued in the socket above which the server waits for the client to read. */
const HIGH_WATER = 1 << 20;

export interface ReplayLayout {
  stream: CompressedStream;
  /** Index of the last payload sent on IDENTIFY (the last GUILD_CREATE). */
  sessionEnd: number;
  botUserJSON: string;
}

export class ReplayGateway {
  readonly token = 'replay';
  /** Close codes and unexpected opcodes seen, for the bench to report. */
  readonly problems: string[] = [];
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private port = 0;
  private client: WebSocket | null = null;
  private next = 0;
  private target = 0;
  private ackPending = false;
  private waitingForDrain = false;

  private constructor(private readonly layout: ReplayLayout) {
    this.http = createServer((req, res) => this.rest(req, res));
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    this.http.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req.url ?? ''));
    });
  }

  static async start(layout: ReplayLayout): Promise<ReplayGateway> {
    const gateway = new ReplayGateway(layout);
    await new Promise<void>((resolve) => gateway.http.listen(0, '127.0.0.1', resolve));
    gateway.port = (gateway.http.address() as AddressInfo).port;
    return gateway;
  }

  get restURL(): string {
    return `http://127.0.0.1:${this.port}/api/v10`;
  }

  get gatewayURL(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Let the connected client have every payload up to and including `index`. */
  release(index: number): void {
    this.target = Math.min(index + 1, this.layout.stream.count);
    this.pump();
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(ws: WebSocket, url: string): void {
    if (this.client !== null) {
      this.problems.push('a second connection (the client reconnected)');
      ws.close(4000, 'replay serves one connection');
      return;
    }
    if (!url.includes('compress=zlib-stream')) {
      this.problems.push(`connection without compress=zlib-stream: ${url}`);
      ws.close(4000, 'replay needs compress=zlib-stream');
      return;
    }
    this.client = ws;
    ws.on('error', () => {});
    ws.on('close', (code) => {
      if (code !== 1000 && code !== 1001 && code !== 1005) this.problems.push(`client closed with ${code}`);
    });
    ws.on('message', (data: Buffer) => this.onClientPayload(data));
    this.release(0);
  }

  private onClientPayload(data: Buffer): void {
    let op: unknown;
    try {
      op = (JSON.parse(data.toString()) as { op?: unknown }).op;
    } catch {
      this.problems.push('unparsable client payload');
      return;
    }
    if (op === 1) {
      this.ackPending = true;
      this.pump();
    } else if (op === 2) {
      this.release(this.layout.sessionEnd);
    } else if (op !== 3 && op !== 4 && op !== 8) {
      this.problems.push(`unexpected opcode ${String(op)}`);
    }
  }

  /** Write released frames while the socket is below the high-water mark; resume on flush. */
  private pump(): void {
    const ws = this.client;
    if (ws === null || ws.readyState !== WebSocket.OPEN || this.waitingForDrain) return;
    const { bytes, offsets, boundary, ackFrame } = this.layout.stream;
    // An ACK may only go where the next frame does not refer back past it.
    if (this.ackPending && (this.next === 0 || boundary[this.next - 1])) {
      this.ackPending = false;
      ws.send(ackFrame);
    }
    while (this.next < this.target) {
      const i = this.next++;
      const frame = bytes.subarray(offsets[i], offsets[i + 1]);
      const full = ws.bufferedAmount >= HIGH_WATER || this.next === this.target;
      if (this.ackPending && boundary[i]) {
        ws.send(frame);
        this.ackPending = false;
        ws.send(ackFrame, full ? this.drained : undefined);
      } else {
        ws.send(frame, full ? this.drained : undefined);
      }
      if (full) {
        this.waitingForDrain = true;
        return;
      }
    }
  }

  private readonly drained = (): void => {
    this.waitingForDrain = false;
    this.pump();
  };

  private rest(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0].replace(/^\/api\/v(9|10)/, '');
    const json = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (req.method === 'GET' && path === '/gateway/bot') {
      json(
        200,
        JSON.stringify({
          url: this.gatewayURL,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 }
        })
      );
    } else if (req.method === 'GET' && path === '/gateway') {
      json(200, JSON.stringify({ url: this.gatewayURL }));
    } else if (req.method === 'GET' && path === '/users/@me') {
      json(200, this.layout.botUserJSON);
    } else {
      this.problems.push(`REST ${req.method} ${path} not served`);
      json(404, '{"message":"404: Not Found","code":0}');
    }
  }
}
