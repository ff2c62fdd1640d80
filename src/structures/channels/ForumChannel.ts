import type { APIGuildForumDefaultReactionEmoji, APIGuildForumTag } from 'discord-api-types/v10';
import type { ChannelTable } from './ChannelTable.js';
import { GuildChannel } from './GuildChannel.js';
import type { ChannelPayload } from './types.js';

/** A forum tag in Eris's camelCase. */
export interface ForumTag {
  id: string;
  name: string;
  moderated: boolean;
  emojiID: string | null;
  emojiName: string | null;
}

/**
 * A forum channel (type 15): posts are threads. Topic and the last thread id are columns of the
 * guild's channel table; slowmode and the forum settings sit in the slot's side object.
 */
export class ForumChannel extends GuildChannel {
  /** @internal A payload's fields, topic, slowmode, tags and forum defaults included, written into a slot. */
  static override write(table: ChannelTable, slot: number, data: Partial<ChannelPayload>): void {
    GuildChannel.write(table, slot, data);
    if (data.topic !== undefined) table.setTopic(slot, data.topic ?? null);
    if (data.rate_limit_per_user !== undefined) table.rareSet(slot, 'rateLimitPerUser', data.rate_limit_per_user, 0);
    if (data.last_message_id !== undefined) table.setLastMessageID(slot, data.last_message_id);
    if (data.default_auto_archive_duration !== undefined) {
      table.rareSet(slot, 'defaultAutoArchiveDuration', data.default_auto_archive_duration, undefined);
    }
    if (data.available_tags !== undefined) table.rareSet(slot, 'availableTags', toTags(data.available_tags), NO_TAGS);
    if (data.default_reaction_emoji !== undefined) {
      table.rareSet(slot, 'defaultReactionEmoji', toReaction(data.default_reaction_emoji), null);
    }
    if (data.default_sort_order !== undefined) {
      table.rareSet(slot, 'defaultSortOrder', data.default_sort_order ?? null, null);
    }
    if (data.default_forum_layout !== undefined) {
      table.rareSet(slot, 'defaultForumLayout', data.default_forum_layout, 0);
    }
    if (data.default_thread_rate_limit_per_user !== undefined) {
      table.rareSet(slot, 'defaultThreadRateLimitPerUser', data.default_thread_rate_limit_per_user, 0);
    }
  }

  get topic(): string | null {
    return this.t().topic(this._slot);
  }

  set topic(value: string | null) {
    this.t().setTopic(this._slot, value ?? null);
  }

  get rateLimitPerUser(): number {
    return this.rareGet('rateLimitPerUser', 0);
  }

  set rateLimitPerUser(value: number) {
    this.rareSet('rateLimitPerUser', value, 0);
  }

  /** Id of the most recent thread, or null. */
  get lastMessageID(): string | null {
    return this.lastMessageIDValue;
  }

  set lastMessageID(value: string | null) {
    this.lastMessageIDValue = value;
  }

  get defaultAutoArchiveDuration(): number | undefined {
    return this.rareGet<number | undefined>('defaultAutoArchiveDuration', undefined);
  }

  set defaultAutoArchiveDuration(value: number | undefined) {
    this.rareSet('defaultAutoArchiveDuration', value, undefined);
  }

  get availableTags(): ForumTag[] {
    return this.rareGet<ForumTag[]>('availableTags', NO_TAGS);
  }

  set availableTags(value: ForumTag[]) {
    this.rareSet('availableTags', value, NO_TAGS);
  }

  get defaultReactionEmoji(): { emojiID: string | null; emojiName: string | null } | null {
    return this.rareGet('defaultReactionEmoji', null);
  }

  set defaultReactionEmoji(value: { emojiID: string | null; emojiName: string | null } | null) {
    this.rareSet('defaultReactionEmoji', value, null);
  }

  get defaultSortOrder(): number | null {
    return this.rareGet('defaultSortOrder', null);
  }

  set defaultSortOrder(value: number | null) {
    this.rareSet('defaultSortOrder', value ?? null, null);
  }

  get defaultForumLayout(): number {
    return this.rareGet('defaultForumLayout', 0);
  }

  set defaultForumLayout(value: number) {
    this.rareSet('defaultForumLayout', value, 0);
  }

  get defaultThreadRateLimitPerUser(): number {
    return this.rareGet('defaultThreadRateLimitPerUser', 0);
  }

  set defaultThreadRateLimitPerUser(value: number) {
    this.rareSet('defaultThreadRateLimitPerUser', value, 0);
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON([
      'availableTags',
      'defaultAutoArchiveDuration',
      'defaultForumLayout',
      'defaultReactionEmoji',
      'defaultSortOrder',
      'defaultThreadRateLimitPerUser',
      'lastMessageID',
      'rateLimitPerUser',
      'topic',
      ...props
    ]);
  }
}

/** Shared by every forum without tags (read-only by convention: tags are replaced, not edited). */
const NO_TAGS: ForumTag[] = [];

function toTags(tags: APIGuildForumTag[] | undefined): ForumTag[] {
  if (!Array.isArray(tags)) return [];
  // No tags reads as the shared default: no side object for a forum without tags.
  if (tags.length === 0) return NO_TAGS;
  return tags.map((tag) => ({
    id: tag.id,
    name: tag.name,
    moderated: tag.moderated,
    emojiID: tag.emoji_id,
    emojiName: tag.emoji_name
  }));
}

function toReaction(
  emoji: APIGuildForumDefaultReactionEmoji | null | undefined
): { emojiID: string | null; emojiName: string | null } | null {
  return emoji ? { emojiID: emoji.emoji_id, emojiName: emoji.emoji_name } : null;
}
