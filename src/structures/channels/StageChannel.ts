import type { StageInstance } from '../StageInstance.js';
import type { ChannelPayload } from './types.js';
import { VoiceChannel } from './VoiceChannel.js';

/** A stage channel (type 13). */
export class StageChannel extends VoiceChannel {
  /** Apply a CHANNEL_UPDATE payload in place, including the topic. */
  override update(data: Partial<ChannelPayload>): void {
    super.update(data);
    if (data.topic !== undefined) this.topic = data.topic;
  }

  get topic(): string | null {
    return this.t().topic(this._slot);
  }

  set topic(value: string | null) {
    this.t().setTopic(this._slot, value ?? null);
  }

  /** The live stage instance in this channel, if cached. */
  get stageInstance(): StageInstance | undefined {
    return this.guild.stageInstances.find((instance) => instance.channelID === this.id);
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON(['topic', ...props]);
  }
}
