import type { APIGuildForumDefaultReactionEmoji, APIGuildForumTag } from 'discord-api-types/v10';
import type { Guild } from '../Guild.js';
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

/** A forum channel (type 15): posts are threads. */
export class ForumChannel extends GuildChannel {
  declare topic: string | null;
  declare rateLimitPerUser: number;
  /** Id of the most recent thread, or null. */
  declare lastMessageID: string | null;
  declare defaultAutoArchiveDuration: number | undefined;
  declare availableTags: ForumTag[];
  declare defaultReactionEmoji: { emojiID: string | null; emojiName: string | null } | null;
  declare defaultSortOrder: number | null;
  declare defaultForumLayout: number;
  declare defaultThreadRateLimitPerUser: number;

  constructor(data: ChannelPayload, guild: Guild) {
    super(data, guild);
    this.topic = data.topic ?? null;
    this.rateLimitPerUser = data.rate_limit_per_user ?? 0;
    this.lastMessageID = data.last_message_id ?? null;
    this.defaultAutoArchiveDuration = data.default_auto_archive_duration;
    this.availableTags = toTags(data.available_tags);
    this.defaultReactionEmoji = toReaction(data.default_reaction_emoji);
    this.defaultSortOrder = data.default_sort_order ?? null;
    this.defaultForumLayout = data.default_forum_layout ?? 0;
    this.defaultThreadRateLimitPerUser = data.default_thread_rate_limit_per_user ?? 0;
  }

  /** Apply a CHANNEL_UPDATE payload in place, including topic, slowmode, tags and forum defaults. */
  override update(data: Partial<ChannelPayload>): void {
    super.update(data);
    if (data.topic !== undefined) this.topic = data.topic;
    if (data.rate_limit_per_user !== undefined) this.rateLimitPerUser = data.rate_limit_per_user;
    if (data.last_message_id !== undefined) this.lastMessageID = data.last_message_id;
    if (data.default_auto_archive_duration !== undefined) {
      this.defaultAutoArchiveDuration = data.default_auto_archive_duration;
    }
    if (data.available_tags !== undefined) this.availableTags = toTags(data.available_tags);
    if (data.default_reaction_emoji !== undefined) this.defaultReactionEmoji = toReaction(data.default_reaction_emoji);
    if (data.default_sort_order !== undefined) this.defaultSortOrder = data.default_sort_order;
    if (data.default_forum_layout !== undefined) this.defaultForumLayout = data.default_forum_layout;
    if (data.default_thread_rate_limit_per_user !== undefined) {
      this.defaultThreadRateLimitPerUser = data.default_thread_rate_limit_per_user;
    }
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

function toTags(tags: APIGuildForumTag[] | undefined): ForumTag[] {
  if (!Array.isArray(tags)) return [];
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
