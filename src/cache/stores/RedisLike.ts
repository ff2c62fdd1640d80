/**
 * The Redis commands RedisCacheStore uses, shaped like ioredis so an ioredis `Redis` instance is
 * passed as is. node-redis clients go through `fromNodeRedis`, Redis Cluster through
 * `fromRedisCluster`. Only vanilla commands: GET, SET [EX], DEL, EXPIRE, MGET, SCAN.
 */
export interface RedisLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  set(key: string, value: string, expiryToken: 'EX', seconds: number): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  expire?(key: string, seconds: number): Promise<number>;
  mget(...keys: string[]): Promise<Array<string | null>>;
  scan(
    cursor: string,
    matchToken: 'MATCH',
    pattern: string,
    countToken: 'COUNT',
    count: number
  ): Promise<[cursor: string, keys: string[]]>;
}

/** The subset of a node-redis (v4 and later) client that `fromNodeRedis` needs. */
export interface NodeRedisClientLike {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options?: { EX?: number }): Promise<unknown>;
  del(keys: string[]): Promise<unknown>;
  expire(key: string, seconds: number): Promise<unknown>;
  mGet(keys: string[]): Promise<unknown[]>;
  scan(cursor: string, options?: { MATCH?: string; COUNT?: number }): Promise<{ cursor: unknown; keys: unknown[] }>;
}

/**
 * Adapt a node-redis client (`createClient()` from `redis` v4+, connected) to RedisLike.
 * node-redis spells commands `mGet`, takes options objects and answers SCAN with `{ cursor, keys }`.
 */
export function fromNodeRedis(client: NodeRedisClientLike): RedisLike {
  return {
    async get(key) {
      return asString(await client.get(key));
    },
    async set(key: string, value: string, expiryToken?: 'EX', seconds?: number) {
      return client.set(key, value, expiryToken === 'EX' && seconds !== undefined ? { EX: seconds } : undefined);
    },
    async del(...keys) {
      if (keys.length === 0) return 0;
      return Number(await client.del(keys));
    },
    async expire(key, seconds) {
      return Number(await client.expire(key, seconds));
    },
    async mget(...keys) {
      if (keys.length === 0) return [];
      return (await client.mGet(keys)).map(asString);
    },
    async scan(cursor, _matchToken, pattern, _countToken, count) {
      const reply = await client.scan(cursor, { MATCH: pattern, COUNT: count });
      return [String(reply.cursor), reply.keys.map(String)];
    }
  };
}

/** Values that are not strings (a Buffer from a binary-mode client, a wrong type) read as text or miss. */
function asString(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return null;
}
