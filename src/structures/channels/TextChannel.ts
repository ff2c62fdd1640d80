import type { Collection } from '../../cache/Collection.js';
import { ID_NONE, ID_UNPACKED, packedLow, packHigh, unpackID } from '../compactID.js';
import type { Guild } from '../Guild.js';
import type { Message, MessagePayload } from '../Message.js';
import { parseTimestamp } from '../time.js';
import { GuildChannel } from './GuildChannel.js';
import type { ChannelPayload } from './types.js';

/**
 * Fields most text channels leave at their default, and the messages collection (made on first
 * use): kept in a side object only channels that need one allocate, so an idle text channel is
 * 3 slots smaller.
 */
interface TextChannelRare {
  rateLimitPerUser: number;
  lastPinTimestamp: number | null;
  defaultAutoArchiveDuration: number | undefined;
  /** lastMessageID when it is not a packable snowflake. */
  lastMessageRaw: string | null;
  messages: Collection<string, Message, MessagePayload> | null;
}

/** A guild text channel (type 0). `messages` is created on first use, honoring messageLimit. */
export class TextChannel extends GuildChannel {
  declare topic: string | null;
  /** lastMessageID packed (compactID.ts): high word or ID_NONE / ID_UNPACKED, low word. */
  declare private _lastHigh: number;
  declare private _lastLow: number;
  declare private _rare: TextChannelRare | null;

  constructor(data: ChannelPayload, guild: Guild) {
    super(data, guild);
    this.topic = data.topic ?? null;
    this._lastHigh = ID_NONE;
    this._lastLow = 0;
    this._rare = null;
    if (data.last_message_id != null) this.lastMessageID = data.last_message_id;
    this.updateRare(data);
  }

  /** Apply a CHANNEL_UPDATE payload in place, including topic, last message, slowmode and last pin. */
  override update(data: Partial<ChannelPayload>): void {
    super.update(data);
    if (data.topic !== undefined) this.topic = data.topic;
    if (data.last_message_id !== undefined) this.lastMessageID = data.last_message_id;
    this.updateRare(data);
  }

  private updateRare(data: Partial<ChannelPayload>): void {
    if (typeof data.rate_limit_per_user === 'number') this.rateLimitPerUser = data.rate_limit_per_user;
    if (data.last_pin_timestamp !== undefined) this.lastPinTimestamp = parseTimestamp(data.last_pin_timestamp);
    if (data.default_auto_archive_duration !== undefined) {
      this.defaultAutoArchiveDuration = data.default_auto_archive_duration;
    }
  }

  /** Id of the last message sent in the channel, or null. */
  get lastMessageID(): string | null {
    const high = this._lastHigh;
    if (high === ID_NONE) return null;
    return high === ID_UNPACKED ? (this._rare?.lastMessageRaw ?? null) : unpackID(high, this._lastLow);
  }

  set lastMessageID(value: string | null) {
    if (value === null || typeof value !== 'string') {
      this._lastHigh = ID_NONE;
      return;
    }
    this._lastHigh = packHigh(value);
    this._lastLow = packedLow();
    if (this._lastHigh === ID_UNPACKED) this.rare().lastMessageRaw = value;
  }

  /** The side object, allocated on the first non-default write. */
  private rare(): TextChannelRare {
    return (this._rare ??= {
      rateLimitPerUser: 0,
      lastPinTimestamp: null,
      defaultAutoArchiveDuration: undefined,
      lastMessageRaw: null,
      messages: null
    });
  }

  /** Slowmode seconds (0 when off). */
  get rateLimitPerUser(): number {
    return this._rare?.rateLimitPerUser ?? 0;
  }

  set rateLimitPerUser(value: number) {
    if (value !== 0 || this._rare !== null) this.rare().rateLimitPerUser = value;
  }

  /** ms since 1970 of the last pin, or null. */
  get lastPinTimestamp(): number | null {
    return this._rare?.lastPinTimestamp ?? null;
  }

  set lastPinTimestamp(value: number | null) {
    if (value !== null || this._rare !== null) this.rare().lastPinTimestamp = value;
  }

  get defaultAutoArchiveDuration(): number | undefined {
    return this._rare?.defaultAutoArchiveDuration;
  }

  set defaultAutoArchiveDuration(value: number | undefined) {
    if (value !== undefined || this._rare !== null) this.rare().defaultAutoArchiveDuration = value;
  }

  /** Cached messages (a NullCollection when messageLimit is 0). */
  get messages(): Collection<string, Message, MessagePayload> {
    const rare = this.rare();
    return (rare.messages ??= this.guild.context.cache.messages(this));
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON([
      'defaultAutoArchiveDuration',
      'lastMessageID',
      'lastPinTimestamp',
      'rateLimitPerUser',
      'topic',
      ...props
    ]);
  }
}
