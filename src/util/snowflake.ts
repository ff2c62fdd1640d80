/** Snowflake helpers. Ids stay strings at the API surface; these convert only where math needs it. */

export const DISCORD_EPOCH = 1420070400000;

/** Milliseconds since the Unix epoch at which a snowflake was made. */
export function snowflakeTimestamp(id: string): number {
  return Number(BigInt(id) >> 22n) + DISCORD_EPOCH;
}

/** A snowflake for a time (and an optional 22-bit low part: worker, process, increment). */
export function makeSnowflake(ms: number, low = 0): string {
  return ((BigInt(ms - DISCORD_EPOCH) << 22n) | BigInt(low & 0x3fffff)).toString();
}

/** The shard a guild belongs to: (guild_id >> 22) % num_shards. */
export function shardForGuild(guildID: string, shardCount: number): number {
  return Number((BigInt(guildID) >> 22n) % BigInt(shardCount));
}

/** True for a decimal string that fits an unsigned 64-bit snowflake. */
export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,20}$/.test(value) && BigInt(value) < 1n << 64n;
}

/** Compare two snowflakes numerically (for ordering by id). */
export function compareSnowflakes(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
