/**
 * Request Guild Members (op 8) bookkeeping for one shard: builds the payload with a nonce, collects
 * GUILD_MEMBERS_CHUNKs by nonce until every chunk arrived, and honours RATE_LIMITED (Discord allows
 * one whole-list request per guild per 30 s): the pending request fails with a typed error and
 * further whole-list requests for that guild fail locally, without being sent, until retry_after.
 *
 * In streaming mode (`stream: true`) the chunks' members are not collected: they enter the guild's
 * members collection chunk by chunk through the GUILD_MEMBERS_CHUNK handler (a RemoteBackedCollection
 * writes each through and keeps only its hot set), and the result only counts them. Then the
 * timeout is an idle timeout, restarted by every chunk: a guild of a million members takes a
 * thousand chunks, and only silence means the request is lost.
 */
import type { APIGuildMember, GatewayPresenceUpdate } from 'discord-api-types/v10';
import { InvalidOptionError } from '../util/errors.js';
import { GuildMembersRateLimitedError, GuildMembersTimeoutError } from './errors.js';

/** Options of `requestGuildMembers`: a query or user ids, a limit, presences and a timeout. */
export interface RequestGuildMembersOptions {
  /** Username prefix; '' with limit 0 (the default) asks for every member. */
  query?: string;
  /** Maximum members (0 = all, only with query ''). */
  limit?: number;
  /** Specific users (at most 100). */
  userIDs?: string[];
  /** Include presences (needs GUILD_PRESENCES). */
  presences?: boolean;
  /** Milliseconds before the request fails with GuildMembersTimeoutError (streaming: without a chunk). */
  timeout?: number;
  /**
   * Do not collect the members into the result (they still enter the guild's members collection):
   * `members` and `presences` stay empty, `received` counts them. For whole lists of large guilds.
   */
  stream?: boolean;
}

/** The answer to an op 8 member request: the member payloads, their presences, and the requested ids not found. */
export interface GuildMembersResult {
  /** The members (empty in streaming mode). */
  members: APIGuildMember[];
  /** Their presences, when asked for (empty in streaming mode). */
  presences: GatewayPresenceUpdate[];
  notFound: unknown[];
  /** Members received over all chunks (streaming or not). */
  received: number;
  /** Chunks received. */
  chunks: number;
}

interface Pending {
  guildID: string;
  wholeList: boolean;
  stream: boolean;
  wait: number;
  result: GuildMembersResult;
  chunksSeen: Set<number>;
  timer: NodeJS.Timeout;
  resolve: (result: GuildMembersResult) => void;
  reject: (error: Error) => void;
}

const SNOWFLAKE = /^\d{1,20}$/;

export class MemberRequests {
  private readonly pending = new Map<string, Pending>();
  private readonly rateLimitedUntil = new Map<string, number>();
  private counter = 0;

  constructor(
    private readonly shardID: number,
    private readonly defaultTimeout: number
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** Validate, register and return the op 8 payload plus the promise of its result. */
  create(
    guildID: string,
    options: RequestGuildMembersOptions = {}
  ): { payload: Record<string, unknown>; promise: Promise<GuildMembersResult> } {
    if (typeof guildID !== 'string' || !SNOWFLAKE.test(guildID)) {
      throw new InvalidOptionError('guildID', 'a snowflake string', guildID);
    }
    const { query, limit, userIDs, presences, timeout, stream } = options;
    if (userIDs !== undefined) {
      if (!Array.isArray(userIDs) || userIDs.length === 0 || userIDs.length > 100) {
        throw new InvalidOptionError('userIDs', 'an array of 1 to 100 user ids', userIDs);
      }
      for (const id of userIDs) {
        if (typeof id !== 'string' || !SNOWFLAKE.test(id))
          throw new InvalidOptionError('userIDs', 'snowflake strings', id);
      }
    }
    if (query !== undefined && typeof query !== 'string') throw new InvalidOptionError('query', 'a string', query);
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0 || limit > 100)) {
      throw new InvalidOptionError('limit', 'an integer from 0 to 100', limit);
    }
    if (presences !== undefined && typeof presences !== 'boolean') {
      throw new InvalidOptionError('presences', 'a boolean', presences);
    }
    if (stream !== undefined && typeof stream !== 'boolean')
      throw new InvalidOptionError('stream', 'a boolean', stream);
    const wait = timeout ?? this.defaultTimeout;
    if (!Number.isSafeInteger(wait) || wait < 1) throw new InvalidOptionError('timeout', 'a positive integer', timeout);

