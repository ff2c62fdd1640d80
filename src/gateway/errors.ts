import { AthenaError } from '../util/errors.js';

/**
 * The gateway closed a shard with a code after which reconnecting cannot help
 * (4004 bad token, 4010 invalid shard, 4011 sharding required, 4012 bad version,
 * 4013 invalid intents, 4014 disallowed intents). The shard stops; nothing reconnects it.
 */
export class GatewayFatalError extends AthenaError {
  override name = 'GatewayFatalError';
  constructor(
    readonly shardID: number,
    readonly code: number,
    reason: string
  ) {
    super(`Shard ${shardID} closed with fatal code ${code}${reason ? ` (${reason})` : ''}; it will not reconnect`);
  }
}

/** A shard did not get from connecting to READY/RESUMED within `connectionTimeout`. */
export class GatewayConnectionTimeoutError extends AthenaError {
  override name = 'GatewayConnectionTimeoutError';
  constructor(
    readonly shardID: number,
    readonly timeout: number,
    readonly state: string
  ) {
    super(`Shard ${shardID} timed out after ${timeout} ms while ${state}`);
  }
}

/** A Request Guild Members (op 8) did not receive all its chunks in time. */
export class GuildMembersTimeoutError extends AthenaError {
  override name = 'GuildMembersTimeoutError';
  constructor(
    readonly guildID: string,
    readonly timeout: number,
    readonly received: number
  ) {
    super(`Request Guild Members for guild ${guildID} timed out after ${timeout} ms (${received} members received)`);
  }
}

/** Discord answered a Request Guild Members with the RATE_LIMITED dispatch (or Athena honoured one). */
export class GuildMembersRateLimitedError extends AthenaError {
  override name = 'GuildMembersRateLimitedError';
  constructor(
    readonly guildID: string,
    /** Milliseconds until a whole-list request for this guild may be sent again. */
    readonly retryAfter: number
  ) {
    super(`Request Guild Members for guild ${guildID} is rate limited; retry after ${retryAfter} ms`);
  }
}

/** A command could not be sent because the shard stopped or was disconnected without reconnecting. */
export class ShardNotConnectedError extends AthenaError {
  override name = 'ShardNotConnectedError';
  constructor(
    readonly shardID: number,
    what: string
  ) {
    super(`Shard ${shardID} is not connected: ${what}`);
  }
}
