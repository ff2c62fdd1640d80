/**
 * Transport decompression for one connection. Discord keeps one compression context per
 * connection (zlib-stream and zstd-stream alike), so a decompressor lives exactly as long as
 * its socket and is never shared between shards or reconnects.
 */
export interface Decompressor {
  /** Which implementation runs (for stats and debug output). */
  readonly implementation: string;
  /**
   * Feed one WebSocket binary message. Each complete gateway message is handed to the
   * connection's `onMessage`, in order (synchronously for the native and fzstd paths).
   * Corrupt input is reported through `onError`; the connection should then be dropped.
   */
  push(data: Buffer): void;
  /** Release the context. Later pushes and callbacks are ignored. */
  destroy(): void;
}

/** Receives each complete gateway message a Decompressor produced. */
export interface DecompressorSink {
  /**
   * One complete gateway message as text, with its decompressed size for stats: bytes, or UTF-16
   * characters where the inflater hands over text directly (zlib-sync; the same for ASCII).
   */
  onMessage(text: string, inflatedBytes: number): void;
  /** The stream was corrupt; the connection should be dropped. */
  onError(error: Error): void;
}

/** Concatenate without copying when there is a single chunk. */
export function joinChunks(chunks: Uint8Array[], total: number): Buffer {
  if (chunks.length === 1) {
    const only = chunks[0];
    return Buffer.from(only.buffer, only.byteOffset, only.byteLength);
  }
  return Buffer.concat(chunks, total);
}
