import { Collection } from '../../cache/Collection.js';
import type { Guild } from '../Guild.js';
import { Member } from '../Member.js';
import type { Message, MessagePayload } from '../Message.js';
import { GuildChannel } from './GuildChannel.js';
import type { ChannelPayload } from './types.js';

/**
 * Fields most voice channels leave at their default, and the messages collection (made on first
 * use): kept in a side object only channels that need one allocate.
 */
interface VoiceChannelRare {
  rtcRegion: string | null;
  videoQualityMode: number;
  rateLimitPerUser: number;
  status: string | null;
  messages: Collection<string, Message, MessagePayload> | null;
}

/** A voice channel (type 2), with its text chat. */
export class VoiceChannel extends GuildChannel {
  bitrate: number;
  userLimit: number;
  lastMessageID: string | null;
  private _rare: VoiceChannelRare | null;

  constructor(data: ChannelPayload, guild: Guild) {
    super(data, guild);
    this.bitrate = data.bitrate ?? 64000;
    this.userLimit = data.user_limit ?? 0;
    this.lastMessageID = data.last_message_id ?? null;
    this._rare = null;
    this.updateRare(data);
  }

  override update(data: Partial<ChannelPayload>): void {
    super.update(data);
    if (data.bitrate !== undefined) this.bitrate = data.bitrate;
    if (data.user_limit !== undefined) this.userLimit = data.user_limit;
    if (data.last_message_id !== undefined) this.lastMessageID = data.last_message_id;
    this.updateRare(data);
  }

  private updateRare(data: Partial<ChannelPayload>): void {
    if (data.rtc_region !== undefined) this.rtcRegion = data.rtc_region;
    if (typeof data.video_quality_mode === 'number') this.videoQualityMode = data.video_quality_mode;
    if (typeof data.rate_limit_per_user === 'number') this.rateLimitPerUser = data.rate_limit_per_user;
    if (data.status !== undefined) this.status = data.status;
  }

  /** The side object, allocated on the first non-default write. */
  private rare(): VoiceChannelRare {
    return (this._rare ??= { rtcRegion: null, videoQualityMode: 1, rateLimitPerUser: 0, status: null, messages: null });
  }

  get rtcRegion(): string | null {
    return this._rare?.rtcRegion ?? null;
  }

  set rtcRegion(value: string | null) {
    if (value !== null || this._rare !== null) this.rare().rtcRegion = value;
  }

  /** 1 (auto) unless set. */
  get videoQualityMode(): number {
    return this._rare?.videoQualityMode ?? 1;
  }

  set videoQualityMode(value: number) {
    if (value !== 1 || this._rare !== null) this.rare().videoQualityMode = value;
  }

  get rateLimitPerUser(): number {
    return this._rare?.rateLimitPerUser ?? 0;
  }

  set rateLimitPerUser(value: number) {
    if (value !== 0 || this._rare !== null) this.rare().rateLimitPerUser = value;
  }

  /** Voice channel status text, or null. */
  get status(): string | null {
    return this._rare?.status ?? null;
  }

  set status(value: string | null) {
    if (value !== null || this._rare !== null) this.rare().status = value;
  }

  get messages(): Collection<string, Message, MessagePayload> {
    const rare = this.rare();
    return (rare.messages ??= this.guild.context.cache.messages(this));
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
