import type { TransportCompression } from '../options.js';
import type { Decompressor, DecompressorSink } from './Decompressor.js';
import { loadZlibSync, NodeZlibDecompressor, ZlibSyncDecompressor } from './zlib.js';
import { FzstdDecompressor, loadZstdNapi, ZstdNapiDecompressor } from './zstd.js';

export type { Decompressor, DecompressorSink } from './Decompressor.js';
export { endsWithSyncFlush } from './zlib.js';

/** Which implementation to use; 'native' falls back to the JS one when the native module is missing. */
export type DecompressorPreference = 'native' | 'js';

/** A fresh decompressor for one connection, or null for uncompressed transport. */
export async function createDecompressor(
  kind: TransportCompression,
  sink: DecompressorSink,
  prefer: DecompressorPreference = 'native'
): Promise<Decompressor | null> {
  if (kind === null) return null;
  if (kind === 'zlib-stream') {
    const native = prefer === 'native' ? await loadZlibSync() : null;
    return native ? new ZlibSyncDecompressor(native, sink) : new NodeZlibDecompressor(sink);
  }
  const native = prefer === 'native' ? await loadZstdNapi() : null;
  return native ? new ZstdNapiDecompressor(native, sink) : new FzstdDecompressor(sink);
}
