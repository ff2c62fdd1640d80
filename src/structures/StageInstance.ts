import type { APIStageInstance } from 'discord-api-types/v10';
import { Base } from './Base.js';
import type { Guild } from './Guild.js';

/** A live stage (Eris's StageInstance). */
export class StageInstance extends Base {
  readonly id: string;
  readonly guild: Guild;
  channelID: string;
  topic: string;
  privacyLevel: number;
  discoverableDisabled: boolean;
  guildScheduledEventID: string | null;

  constructor(data: APIStageInstance, guild: Guild) {
    super();
    this.id = data.id;
    this.guild = guild;
    this.channelID = data.channel_id;
    this.topic = data.topic ?? '';
    this.privacyLevel = data.privacy_level ?? 2;
    this.discoverableDisabled = data.discoverable_disabled ?? false;
    this.guildScheduledEventID = data.guild_scheduled_event_id ?? null;
  }

  /** Apply a STAGE_INSTANCE_UPDATE payload in place; absent fields keep their values. */
  update(data: Partial<APIStageInstance>): void {
    if (data.channel_id !== undefined) this.channelID = data.channel_id;
    if (data.topic !== undefined) this.topic = data.topic;
    if (data.privacy_level !== undefined) this.privacyLevel = data.privacy_level;
    if (data.discoverable_disabled !== undefined) this.discoverableDisabled = data.discoverable_disabled;
    if (data.guild_scheduled_event_id !== undefined) this.guildScheduledEventID = data.guild_scheduled_event_id;
  }

  /** The stage channel, if cached. */
  get channel() {
    return this.guild.channels.peek(this.channelID);
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON([
      'channelID',
      'discoverableDisabled',
      'guildScheduledEventID',
      'privacyLevel',
      'topic',
      ...props
    ]);
  }
}
