import type { Collection } from '../../cache/Collection.js';
import type { Guild } from '../Guild.js';
import type { Message, MessagePayload } from '../Message.js';
import { parseTimestamp } from '../time.js';
import { GuildChannel } from './GuildChannel.js';
import type { ChannelPayload } from './types.js';

/** A guild text channel (type 0). `messages` is created on first use, honoring messageLimit. */
export class TextChannel extends GuildChannel {
  topic: string | null;
  lastMessageID: string | null;
  rateLimitPerUser: number;
  /** ms since 1970 of the last pin, or null. */
  lastPinTimestamp: number | null;
  defaultAutoArchiveDuration: number | undefined;
  private _messages: Collection<string, Message, MessagePayload> | null;

  constructor(data: ChannelPayload, guild: Guild) {
    super(data, guild);
    this.topic = data.topic ?? null;
    this.lastMessageID = data.last_message_id ?? null;
    this.rateLimitPerUser = data.rate_limit_per_user ?? 0;
    this.lastPinTimestamp = parseTimestamp(data.last_pin_timestamp);
    this.defaultAutoArchiveDuration = data.default_auto_archive_duration;
    this._messages = null;
  }

  override update(data: Partial<ChannelPayload>): void {
    super.update(data);
    if (data.topic !== undefined) this.topic = data.topic;
    if (data.last_message_id !== undefined) this.lastMessageID = data.last_message_id;
    if (data.rate_limit_per_user !== undefined) this.rateLimitPerUser = data.rate_limit_per_user;
    if (data.last_pin_timestamp !== undefined) this.lastPinTimestamp = parseTimestamp(data.last_pin_timestamp);
    if (data.default_auto_archive_duration !== undefined) {
      this.defaultAutoArchiveDuration = data.default_auto_archive_duration;
    }
  }

  /** Cached messages (a NullCollection when messageLimit is 0). */
  get messages(): Collection<string, Message, MessagePayload> {
    return (this._messages ??= this.guild.context.cache.messages(this));
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
