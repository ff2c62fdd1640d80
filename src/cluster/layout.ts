/** How a manager's shard range is cut into contiguous cluster ranges. */

export interface ShardRange {
  first: number;
  last: number;
}

/**
 * Split `first..last` into `clusters` contiguous ranges whose sizes differ by at most one (earlier
 * clusters take the remainder). Fewer shards than clusters gives one cluster per shard.
 */
export function splitShardRange(first: number, last: number, clusters: number): ShardRange[] {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first < 0 || last < first) {
    throw new RangeError(`invalid shard range ${first}..${last}`);
  }
  if (!Number.isSafeInteger(clusters) || clusters < 1) throw new RangeError(`clusters must be >= 1, got ${clusters}`);
  const shards = last - first + 1;
  const count = Math.min(clusters, shards);
  const base = Math.floor(shards / count);
  const extra = shards % count;
  const ranges: ShardRange[] = [];
  let next = first;
  for (let i = 0; i < count; i++) {
    const size = base + (i < extra ? 1 : 0);
    ranges.push({ first: next, last: next + size - 1 });
    next += size;
  }
  return ranges;
}
