/**
 * A raw gateway client for tests: decodes plain, zlib-stream (one zlib.Inflate per connection,
 * frames ending in 00 00 ff ff) and zstd-stream (one zstd-napi DCtx per connection) frames, keeps
 * every payload, and lets a test wait for one or for the close.
 */
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import WebSocket from 'ws';

export interface Payload {
  op: number;
  d: any;
  s: number | null;
  t: string | null;
}

type ZstdDCtx = { decompressStream(dst: Uint8Array, src: Uint8Array): [number, number, number] };

export class RawGatewayClient {
  readonly payloads: Payload[] = [];
  /** Frames that did not decode as JSON (malformed-frame fault). */
  readonly undecodable: string[] = [];
  readonly ws: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  private waiters: { match: (p: Payload) => boolean; resolve: (p: Payload) => void }[] = [];
  private inflate: zlib.Inflate | null = null;
  private inflateChunks: Buffer[] = [];
  private zstd: ZstdDCtx | null = null;

  constructor(
    url: string,
    query = 'v=10&encoding=json',
    readonly compression: 'zlib-stream' | 'zstd-stream' | null = null
  ) {
    const full = `${url}/?${query}${compression ? `&compress=${compression}` : ''}`;
    this.ws = new WebSocket(full);
    if (compression === 'zlib-stream') {
      this.inflate = zlib.createInflate();
      this.inflate.on('data', (chunk: Buffer) => this.inflateChunks.push(chunk));
    } else if (compression === 'zstd-stream') {
      const binding = createRequire(import.meta.url)('zstd-napi/binding');
      this.zstd = new binding.DCtx();
    }
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
    );
    this.ws.on('error', () => {});
    // Decoding zlib is asynchronous; chain frames so payloads stay in order.
    let chain = Promise.resolve();
    this.ws.on('message', (data: Buffer, isBinary) => {
      chain = chain.then(() => this.decode(data, isBinary)).then((text) => this.accept(text));
    });
  }

  send(payload: unknown): void {
    this.ws.send(typeof payload === 'string' ? payload : JSON.stringify(payload));
  }

  identify(token: string, extra: Record<string, unknown> = {}): void {
    this.send({
      op: 2,
      d: { token, intents: 513, properties: { os: 'linux', browser: 'test', device: 'test' }, ...extra }
    });
  }

  /** Resolves with the first payload (already received or future) matching `match`. */
  waitFor(match: (p: Payload) => boolean, timeoutMs = 5000): Promise<Payload> {
    const found = this.payloads.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a payload')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        }
      });
    });
  }

  waitForDispatch(t: string, timeoutMs?: number): Promise<Payload> {
    return this.waitFor((p) => p.op === 0 && p.t === t, timeoutMs);
  }

  dispatches(t?: string): Payload[] {
    return this.payloads.filter((p) => p.op === 0 && (t === undefined || p.t === t));
  }

  lastSeq(): number | null {
    let seq: number | null = null;
    for (const p of this.payloads) if (p.s !== null && p.s !== undefined) seq = p.s;
    return seq;
  }

  close(code = 1000): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code);
  }

  terminate(): void {
    this.ws.terminate();
  }

  private async decode(data: Buffer, isBinary: boolean): Promise<string> {
    if (!isBinary) return data.toString('utf8');
    if (this.inflate) {
      const inflate = this.inflate;
      return new Promise((resolve) => {
        inflate.write(data);
        inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          const out = Buffer.concat(this.inflateChunks).toString('utf8');
          this.inflateChunks = [];
          resolve(out);
        });
      });
    }
    if (this.zstd) {
      const out: Buffer[] = [];
      const dst = Buffer.alloc(1 << 17);
      let src: Uint8Array = data;
      for (;;) {
        const [, produced, consumed] = this.zstd.decompressStream(dst, src);
        out.push(Buffer.from(dst.subarray(0, produced)));
        src = src.subarray(consumed);
        if (src.length === 0 && produced < dst.length) break;
      }
      return Buffer.concat(out).toString('utf8');
    }
    return data.toString('utf8');
  }

  private accept(text: string): void {
    let payload: Payload;
    try {
      payload = JSON.parse(text);
    } catch {
      this.undecodable.push(text);
      return;
    }
    this.payloads.push(payload);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(payload)) return true;
      w.resolve(payload);
      return false;
    });
  }
}

/** Connect, wait for HELLO, identify, wait for READY. */
export async function connectIdentified(
  gatewayURL: string,
  token: string,
  identify: Record<string, unknown> = {},
  compression: 'zlib-stream' | 'zstd-stream' | null = null
): Promise<RawGatewayClient> {
  const client = new RawGatewayClient(gatewayURL, 'v=10&encoding=json', compression);
  await client.waitFor((p) => p.op === 10);
  client.identify(token, identify);
  await client.waitForDispatch('READY');
  return client;
}
