import { Collection } from '../../cache/Collection.js';
import { Member } from '../Member.js';
import type { Message, MessagePayload } from '../Message.js';
import type { ChannelTable } from './ChannelTable.js';
import { GuildChannel } from './GuildChannel.js';
import type { ChannelPayload } from './types.js';

/**
 * A voice channel (type 2), with its text chat. The last message id is a column of the guild's
 * channel table; bitrate, user limit, slowmode, RTC region, video quality mode and status sit in the
 * slot's side object, made only for a channel that sets one of them to other than its default.
 */
export class VoiceChannel extends GuildChannel {
  /** @internal A payload's fields, bitrate, user limit and RTC region included, written into a slot. */
  static override write(table: ChannelTable, slot: number, data: Partial<ChannelPayload>): void {
    GuildChannel.write(table, slot, data);
    if (data.bitrate !== undefined) table.rareSet(slot, 'bitrate', data.bitrate, 64000);
    if (data.user_limit !== undefined) table.rareSet(slot, 'userLimit', data.user_limit, 0);
    if (data.last_message_id !== undefined) table.setLastMessageID(slot, data.last_message_id);
    if (data.rtc_region !== undefined) table.rareSet(slot, 'rtcRegion', data.rtc_region, null);
    if (typeof data.video_quality_mode === 'number') {
      table.rareSet(slot, 'videoQualityMode', data.video_quality_mode, 1);
    }
    if (typeof data.rate_limit_per_user === 'number') {
      table.rareSet(slot, 'rateLimitPerUser', data.rate_limit_per_user, 0);
    }
    if (data.status !== undefined) table.rareSet(slot, 'status', data.status, null);
  }

  get bitrate(): number {
    return this.rareGet('bitrate', 64000);
  }

  set bitrate(value: number) {
    this.rareSet('bitrate', value, 64000);
  }

  get userLimit(): number {
    return this.rareGet('userLimit', 0);
  }

  set userLimit(value: number) {
    this.rareSet('userLimit', value, 0);
  }

  /** Id of the last message sent in the channel's chat, or null. */
  get lastMessageID(): string | null {
    return this.lastMessageIDValue;
  }

  set lastMessageID(value: string | null) {
    this.lastMessageIDValue = value;
  }

  get rtcRegion(): string | null {
    return this.rareGet('rtcRegion', null);
  }

  set rtcRegion(value: string | null) {
    this.rareSet('rtcRegion', value, null);
  }

  /** 1 (auto) unless set. */
  get videoQualityMode(): number {
    return this.rareGet('videoQualityMode', 1);
  }

  set videoQualityMode(value: number) {
    this.rareSet('videoQualityMode', value, 1);
  }

  get rateLimitPerUser(): number {
    return this.rareGet('rateLimitPerUser', 0);
  }

  set rateLimitPerUser(value: number) {
    this.rareSet('rateLimitPerUser', value, 0);
  }

  /** Voice channel status text, or null. */
  get status(): string | null {
    return this.rareGet('status', null);
  }

  set status(value: string | null) {
    this.rareSet('status', value, null);
  }

  get messages(): Collection<string, Message, MessagePayload> {
    return this.messagesCollection();
  }

  /** Members whose cached voice state is in this channel (built on read). */
  get voiceMembers(): Collection<string, Member> {
    const members = new Collection<string, Member>(Member);
    for (const state of this.guild.voiceStates.values()) {
      if (state.channelID !== this.id) continue;
      const member = this.guild.members.peek(state.id);
      if (member !== undefined) members.add(member);
    }
    return members;
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON([
      'bitrate',
      'lastMessageID',
      'rateLimitPerUser',
      'rtcRegion',
      'status',
      'userLimit',
      'videoQualityMode',
      ...props
    ]);
  }
}
