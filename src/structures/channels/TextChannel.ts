import type { Collection } from '../../cache/Collection.js';
import type { Message, MessagePayload } from '../Message.js';
import { parseTimestamp } from '../time.js';
import type { ChannelTable } from './ChannelTable.js';
import { GuildChannel } from './GuildChannel.js';
import type { ChannelPayload } from './types.js';

/**
 * A guild text channel (type 0). The last message id is a column of the guild's channel table, the
 * topic a column made once a channel has one; slowmode, the last pin and the default auto-archive
 * duration sit in the slot's side object, made only for a channel that sets them. `messages` is
 * created on first use, honoring messageLimit.
 */
export class TextChannel extends GuildChannel {
  /** @internal A payload's fields, topic, last message, slowmode and last pin included, written into a slot. */
  static override write(table: ChannelTable, slot: number, data: Partial<ChannelPayload>): void {
    GuildChannel.write(table, slot, data);
    if (data.topic !== undefined) table.setTopic(slot, data.topic ?? null);
    if (data.last_message_id !== undefined) table.setLastMessageID(slot, data.last_message_id);
    if (typeof data.rate_limit_per_user === 'number') {
      table.rareSet(slot, 'rateLimitPerUser', data.rate_limit_per_user, 0);
    }
    if (data.last_pin_timestamp !== undefined) {
      table.rareSet(slot, 'lastPinTimestamp', parseTimestamp(data.last_pin_timestamp), null);
    }
    if (data.default_auto_archive_duration !== undefined) {
      table.rareSet(slot, 'defaultAutoArchiveDuration', data.default_auto_archive_duration, undefined);
    }
  }

  get topic(): string | null {
    return this.t().topic(this._slot);
  }

  set topic(value: string | null) {
    this.t().setTopic(this._slot, value ?? null);
  }

  /** Id of the last message sent in the channel, or null. */
  get lastMessageID(): string | null {
    return this.lastMessageIDValue;
  }

  set lastMessageID(value: string | null) {
    this.lastMessageIDValue = value;
  }

  /** Slowmode seconds (0 when off). */
  get rateLimitPerUser(): number {
    return this.rareGet('rateLimitPerUser', 0);
  }

  set rateLimitPerUser(value: number) {
    this.rareSet('rateLimitPerUser', value, 0);
  }

  /** ms since 1970 of the last pin, or null. */
  get lastPinTimestamp(): number | null {
    return this.rareGet('lastPinTimestamp', null);
  }

  set lastPinTimestamp(value: number | null) {
    this.rareSet('lastPinTimestamp', value, null);
  }

  get defaultAutoArchiveDuration(): number | undefined {
    return this.rareGet<number | undefined>('defaultAutoArchiveDuration', undefined);
  }

  set defaultAutoArchiveDuration(value: number | undefined) {
    this.rareSet('defaultAutoArchiveDuration', value, undefined);
  }

  /** Cached messages (a NullCollection when messageLimit is 0). */
  get messages(): Collection<string, Message, MessagePayload> {
    return this.messagesCollection();
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
