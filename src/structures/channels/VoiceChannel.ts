import { Collection } from '../../cache/Collection.js';
import type { Guild } from '../Guild.js';
import { Member } from '../Member.js';
import type { Message, MessagePayload } from '../Message.js';
import { GuildChannel } from './GuildChannel.js';
import type { ChannelPayload } from './types.js';

/** A voice channel (type 2), with its text chat. */
export class VoiceChannel extends GuildChannel {
  bitrate: number;
  userLimit: number;
  rtcRegion: string | null;
  videoQualityMode: number;
  lastMessageID: string | null;
  rateLimitPerUser: number;
  /** Voice channel status text, or null. */
  status: string | null;
  private _messages: Collection<string, Message, MessagePayload> | null;

  constructor(data: ChannelPayload, guild: Guild) {
    super(data, guild);
    this.bitrate = data.bitrate ?? 64000;
    this.userLimit = data.user_limit ?? 0;
    this.rtcRegion = data.rtc_region ?? null;
    this.videoQualityMode = data.video_quality_mode ?? 1;
    this.lastMessageID = data.last_message_id ?? null;
    this.rateLimitPerUser = data.rate_limit_per_user ?? 0;
    this.status = data.status ?? null;
    this._messages = null;
  }

  override update(data: Partial<ChannelPayload>): void {
    super.update(data);
    if (data.bitrate !== undefined) this.bitrate = data.bitrate;
    if (data.user_limit !== undefined) this.userLimit = data.user_limit;
    if (data.rtc_region !== undefined) this.rtcRegion = data.rtc_region;
    if (data.video_quality_mode !== undefined) this.videoQualityMode = data.video_quality_mode;
    if (data.last_message_id !== undefined) this.lastMessageID = data.last_message_id;
    if (data.rate_limit_per_user !== undefined) this.rateLimitPerUser = data.rate_limit_per_user;
    if (data.status !== undefined) this.status = data.status;
  }

  get messages(): Collection<string, Message, MessagePayload> {
    return (this._messages ??= this.guild.context.cache.messages(this));
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
