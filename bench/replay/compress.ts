/**
 * Pre-compresses a whole session as one zlib-stream connection would carry it (one deflate
 * context, every payload flushed so its frame ends in 00 00 ff ff), before anything is timed, so
 * the replay server only writes buffers.
 *
 * Payloads marked as boundaries are flushed with Z_FULL_FLUSH instead of Z_SYNC_FLUSH: nothing
 * after a full flush refers back past it, so a separately compressed HEARTBEAT_ACK (`ackFrame`)
 * can be inserted there without breaking the client's inflate context. Boundaries fall every
 * `boundaryEvery` payloads (a client's ACK waits at most that many frames) and wherever the
 * replay pauses; between them the context is shared as in Discord's stream.
 */
import zlib from 'node:zlib';

export interface CompressedStream {
  /** Every payload's frame, back to back. */
  bytes: Buffer;
  /** Frame i is bytes[offsets[i], offsets[i + 1]). */
  offsets: Uint32Array;
  /** True after a frame where the ACK frame may be inserted. */
  boundary: Uint8Array;
  /** `{"op":11}` compressed so it can follow any boundary. */
  ackFrame: Buffer;
  /** Uncompressed bytes in all (for the compression ratio). */
  rawBytes: number;
  readonly count: number;
}

export async function compressStream(
  payloads: readonly string[],
  pauses: readonly number[],
  boundaryEvery = 64
): Promise<CompressedStream> {
  const boundary = new Uint8Array(payloads.length);
  for (let i = boundaryEvery - 1; i < payloads.length; i += boundaryEvery) boundary[i] = 1;
  for (const index of pauses) if (index >= 0 && index < payloads.length) boundary[index] = 1;
  boundary[payloads.length - 1] = 1;

  const frames = await deflateEach(payloads, (i) =>
    boundary[i] ? zlib.constants.Z_FULL_FLUSH : zlib.constants.Z_SYNC_FLUSH
  );
  const offsets = new Uint32Array(payloads.length + 1);
  let total = 0;
  for (let i = 0; i < frames.length; i++) {
    offsets[i] = total;
    total += frames[i].length;
  }
  offsets[frames.length] = total;
  const bytes = Buffer.concat(frames, total);
  // The second payload of a fresh stream after a full flush: no zlib header, no back references.
  const [, ackFrame] = await deflateEach(
    ['{"op":11,"d":null}', '{"op":11,"d":null}'],
    () => zlib.constants.Z_FULL_FLUSH
  );
  let rawBytes = 0;
  for (const p of payloads) rawBytes += Buffer.byteLength(p);
  return { bytes, offsets, boundary, ackFrame, rawBytes, count: payloads.length };
}

/** One deflate context; each payload written then flushed with its flag; one Buffer per payload. */
function deflateEach(payloads: readonly string[], flag: (index: number) => number): Promise<Buffer[]> {
  const deflate = zlib.createDeflate({ level: 6 });
  const frames: Buffer[] = [];
  let chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    deflate.on('error', reject);
    let next = 0;
    // Queued in batches so 200,000 writes do not sit in the stream's buffer at once.
    const writeBatch = () => {
      const end = Math.min(payloads.length, next + 512);
      for (; next < end; next++) {
        const index = next;
        deflate.write(payloads[index]);
        deflate.flush(flag(index), () => {
          frames.push(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
          chunks = [];
          if (index === payloads.length - 1) {
            deflate.close();
            resolve(frames);
          } else if (index === end - 1) writeBatch();
        });
      }
    };
    writeBatch();
  });
}
