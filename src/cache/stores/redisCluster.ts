import { parallelPipeline, type RedisLike } from './RedisLike.js';

/**
 * What `fromRedisCluster` needs: a cluster client that routes single-slot commands by key (an
 * ioredis `Cluster` does) and lists its masters as clients that can SCAN.
 */
export interface RedisClusterLike {
  /** GET, routed to the key's node. */
  get(key: string): Promise<string | null>;
  /** SET without expiry, routed to the key's node. */
  set(key: string, value: string): Promise<unknown>;
  /** SET … EX, routed to the key's node. */
  set(key: string, value: string, expiryToken: 'EX', seconds: number): Promise<unknown>;
  /** DEL of keys that share one hash slot (fromRedisCluster groups them). */
  del(...keys: string[]): Promise<number>;
  /** EXPIRE, routed to the key's node. */
  expire(key: string, seconds: number): Promise<number>;
  /** MGET of keys that share one hash slot (fromRedisCluster groups them). */
  mget(...keys: string[]): Promise<Array<string | null>>;
  /** The master nodes, each SCANned in turn, since a cluster SCAN only covers one node. */
  nodes(role: 'master'): Array<Pick<RedisLike, 'scan'>>;
}

/** CRC16-XMODEM table (polynomial 0x1021), the checksum Redis Cluster uses for key slots. */
const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

const encoder = new TextEncoder();

/**
 * The cluster hash slot (0–16383) of a key: CRC16 of the key, or of the text between the first
 * `{` and the next `}` when that text is non-empty (a hash tag), modulo 16384.
 */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open !== -1) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  let crc = 0;
  for (const byte of encoder.encode(key)) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff];
  return crc % 16384;
}

/** Group key positions by slot so each MGET/DEL stays within one slot (no CROSSSLOT error). */
function bySlot(keys: string[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  keys.forEach((key, index) => {
    const slot = keySlot(key);
    const group = groups.get(slot);
    if (group) group.push(index);
    else groups.set(slot, [index]);
  });
  return groups;
}

/**
 * Adapt a Redis Cluster client to RedisLike: MGET and DEL are split per hash slot, batched SETs run
 * in parallel and answered in
 * the caller's order; SCAN walks every master in turn with a composite cursor `"<node>:<cursor>"`
 * (returned `"0"` once the last master is done), so RedisCacheStore works unchanged.
 */
export function fromRedisCluster(cluster: RedisClusterLike): RedisLike {
  return {
    get: (key) => cluster.get(key),
    set(key: string, value: string, expiryToken?: 'EX', seconds?: number) {
      return expiryToken === 'EX' && seconds !== undefined
        ? cluster.set(key, value, 'EX', seconds)
        : cluster.set(key, value);
    },
    async del(...keys) {
      const counts = await Promise.all(
        [...bySlot(keys).values()].map((positions) => cluster.del(...positions.map((i) => keys[i])))
      );
      return counts.reduce((sum, n) => sum + n, 0);
    },
    expire: (key, seconds) => cluster.expire(key, seconds),
    // No MSET (it would cross slots); a batch is parallel SETs, which the cluster client routes and
    // pipelines per node.
    pipeline: (commands) =>
      parallelPipeline(commands, (key, value, seconds) =>
        seconds === undefined ? cluster.set(key, value) : cluster.set(key, value, 'EX', seconds)
      ),
    async mget(...keys) {
      const out = new Array<string | null>(keys.length).fill(null);
      await Promise.all(
        [...bySlot(keys).values()].map(async (positions) => {
          const values = await cluster.mget(...positions.map((i) => keys[i]));
          positions.forEach((position, j) => {
            out[position] = values[j] ?? null;
          });
        })
      );
      return out;
    },
    async scan(cursor, matchToken, pattern, countToken, count) {
      const masters = cluster.nodes('master');
      let [node, nodeCursor] = parseCursor(cursor);
      while (node < masters.length) {
        const [next, keys] = await masters[node].scan(nodeCursor, matchToken, pattern, countToken, count);
        if (next !== '0') return [`${node}:${next}`, keys];
        node++;
        nodeCursor = '0';
        if (keys.length > 0) return [node < masters.length ? `${node}:0` : '0', keys];
      }
      return ['0', []];
    }
  };
}

function parseCursor(cursor: string): [node: number, cursor: string] {
  if (cursor === '0') return [0, '0'];
  const colon = cursor.indexOf(':');
  const node = Number(cursor.slice(0, colon));
  return colon > 0 && Number.isInteger(node) && node >= 0 ? [node, cursor.slice(colon + 1)] : [0, '0'];
}
