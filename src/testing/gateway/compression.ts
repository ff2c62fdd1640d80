/**
 * Transport compression, server side (reference §2): one compression context per connection.
 * - zlib-stream: one deflate stream, each payload flushed with Z_SYNC_FLUSH (ends in 00 00 ff ff).
 * - zstd-stream: one zstd stream, each payload flushed (ZSTD_e_flush) without ending the frame.
 * Frames come out in payload order; zlib's are produced asynchronously, so `pendingBytes` counts
 * what is still inside the compressor for backpressure.
 */
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

export type Compression = 'zlib-stream' | 'zstd-stream' | null;

export interface FrameEncoder {
  /** Queue one payload; `sink` receives its frame (a string when uncompressed, else binary). */
  write(payload: string): void;
  readonly pendingBytes: number;
  close(): void;
}

export type FrameSink = (frame: string | Buffer) => void;

export function createEncoder(compression: Compression, sink: FrameSink): FrameEncoder {
  if (compression === 'zlib-stream') return new ZlibStreamEncoder(sink);
  if (compression === 'zstd-stream') return new ZstdStreamEncoder(sink);
  return { write: (payload) => sink(payload), pendingBytes: 0, close() {} };
}

class ZlibStreamEncoder implements FrameEncoder {
  private readonly deflate = zlib.createDeflate({ level: 6 });
  private chunks: Buffer[] = [];
  private pending = 0;
  private closed = false;

  constructor(private readonly sink: FrameSink) {
    this.deflate.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    // A write after close (or a zlib failure) must not crash the server.
    this.deflate.on('error', () => {});
  }

  get pendingBytes(): number {
    return this.pending;
  }

  write(payload: string): void {
    if (this.closed) return;
    const size = Buffer.byteLength(payload);
    this.pending += size;
    this.deflate.write(payload);
    this.deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      this.pending -= size;
      if (this.closed || this.chunks.length === 0) return;
      const frame = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      this.chunks = [];
      this.sink(frame);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.deflate.close();
  }
}

interface ZstdBinding {
  CCtx: new () => {
    compressStream2(dst: Uint8Array, src: Uint8Array, endOp: number): [number, number, number];
  };
  EndDirective: { flush: number };
  cStreamOutSize(): number;
}

let zstdBinding: ZstdBinding | undefined;

/** zstd-napi's native binding, loaded only when a client asks for zstd-stream. */
function loadZstd(): ZstdBinding {
  if (!zstdBinding) zstdBinding = createRequire(import.meta.url)('zstd-napi/binding') as ZstdBinding;
  return zstdBinding;
}

/** True when zstd-stream can be served (the optional zstd-napi package is installed). */
export function zstdAvailable(): boolean {
  try {
    loadZstd();
    return true;
  } catch {
    return false;
  }
}

class ZstdStreamEncoder implements FrameEncoder {
  private readonly binding = loadZstd();
  private readonly cctx = new this.binding.CCtx();
  private readonly out = Buffer.allocUnsafe(this.binding.cStreamOutSize());
  readonly pendingBytes = 0;
  private closed = false;

  constructor(private readonly sink: FrameSink) {}

  write(payload: string): void {
    if (this.closed) return;
    let src: Uint8Array = Buffer.from(payload);
    const parts: Buffer[] = [];
    // Feed everything and flush; a non-zero return means output is still buffered inside.
    for (;;) {
      const [remaining, produced, consumed] = this.cctx.compressStream2(this.out, src, this.binding.EndDirective.flush);
      if (produced > 0) parts.push(Buffer.from(this.out.subarray(0, produced)));
      src = src.subarray(consumed);
      if (remaining === 0 && src.length === 0) break;
    }
    this.sink(parts.length === 1 ? parts[0] : Buffer.concat(parts));
  }

  close(): void {
    this.closed = true;
  }
}
