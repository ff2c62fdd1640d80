/**
 * Whole member lists (op 8 with query '' and limit 0) at fleet scale. Each request first takes its
 * guild's slot (`MemberRequestSlots`: one per guild per 30 s, fleet-wide with Redis), so two
 * processes asking for the same guild are spaced instead of one being refused. When Discord still
 * answers RATE_LIMITED (a request sent by something outside the slots, or a slot taken long
 * before a reconnecting shard could send), the slot is blocked for `retry_after` and the request
 * waits for it and goes again: nothing is lost, only later.
 *
 * By default members are streamed: they enter the guild's members collection chunk by chunk (a
 * RemoteBackedCollection writes each through and keeps its hot set) and the result only counts
 * them, so a guild of a million members never sits in this heap as one array.
 */
import { GuildMembersRateLimitedError } from '../gateway/errors.js';
import type { GuildMembersResult, RequestGuildMembersOptions } from '../gateway/MemberRequests.js';
import { InvalidOptionError } from '../util/errors.js';
import { LocalMemberRequestSlots, type MemberRequestSlots } from './MemberRequestSlots.js';

/** Something that sends op 8 for a guild on the shard owning it (a ShardManager or a Client). */
export interface GuildMembersRequester {
  /** Send op 8 and resolve when every chunk arrived. */
  requestGuildMembers(guildID: string, options?: RequestGuildMembersOptions): Promise<GuildMembersResult>;
}

/** Options of one whole-list fetch. */
export interface FetchAllMembersOptions {
  /** Include presences (needs GUILD_PRESENCES). */
  presences?: boolean;
  /** Milliseconds without a chunk before the request fails (GuildMembersTimeoutError). Default: the client's requestTimeout. */
  timeout?: number;
  /** Stream members into the cache without collecting them in the result. Default true. */
  stream?: boolean;
  /** RATE_LIMITED answers waited out and retried before the error is thrown. Default 3. */
  maxRetries?: number;
  /** Give up waiting (for the slot or a retry) when aborted. */
  signal?: AbortSignal;
}

/** Counters of a MemberChunkScheduler. */
export interface MemberChunkSchedulerStats {
  /** Requests sent (retries included). */
  requests: number;
  /** Whole lists completed. */
  completed: number;
  /** RATE_LIMITED answers received. */
  rateLimited: number;
  /** Requests that failed for good (timeout, retries spent, shard gone, aborted). */
  failed: number;
  /** Members received over all completed lists. */
  members: number;
}

/** Schedules whole-member-list requests within the per-guild limit and retries RATE_LIMITED. */
export class MemberChunkScheduler {
  readonly stats: MemberChunkSchedulerStats = { requests: 0, completed: 0, rateLimited: 0, failed: 0, members: 0 };
  readonly slots: MemberRequestSlots;

  constructor(
    private readonly requester: GuildMembersRequester,
    slots?: MemberRequestSlots
  ) {
    if (requester === null || typeof requester?.requestGuildMembers !== 'function') {
      throw new InvalidOptionError('requester', 'a ShardManager or Client', requester);
    }
    if (
      slots !== undefined &&
      (slots === null || typeof slots.acquire !== 'function' || typeof slots.block !== 'function')
    ) {
      throw new InvalidOptionError('memberRequestSlots', 'a MemberRequestSlots (acquire and block)', slots);
    }
    this.slots = slots ?? new LocalMemberRequestSlots();
  }

  /** Every member of a guild, within the per-guild limit; streamed into the cache by default. */
  async fetchAllMembers(guildID: string, options: FetchAllMembersOptions = {}): Promise<GuildMembersResult> {
    if (options === null || typeof options !== 'object') throw new InvalidOptionError('options', 'an object', options);
    const maxRetries = options.maxRetries ?? 3;
    if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
      throw new InvalidOptionError('maxRetries', 'a non-negative integer', maxRetries);
    }
    const request: RequestGuildMembersOptions = { stream: options.stream ?? true };
    if (options.presences !== undefined) request.presences = options.presences;
    if (options.timeout !== undefined) request.timeout = options.timeout;
    try {
      for (let attempt = 0; ; attempt++) {
        await this.slots.acquire(guildID, options.signal);
        this.stats.requests++;
        try {
          const result = await this.requester.requestGuildMembers(guildID, request);
          this.stats.completed++;
          this.stats.members += result.received;
          return result;
        } catch (error) {
          if (!(error instanceof GuildMembersRateLimitedError)) throw error;
          this.stats.rateLimited++;
          if (attempt >= maxRetries) throw error;
          // Everyone (this process and, with Redis, the fleet) stays off the guild until retry_after.
          await this.slots.block(guildID, error.retryAfter);
        }
      }
    } catch (error) {
      this.stats.failed++;
      throw error;
    }
  }
}
