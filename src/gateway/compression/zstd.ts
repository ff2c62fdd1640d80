/**
 * zstd-stream: one decompression context per connection. Each WebSocket message holds exactly one
 * gateway message that ends a flushed block but not the zstd frame, so every message is
 * decompressed completely as it arrives (never waiting for a frame end).
 * zstd-napi (native) is preferred when installed; fzstd (pure JS) is the fallback.
 */
import { Decompress } from 'fzstd';
import { type Decompressor, type DecompressorSink, joinChunks } from './Decompressor.js';

interface NativeDCtx {
  decompressStream(dstBuf: Uint8Array, srcBuf: Uint8Array): [number, number, number];
}
interface ZstdBinding {
  DCtx: new () => NativeDCtx;
  dStreamOutSize(): number;
}

let zstdBinding: ZstdBinding | null | undefined;

/** Load zstd-napi's binding once; null when it is not installed or not built. */
export async function loadZstdNapi(): Promise<ZstdBinding | null> {
  if (zstdBinding !== undefined) return zstdBinding;
  try {
    const mod = (await import('zstd-napi/binding.js')) as unknown as { default?: ZstdBinding } & ZstdBinding;
    const binding = mod.default ?? mod;
    zstdBinding = typeof binding.DCtx === 'function' ? binding : null;
  } catch {
    zstdBinding = null;
  }
  return zstdBinding;
}

export class ZstdNapiDecompressor implements Decompressor {
  readonly implementation = 'zstd-napi';
  private dctx: NativeDCtx | null;
  private out: Buffer;

  constructor(
    binding: ZstdBinding,
    private readonly sink: DecompressorSink
  ) {
    this.dctx = new binding.DCtx();
    this.out = Buffer.allocUnsafe(Math.max(binding.dStreamOutSize(), 256 * 1024));
  }

  push(data: Buffer): void {
    const dctx = this.dctx;
    if (!dctx) return;
    const chunks: Buffer[] = [];
    let total = 0;
    let input: Buffer = data;
    try {
      // Run until all input is consumed and the output buffer was not filled (nothing left inside).
      for (;;) {
        const [, produced, consumed] = dctx.decompressStream(this.out, input);
        if (produced > 0) {
          chunks.push(Buffer.from(this.out.subarray(0, produced)));
          total += produced;
        }
        input = input.subarray(consumed);
        if (input.length === 0 && produced < this.out.length) break;
        if (consumed === 0 && produced === 0) break;
      }
    } catch (error) {
      this.sink.onError(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (total === 0) return;
    this.sink.onMessage(joinChunks(chunks, total).toString('utf8'), total);
  }

  destroy(): void {
    this.dctx = null;
  }
}

export class FzstdDecompressor implements Decompressor {
  readonly implementation = 'fzstd';
  private stream: Decompress | null;
  private chunks: Uint8Array[] = [];
  private total = 0;

  constructor(private readonly sink: DecompressorSink) {
    this.stream = new Decompress((chunk) => {
      this.chunks.push(chunk);
      this.total += chunk.length;
    });
  }

  push(data: Buffer): void {
    const stream = this.stream;
    if (!stream) return;
    try {
      stream.push(data);
    } catch (error) {
      this.chunks = [];
      this.total = 0;
      this.sink.onError(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.total === 0) return;
    const text = joinChunks(this.chunks, this.total).toString('utf8');
    const bytes = this.total;
    this.chunks = [];
    this.total = 0;
    this.sink.onMessage(text, bytes);
  }

  destroy(): void {
    this.stream = null;
  }
}
