import type { GatewayVoiceState } from 'discord-api-types/v10';
import { MissingIDError } from '../cache/errors.js';
import { Base } from './Base.js';
import type { Guild } from './Guild.js';
import { parseTimestamp } from './time.js';

/** A voice state payload; `id` (the user id) may be given in place of `user_id`. */
export type VoiceStatePayload = Partial<GatewayVoiceState> & { id?: string };

const DEAF = 1;
const MUTE = 2;
const SELF_DEAF = 4;
const SELF_MUTE = 8;
const SELF_STREAM = 16;
const SELF_VIDEO = 32;
const SUPPRESS = 64;

/** A member's voice state (Eris's VoiceState); id is the user id. Booleans share one integer. */
export class VoiceState extends Base {
  readonly id: string;
  channelID: string | null;
  sessionID: string | null;
  /** ms since 1970 of a stage request to speak, or null. */
  requestToSpeakTimestamp: number | null;
  private _bits: number;

  constructor(data: VoiceStatePayload, _guild?: Guild) {
    super();
    const id = data.user_id ?? data.id;
    if (typeof id !== 'string') throw new MissingIDError('VoiceState');
    this.id = id;
    this.channelID = null;
    this.sessionID = null;
    this.requestToSpeakTimestamp = null;
    this._bits = 0;
    this.update(data);
  }

  /**
   * Apply a VOICE_STATE_UPDATE payload in place; leaving the channel (null channel id) also clears the
   * session id.
   */
  update(data: VoiceStatePayload): void {
    if (data.channel_id !== undefined) this.channelID = data.channel_id;
    if (data.session_id !== undefined) this.sessionID = data.channel_id === null ? null : data.session_id;
    if (data.request_to_speak_timestamp !== undefined) {
      this.requestToSpeakTimestamp = parseTimestamp(data.request_to_speak_timestamp);
    }
    let bits = this._bits;
    bits = flag(bits, DEAF, data.deaf);
    bits = flag(bits, MUTE, data.mute);
    bits = flag(bits, SELF_DEAF, data.self_deaf);
    bits = flag(bits, SELF_MUTE, data.self_mute);
    bits = flag(bits, SELF_STREAM, data.self_stream);
    bits = flag(bits, SELF_VIDEO, data.self_video);
    bits = flag(bits, SUPPRESS, data.suppress);
    this._bits = bits;
  }

  get deaf(): boolean {
    return (this._bits & DEAF) !== 0;
  }
  get mute(): boolean {
    return (this._bits & MUTE) !== 0;
  }
  get selfDeaf(): boolean {
    return (this._bits & SELF_DEAF) !== 0;
  }
  get selfMute(): boolean {
    return (this._bits & SELF_MUTE) !== 0;
  }
  get selfStream(): boolean {
    return (this._bits & SELF_STREAM) !== 0;
  }
  get selfVideo(): boolean {
    return (this._bits & SELF_VIDEO) !== 0;
  }
  get suppress(): boolean {
    return (this._bits & SUPPRESS) !== 0;
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON([
      'channelID',
      'deaf',
      'mute',
      'requestToSpeakTimestamp',
      'selfDeaf',
      'selfMute',
      'selfStream',
      'selfVideo',
      'sessionID',
      'suppress',
      ...props
    ]);
  }
}

function flag(bits: number, mask: number, value: boolean | undefined): number {
  if (value === undefined) return bits;
  return value ? bits | mask : bits & ~mask;
}