    const payload: Record<string, unknown> = { guild_id: guildID };
    const wholeList = userIDs === undefined && (query ?? '') === '' && (limit ?? 0) === 0;
    if (userIDs !== undefined) payload.user_ids = userIDs;
    else {
      payload.query = query ?? '';
      payload.limit = limit ?? 0;
    }
    if (presences) payload.presences = true;

    const until = this.rateLimitedUntil.get(guildID);
    if (wholeList && until !== undefined) {
      const left = until - Date.now();
      if (left > 0) return { payload, promise: Promise.reject(new GuildMembersRateLimitedError(guildID, left)) };
      this.rateLimitedUntil.delete(guildID);
    }

    // Nonces are at most 32 bytes: shard, time and a counter in base 36 stay well under.
    const nonce = `${this.shardID.toString(36)}.${Date.now().toString(36)}.${(this.counter++).toString(36)}`;
    payload.nonce = nonce;
    const promise = new Promise<GuildMembersResult>((resolve, reject) => {
      this.pending.set(nonce, {
        guildID,
        wholeList,
        stream: stream === true,
        wait,
        result: { members: [], presences: [], notFound: [], received: 0, chunks: 0 },
        chunksSeen: new Set(),
        timer: this.timeoutOf(nonce, guildID, wait, reject),
        resolve,
        reject
      });
    });
    return { payload, promise };
  }

  private timeoutOf(nonce: string, guildID: string, wait: number, reject: (error: Error) => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const entry = this.pending.get(nonce);
      this.pending.delete(nonce);
      reject(new GuildMembersTimeoutError(guildID, wait, entry?.result.received ?? 0));
    }, wait);
    timer.unref?.();
    return timer;
  }

  /** Feed a GUILD_MEMBERS_CHUNK. Returns false when it matched no pending request or was malformed. */
  onChunk(d: Record<string, unknown>): boolean {
    const nonce = d.nonce;
    if (typeof nonce !== 'string') return false;
    const entry = this.pending.get(nonce);
    if (!entry) return false;
    const { chunk_index: index, chunk_count: count } = d;
    if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count)) return false;
    const i = index as number;
    const n = count as number;
    if (n < 1 || i < 0 || i >= n) return false;
    if (entry.chunksSeen.has(i)) return true;
    entry.chunksSeen.add(i);
    const { result } = entry;
    result.chunks++;
    if (Array.isArray(d.members)) {
      result.received += d.members.length;
      // push(...array) would spread up to 1,000 arguments on the stack; a loop does not.
      if (!entry.stream) for (const member of d.members as APIGuildMember[]) result.members.push(member);
    }
    if (Array.isArray(d.presences) && !entry.stream) {
      for (const presence of d.presences as GatewayPresenceUpdate[]) result.presences.push(presence);
    }
    if (Array.isArray(d.not_found)) for (const id of d.not_found) result.notFound.push(id);
    if (entry.stream && entry.chunksSeen.size < n) {
      clearTimeout(entry.timer);
      entry.timer = this.timeoutOf(nonce, entry.guildID, entry.wait, entry.reject);
    }
    if (entry.chunksSeen.size >= n) {
      clearTimeout(entry.timer);
      this.pending.delete(nonce);
      entry.resolve(entry.result);
    }
    return true;
  }

  /** Feed a RATE_LIMITED dispatch. Returns the typed error when it concerned op 8, else null. */
  onRateLimited(d: Record<string, unknown>): GuildMembersRateLimitedError | null {
    if (d.opcode !== 8) return null;
    const meta = d.meta !== null && typeof d.meta === 'object' ? (d.meta as Record<string, unknown>) : {};
    const retryAfter = typeof d.retry_after === 'number' && Number.isFinite(d.retry_after) ? d.retry_after : 30;
    const ms = Math.max(0, Math.min(Math.ceil(retryAfter * 1000), 3_600_000));
    let guildID = typeof meta.guild_id === 'string' ? meta.guild_id : null;
    const entry = typeof meta.nonce === 'string' ? this.pending.get(meta.nonce) : undefined;
    if (entry) guildID = entry.guildID;
    if (guildID === null) return null;
    this.rateLimitedUntil.set(guildID, Date.now() + ms);
    const error = new GuildMembersRateLimitedError(guildID, ms);
    if (entry && typeof meta.nonce === 'string') {
      clearTimeout(entry.timer);
      this.pending.delete(meta.nonce);
      entry.reject(error);
    }
    return error;
  }

  /** Fail everything pending (the shard stopped for good). */
  rejectAll(error: Error): void {
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    this.pending.clear();
  }
}
