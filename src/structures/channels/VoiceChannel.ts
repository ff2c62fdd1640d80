import { Collection } from '../../cache/Collection.js';
import { ID_NONE, ID_UNPACKED, packedLow, packHigh, unpackID } from '../compactID.js';
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
  /** lastMessageID when it is not a packable snowflake. */
  lastMessageRaw: string | null;
  messages: Collection<string, Message, MessagePayload> | null;
}

/** A voice channel (type 2), with its text chat. */
export class VoiceChannel extends GuildChannel {
  declare bitrate: number;
  declare userLimit: number;
  /** lastMessageID packed (compactID.ts): high word or ID_NONE / ID_UNPACKED, low word. */
  declare private _lastHigh: number;
  declare private _lastLow: number;
  declare private _rare: VoiceChannelRare | null;

  constructor(data: ChannelPayload, guild: Guild) {
    super(data, guild);
    this.bitrate = data.bitrate ?? 64000;
    this.userLimit = data.user_limit ?? 0;
    this._lastHigh = ID_NONE;
    this._lastLow = 0;
    this._rare = null;
    if (data.last_message_id != null) this.lastMessageID = data.last_message_id;
    this.updateRare(data);
  }

  /** Apply a CHANNEL_UPDATE payload in place, including bitrate, user limit and RTC region. */
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
  private rare(): VoiceChannelRare {
    return (this._rare ??= {
      rtcRegion: null,
      videoQualityMode: 1,
      rateLimitPerUser: 0,
      status: null,
      lastMessageRaw: null,
      messages: null
    });
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
