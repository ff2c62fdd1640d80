import type { StageInstance } from '../StageInstance.js';
import type { ChannelTable } from './ChannelTable.js';
import type { ChannelPayload } from './types.js';
import { VoiceChannel } from './VoiceChannel.js';

/** A stage channel (type 13). */
export class StageChannel extends VoiceChannel {
  /** @internal A payload's fields, the topic included, written into a slot. */
  static override write(table: ChannelTable, slot: number, data: Partial<ChannelPayload>): void {
    VoiceChannel.write(table, slot, data);
    if (data.topic !== undefined) table.setTopic(slot, data.topic ?? null);
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
