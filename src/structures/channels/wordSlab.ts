/**
 * Int32Arrays carved out of shared ArrayBuffers (slabs) for the arrays a guild keeps for good
 * after its GUILD_CREATE (its channel rows and overwrites, see shareBuffer in ChannelTable.ts).
 *
 * A typed array of its own costs, besides its bytes, an ArrayBuffer object (~90 bytes of heap) and
 * an off-heap backing-store record; a view into a slab costs only the view. The price: a slab is
 * freed when every view into it is gone, so the space of a table that later grows (it then gets an
 * array of its own) or of a guild that leaves stays taken until its slab's other guilds go too. A
 * slab is small (SLAB_BYTES, a few dozen guilds), which bounds what one survivor can hold.
 */

/** Bytes per slab. */
const SLAB_BYTES = 16384;
/** Larger requests get an array of their own (a big guild's table would fill a slab alone). */
const MAX_SLAB_WORDS = SLAB_BYTES / 4 / 8;

let slab: ArrayBuffer | null = null;
let offset = 0;

/** `count` zeroed words: a view into the current slab, or an array of its own when large. */
export function slabWords(count: number): Int32Array {
  if (count > MAX_SLAB_WORDS || count <= 0) return new Int32Array(count);
  const bytes = count * Int32Array.BYTES_PER_ELEMENT;
  if (slab === null || offset + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    offset = 0;
  }
  const words = new Int32Array(slab, offset, count);
  offset += bytes;
  return words;
}
