import type { Guild } from '../Guild.js';
import type { StageInstance } from '../StageInstance.js';
import type { ChannelPayload } from './types.js';
import { VoiceChannel } from './VoiceChannel.js';

/** A stage channel (type 13). */
export class StageChannel extends VoiceChannel {
  declare topic: string | null;

  constructor(data: ChannelPayload, guild: Guild) {
    super(data, guild);
    this.topic = data.topic ?? null;
  }

  /** Apply a CHANNEL_UPDATE payload in place, including the topic. */
  override update(data: Partial<ChannelPayload>): void {
    super.update(data);
    if (data.topic !== undefined) this.topic = data.topic;
  }

  /** The live stage instance in this channel, if cached. */
  get stageInstance(): StageInstance | undefined {
    return this.guild.stageInstances.find((instance) => instance.channelID === this.id);
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON(['topic', ...props]);
  }
}
