/** What a pipeline's `exec` answers: one `[error, reply]` per command (ioredis's shape). */
export type PipelineReplies = Array<[error: Error | null, reply: unknown]> | null;

/**
 * The Redis commands RedisCacheStore uses, shaped like ioredis so an ioredis `Redis` instance is
 * passed as is. node-redis clients go through `fromNodeRedis`, Redis Cluster through
 * `fromRedisCluster`. Only vanilla commands: GET, SET [EX], DEL, EXPIRE, MGET, SCAN, and for
 * batched writes MSET or a pipeline of SET … EX (both optional: without them a batch is parallel SETs).
 */
export interface RedisLike {
  /** GET: the value, or null when missing or expired. */
  get(key: string): Promise<string | null>;
  /** SET without expiry. */
  set(key: string, value: string): Promise<unknown>;
  /** SET … EX: the key expires after `seconds`. */
  set(key: string, value: string, expiryToken: 'EX', seconds: number): Promise<unknown>;
  /** DEL: how many of the keys existed. */
  del(...keys: string[]): Promise<number>;
  /** EXPIRE: 1 when the key existed and now expires, else 0. Optional. */
  expire?(key: string, seconds: number): Promise<number>;
  /** MGET: one value or null per key, in order. */
  mget(...keys: string[]): Promise<Array<string | null>>;
  /** MSET key value [key value …]: a batch without expiry in one command. */
  mset?(...keyValues: string[]): Promise<unknown>;
  /** A pipeline of commands (`[['set', key, value, 'EX', ttl], …]`) sent in one write, answered in one read. */
  pipeline?(commands: string[][]): {
    /** Send every queued command and collect one `[error, reply]` per command, in order. */
    exec(): Promise<PipelineReplies>;
  };
  /** SCAN cursor MATCH pattern COUNT count: the next cursor ("0" when done) and a page of keys. */
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
  /** GET (node-redis may answer a Buffer in binary mode). */
  get(key: string): Promise<unknown>;
  /** SET, with `{ EX: seconds }` for expiry. */
  set(key: string, value: string, options?: { EX?: number }): Promise<unknown>;
  /** DEL of many keys (node-redis takes an array). */
  del(keys: string[]): Promise<unknown>;
  /** EXPIRE key seconds. */
  expire(key: string, seconds: number): Promise<unknown>;
  /** MGET of many keys (node-redis takes an array). */
  mGet(keys: string[]): Promise<unknown[]>;
  /** MSET of alternating keys and values. Optional. */
  mSet?(keyValues: string[]): Promise<unknown>;
  /** SCAN with an options object, answered as `{ cursor, keys }`. */
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
    ...(typeof client.mSet === 'function'
      ? {
          async mset(...keyValues: string[]) {
            return client.mSet!(keyValues);
          }
        }
      : {}),
    // node-redis pipelines every command issued in one tick on its own: issuing them together is the pipeline.
    pipeline: (commands) =>
      parallelPipeline(commands, (key, value, seconds) => setWithExpiry(client, key, value, seconds)),
    async scan(cursor, _matchToken, pattern, _countToken, count) {
      const reply = await client.scan(cursor, { MATCH: pattern, COUNT: count });
      return [String(reply.cursor), reply.keys.map(String)];
    }
  };
}

function setWithExpiry(client: NodeRedisClientLike, key: string, value: string, seconds: number | undefined) {
  return client.set(key, value, seconds === undefined ? undefined : { EX: seconds });
}

/**
 * A pipeline of SET [EX] commands run as parallel calls, for clients that pipeline on their own
 * (node-redis, an ioredis Cluster routing each key to its node). Only `set` commands are accepted:
 * that is all RedisCacheStore batches.
 */
export function parallelPipeline(
  commands: string[][],
  set: (key: string, value: string, seconds: number | undefined) => Promise<unknown>
): {
  /** Run every SET in parallel; unsupported commands answer an error in their slot. */
  exec(): Promise<PipelineReplies>;
} {
  return {
    exec: () =>
      Promise.all(
        commands.map(([name, key, value, ex, seconds]): Promise<[Error | null, unknown]> => {
          if (name !== 'set' || key === undefined || value === undefined) {
            return Promise.resolve([new Error(`unsupported pipelined command ${name}`), null]);
          }
          return set(key, value, ex === 'EX' ? Number(seconds) : undefined).then(
            (reply): [Error | null, unknown] => [null, reply],
            (error: unknown): [Error | null, unknown] => [
              error instanceof Error ? error : new Error(String(error)),
              null
            ]
          );
        })
      )
  };
}

/** Values that are not strings (a Buffer from a binary-mode client, a wrong type) read as text or miss. */
function asString(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return null;
}
