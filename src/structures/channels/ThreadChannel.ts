import type { Collection } from '../../cache/Collection.js';
import type { ChannelPermissionOptions } from '../../permissions/compute.js';
import { channelPermissions } from '../../permissions/compute.js';
import { NO_OVERWRITES } from '../../permissions/overwrites.js';
import type { Member } from '../Member.js';
import type { Message, MessagePayload } from '../Message.js';
import { parseTimestamp } from '../time.js';
import type { ChannelTable } from './ChannelTable.js';
import { GuildChannel } from './GuildChannel.js';
import type { ChannelPayload } from './types.js';

/** Eris's threadMetadata, timestamps as ms numbers. */
export interface ThreadMetadata {
  archived: boolean;
  archiveTimestamp: number | null;
  autoArchiveDuration: number;
  locked: boolean;
  invitable?: boolean;
  createTimestamp?: number | null;
}

/** The current user's membership of the thread (ThreadMember in the payload's `member`). */
export interface ThreadSelfMember {
  userID: string | undefined;
  joinTimestamp: number | null;
  flags: number;
}

/**
 * A thread (types 10, 11, 12). Permissions come from the parent channel's overwrites; a thread
 * keeps no copy of them. The last message id is a column of the guild's thread table; the
 * thread's own fields sit in its slot's side object.
 */
export class ThreadChannel extends GuildChannel {
  /** @internal A fresh slot's thread metadata (the defaults, stored). */
  static override init(table: ChannelTable, slot: number): void {
    table.rareSet(slot, 'threadMetadata', toMetadata(undefined), undefined);
  }

  /** @internal A THREAD_UPDATE payload's fields, owner, counts, tags and thread metadata included, written into a slot. */
  static override write(table: ChannelTable, slot: number, data: Partial<ChannelPayload>): void {
    GuildChannel.write(table, slot, data);
    if (data.owner_id !== undefined) table.setRareID(slot, '#owner', data.owner_id ?? null);
    if (data.last_message_id !== undefined) table.setLastMessageID(slot, data.last_message_id);
    if (data.rate_limit_per_user !== undefined) table.rareSet(slot, 'rateLimitPerUser', data.rate_limit_per_user, 0);
    if (data.last_pin_timestamp !== undefined) {
      table.rareSet(slot, 'lastPinTimestamp', parseTimestamp(data.last_pin_timestamp), null);
    }
    if (data.member_count !== undefined) table.rareSet(slot, 'memberCount', data.member_count, 0);
    if (data.message_count !== undefined) table.rareSet(slot, 'messageCount', data.message_count, 0);
    if (data.total_message_sent !== undefined) table.rareSet(slot, 'totalMessageSent', data.total_message_sent, 0);
    if (data.applied_tags !== undefined) {
      table.rareSet(slot, 'appliedTags', Array.isArray(data.applied_tags) ? data.applied_tags : NO_TAGS, NO_TAGS);
    }
    if (data.thread_metadata !== undefined) {
      table.rareSet(slot, 'threadMetadata', toMetadata(data.thread_metadata), undefined);
    }
    if (data.member !== undefined) table.rareSet(slot, 'member', toSelfMember(data.member), undefined);
  }

  get ownerID(): string | null {
    return this.t().rareID(this._slot, '#owner');
  }

  set ownerID(value: string | null) {
    this.t().setRareID(this._slot, '#owner', value ?? null);
  }

  get lastMessageID(): string | null {
    return this.lastMessageIDValue;
  }

  set lastMessageID(value: string | null) {
    this.lastMessageIDValue = value;
  }

  get rateLimitPerUser(): number {
    return this.rareGet('rateLimitPerUser', 0);
  }

  set rateLimitPerUser(value: number) {
    this.rareSet('rateLimitPerUser', value, 0);
  }

  get lastPinTimestamp(): number | null {
    return this.rareGet('lastPinTimestamp', null);
  }

  set lastPinTimestamp(value: number | null) {
    this.rareSet('lastPinTimestamp', value, null);
  }

