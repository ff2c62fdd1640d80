import { ChannelTypes } from '../../util/constants.js';
import { InvalidOptionError } from '../../util/errors.js';
import type { StructureContext } from '../context.js';
import type { Guild } from '../Guild.js';
import { CategoryChannel } from './CategoryChannel.js';
import { ForumChannel } from './ForumChannel.js';
import { GuildChannel } from './GuildChannel.js';
import { MediaChannel } from './MediaChannel.js';
import { NewsChannel } from './NewsChannel.js';
import { PrivateChannel } from './PrivateChannel.js';
import { StageChannel } from './StageChannel.js';
import { TextChannel } from './TextChannel.js';
import { NewsThreadChannel, PrivateThreadChannel, PublicThreadChannel, type ThreadChannel } from './ThreadChannel.js';
import type { AnyGuildChannel, ChannelPayload } from './types.js';
import { VoiceChannel } from './VoiceChannel.js';

/** True for thread types (10, 11, 12): they live in `guild.threads`, not `guild.channels`. */
export function isThreadPayload(data: Pick<ChannelPayload, 'type'>): boolean {
  return (
    data.type === ChannelTypes.AnnouncementThread ||
    data.type === ChannelTypes.PublicThread ||
    data.type === ChannelTypes.PrivateThread
  );
}

/** A guild channel class: what `new` needs to build one (from a payload, or as a view of a store slot). */
export type GuildChannelClass = new (data: ChannelPayload, guild: Guild) => AnyGuildChannel | ThreadChannel;

/** The class for a guild channel type (unknown types get the generic GuildChannel). */
export function guildChannelClass(type: number): GuildChannelClass {
  switch (type) {
    case ChannelTypes.GuildText:
      return TextChannel;
    case ChannelTypes.GuildVoice:
      return VoiceChannel;
    case ChannelTypes.GuildCategory:
      return CategoryChannel;
    case ChannelTypes.GuildAnnouncement:
      return NewsChannel;
    case ChannelTypes.AnnouncementThread:
      return NewsThreadChannel;
    case ChannelTypes.PublicThread:
      return PublicThreadChannel;
    case ChannelTypes.PrivateThread:
      return PrivateThreadChannel;
    case ChannelTypes.GuildStageVoice:
      return StageChannel;
    case ChannelTypes.GuildForum:
      return ForumChannel;
    case ChannelTypes.GuildMedia:
      return MediaChannel;
    default:
      return GuildChannel;
  }
}

/** A standalone channel of the right class for a payload's type (a one-slot table of its own). */
export function createGuildChannel(data: ChannelPayload, guild: Guild): AnyGuildChannel | ThreadChannel {
  const Class = guildChannelClass(data.type);
  return new Class(data, guild);
}

/** Any channel payload: guild channels need their guild, DMs the context. */
export function createChannel(
  data: ChannelPayload,
  guildOrContext: Guild | StructureContext
): AnyGuildChannel | ThreadChannel | PrivateChannel {
  if (data.type === ChannelTypes.DM || data.type === ChannelTypes.GroupDM) {
    const context = 'context' in guildOrContext ? guildOrContext.context : guildOrContext;
    return new PrivateChannel(data, context);
  }
  if (!('context' in guildOrContext))
    throw new InvalidOptionError('createChannel.guild', 'the Guild of a guild channel', guildOrContext);
  return createGuildChannel(data, guildOrContext);
}
