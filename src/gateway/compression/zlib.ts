/**
 * zlib-stream: one inflate context per connection; WebSocket messages are appended until one
 * ends with the Z_SYNC_FLUSH suffix 00 00 ff ff, and only then inflated and decoded.
 * `zlib-sync` (native, synchronous) is preferred; node:zlib's streaming inflater is the fallback.
 */
import { createInflate, constants as zc } from 'node:zlib';
import { type Decompressor, type DecompressorSink, joinChunks } from './Decompressor.js';

interface ZlibSyncInflate {
  readonly result: Buffer | string | null;
  readonly msg: string | null;
  readonly err: number;
  push(buffer: Buffer, flush?: boolean | number): void;
}
interface ZlibSyncModule {
  Inflate: new (options?: { chunkSize?: number; to?: 'string' }) => ZlibSyncInflate;
  Z_SYNC_FLUSH: number;
}

let zlibSync: ZlibSyncModule | null | undefined;

/** Load zlib-sync once; null when it is not installed or not built for this platform. */
export async function loadZlibSync(): Promise<ZlibSyncModule | null> {
  if (zlibSync !== undefined) return zlibSync;
  try {
    const mod = (await import('zlib-sync')) as unknown as { default?: ZlibSyncModule } & ZlibSyncModule;
    zlibSync = mod.default ?? mod;
  } catch {
    zlibSync = null;
  }
  return zlibSync;
}

export function endsWithSyncFlush(data: Buffer): boolean {
  const n = data.length;
  return n >= 4 && data[n - 4] === 0x00 && data[n - 3] === 0x00 && data[n - 2] === 0xff && data[n - 1] === 0xff;
}

export class ZlibSyncDecompressor implements Decompressor {
  readonly implementation = 'zlib-sync';
  private inflate: ZlibSyncInflate | null;

  constructor(
    private readonly zlib: ZlibSyncModule,
    private readonly sink: DecompressorSink
  ) {
    // `to: 'string'`: the native side decodes the UTF-8 output straight into a JS string, instead of
    // copying it into a new Buffer (an allocation outside the heap per frame) that is then decoded.
    this.inflate = new zlib.Inflate({ chunkSize: 128 * 1024, to: 'string' });
  }

  push(data: Buffer): void {
    const inflate = this.inflate;
    if (!inflate) return;
    const complete = endsWithSyncFlush(data);
    inflate.push(data, complete ? this.zlib.Z_SYNC_FLUSH : false);
    if (inflate.err < 0) {
      this.sink.onError(new Error(`zlib inflate failed: ${inflate.msg ?? inflate.err}`));
      return;
    }
    if (!complete) return;
    const result = inflate.result;
    if (result === null) return;
    // Characters, not bytes: counting UTF-8 bytes would mean a second pass over every frame.
    if (typeof result === 'string') this.sink.onMessage(result, result.length);
    else this.sink.onMessage(result.toString('utf8'), result.length);
  }

  destroy(): void {
    this.inflate = null;
  }
}

/** Fallback on node:zlib. Output arrives asynchronously but in order, which is all the shard needs. */
export class NodeZlibDecompressor implements Decompressor {
  readonly implementation = 'node:zlib';
  private readonly inflate = createInflate({ chunkSize: 128 * 1024 });
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private output: Buffer[] = [];
  private outputBytes = 0;
  private destroyed = false;

  constructor(private readonly sink: DecompressorSink) {
    this.inflate.on('data', (chunk: Buffer) => {
      this.output.push(chunk);
      this.outputBytes += chunk.length;
    });
    this.inflate.on('error', (error: Error) => {
      if (!this.destroyed) this.sink.onError(error);
    });
  }

  push(data: Buffer): void {
    if (this.destroyed) return;
    if (!endsWithSyncFlush(data)) {
      this.pending.push(data);
      this.pendingBytes += data.length;
      return;
    }
    this.pending.push(data);
    const input = joinChunks(this.pending, this.pendingBytes + data.length);
    this.pending.length = 0;
    this.pendingBytes = 0;
    this.inflate.write(input);
    this.inflate.flush(zc.Z_SYNC_FLUSH, () => {
      if (this.destroyed || this.outputBytes === 0) return;
      const text = joinChunks(this.output, this.outputBytes);
      const bytes = this.outputBytes;
      this.output = [];
      this.outputBytes = 0;
      this.sink.onMessage(text.toString('utf8'), bytes);
    });
  }

  destroy(): void {
    this.destroyed = true;
    this.inflate.destroy();
  }
}