  get memberCount(): number {
    return this.rareGet('memberCount', 0);
  }

  set memberCount(value: number) {
    this.rareSet('memberCount', value, 0);
  }

  get messageCount(): number {
    return this.rareGet('messageCount', 0);
  }

  set messageCount(value: number) {
    this.rareSet('messageCount', value, 0);
  }

  get totalMessageSent(): number {
    return this.rareGet('totalMessageSent', 0);
  }

  set totalMessageSent(value: number) {
    this.rareSet('totalMessageSent', value, 0);
  }

  get appliedTags(): readonly string[] {
    return this.rareGet<readonly string[]>('appliedTags', NO_TAGS);
  }

  set appliedTags(value: readonly string[]) {
    this.rareSet('appliedTags', Array.isArray(value) ? value : NO_TAGS, NO_TAGS);
  }

  get threadMetadata(): ThreadMetadata {
    return this.rareGet<ThreadMetadata>('threadMetadata', DEFAULT_METADATA);
  }

  set threadMetadata(value: ThreadMetadata) {
    this.rareSet('threadMetadata', value, undefined);
  }

  get member(): ThreadSelfMember | undefined {
    return this.rareGet<ThreadSelfMember | undefined>('member', undefined);
  }

  set member(value: ThreadSelfMember | undefined) {
    this.rareSet('member', value, undefined);
  }

  get messages(): Collection<string, Message, MessagePayload> {
    return this.messagesCollection();
  }

  /** The parent channel, if cached. */
  get parent(): GuildChannel | undefined {
    return this.parentID === null ? undefined : this.guild.channels.peek(this.parentID);
  }

  /**
   * Permissions in a thread are the parent's (its overwrites, and for voice rules its type); sending
   * needs SEND_MESSAGES_IN_THREADS. With the parent not cached, only guild-level permissions apply
   * (as in Eris).
   */
  override permissionBitsOf(memberOrID: Member | string, options?: ChannelPermissionOptions): bigint {
    const input = this.memberInput(memberOrID);
    const parent = this.parent;
    return channelPermissions(
      input,
      { type: this.type, overwrites: parent?.overwrites ?? NO_OVERWRITES, parentType: parent?.type },
      options
    );
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    const json = super.toJSON([
      'appliedTags',
      'lastMessageID',
      'lastPinTimestamp',
      'memberCount',
      'messageCount',
      'ownerID',
      'rateLimitPerUser',
      'threadMetadata',
      'totalMessageSent',
      'member',
      ...props
    ]);
    delete json.permissionOverwrites;
    return json;
  }
}

/** A public thread (type 11). */
export class PublicThreadChannel extends ThreadChannel {}
/** A private thread (type 12). */
export class PrivateThreadChannel extends ThreadChannel {}
/** A thread in an announcement channel (type 10). */
export class NewsThreadChannel extends ThreadChannel {}

const NO_TAGS: readonly string[] = Object.freeze([]);

function toMetadata(raw: ChannelPayload['thread_metadata']): ThreadMetadata {
  const metadata: ThreadMetadata = {
    archived: raw?.archived ?? false,
    archiveTimestamp: parseTimestamp(raw?.archive_timestamp),
    autoArchiveDuration: raw?.auto_archive_duration ?? 1440,
    locked: raw?.locked ?? false
  };
  if (raw?.invitable !== undefined) metadata.invitable = raw.invitable;
  if (raw?.create_timestamp !== undefined) metadata.createTimestamp = parseTimestamp(raw.create_timestamp);
  return metadata;
}

const DEFAULT_METADATA: ThreadMetadata = Object.freeze(toMetadata(undefined));

function toSelfMember(raw: ChannelPayload['member']): ThreadSelfMember | undefined {
  if (!raw) return undefined;
  return { userID: raw.user_id, joinTimestamp: parseTimestamp(raw.join_timestamp), flags: raw.flags ?? 0 };
}
