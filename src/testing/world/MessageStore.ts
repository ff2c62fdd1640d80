/**
 * Messages created after generation, edits/deletes of generated messages, and who reacted with
 * what. Kept apart from guild state so message and reaction traffic does not pin whole guilds in
 * memory. Bounded per channel: the oldest created messages fall off.
 */
import type { APIMessage } from 'discord-api-types/v10';
import { makeSnowflake } from '../../util/snowflake.js';

export class MessageStore {
  private readonly created = new Map<string, APIMessage[]>();
  private readonly byID = new Map<string, APIMessage>();
  /** Generated messages that were edited (the new value) or deleted (null). */
  private readonly overrides = new Map<string, APIMessage | null>();
  /** messageID -> emoji key -> user ids, in reaction order. */
  private readonly reactions = new Map<string, Map<string, Set<string>>>();
  private readonly lastMessage = new Map<string, string>();
  private lastMs = 0;
  private increment = 0;

  constructor(private readonly maxPerChannel: number) {}

  /** A fresh snowflake for now, strictly increasing across calls. */
  nextID(): string {
    const now = Date.now();
    if (now > this.lastMs) {
      this.lastMs = now;
      this.increment = 0;
    } else if (++this.increment > 0xfff) {
      this.lastMs++;
      this.increment = 0;
    }
    return makeSnowflake(this.lastMs, this.increment);
  }

  add(message: APIMessage): void {
    let list = this.created.get(message.channel_id);
    if (!list) this.created.set(message.channel_id, (list = []));
    list.push(message);
    this.byID.set(message.id, message);
    this.lastMessage.set(message.channel_id, message.id);
    while (list.length > this.maxPerChannel) {
      const dropped = list.shift()!;
      this.byID.delete(dropped.id);
      this.reactions.delete(dropped.id);
    }
  }

  getCreated(id: string): APIMessage | undefined {
    return this.byID.get(id);
  }

  createdIn(channelID: string): readonly APIMessage[] {
    return this.created.get(channelID) ?? [];
  }

  replaceCreated(message: APIMessage): void {
    const list = this.created.get(message.channel_id);
    if (!list) return;
    const i = list.findIndex((m) => m.id === message.id);
    if (i >= 0) list[i] = message;
    this.byID.set(message.id, message);
  }

  deleteCreated(channelID: string, id: string): void {
    const list = this.created.get(channelID);
    if (list) {
      const i = list.findIndex((m) => m.id === id);
      if (i >= 0) list.splice(i, 1);
    }
    this.byID.delete(id);
    this.reactions.delete(id);
  }

  override(id: string): APIMessage | null | undefined {
    return this.overrides.get(id);
  }

  setOverride(id: string, message: APIMessage | null): void {
    this.overrides.set(id, message);
    if (message === null) this.reactions.delete(id);
  }

  lastMessageID(channelID: string): string | undefined {
    return this.lastMessage.get(channelID);
  }

  /** Adds a reaction; false when the user had already reacted with that emoji. */
  addReaction(messageID: string, emojiKey: string, userID: string): boolean {
    let byEmoji = this.reactions.get(messageID);
    if (!byEmoji) this.reactions.set(messageID, (byEmoji = new Map()));
    let users = byEmoji.get(emojiKey);
    if (!users) byEmoji.set(emojiKey, (users = new Set()));
    if (users.has(userID)) return false;
    users.add(userID);
    return true;
  }

  removeReaction(messageID: string, emojiKey: string, userID: string): boolean {
    const users = this.reactions.get(messageID)?.get(emojiKey);
    if (!users?.delete(userID)) return false;
    if (users.size === 0) this.reactions.get(messageID)!.delete(emojiKey);
    return true;
  }

  hasReacted(messageID: string, emojiKey: string, userID: string): boolean {
    return this.reactions.get(messageID)?.get(emojiKey)?.has(userID) ?? false;
  }

  reactors(messageID: string, emojiKey: string): string[] {
    return [...(this.reactions.get(messageID)?.get(emojiKey) ?? [])];
  }

  reactionsOn(messageID: string): ReadonlyMap<string, ReadonlySet<string>> {
    return this.reactions.get(messageID) ?? new Map();
  }
}
