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

/** The class for a guild channel payload's type (unknown types get the generic GuildChannel). */
export function createGuildChannel(data: ChannelPayload, guild: Guild): AnyGuildChannel | ThreadChannel {
  switch (data.type) {
    case ChannelTypes.GuildText:
      return new TextChannel(data, guild);
    case ChannelTypes.GuildVoice:
      return new VoiceChannel(data, guild);
    case ChannelTypes.GuildCategory:
      return new CategoryChannel(data, guild);
    case ChannelTypes.GuildAnnouncement:
      return new NewsChannel(data, guild);
    case ChannelTypes.AnnouncementThread:
      return new NewsThreadChannel(data, guild);
    case ChannelTypes.PublicThread:
      return new PublicThreadChannel(data, guild);
    case ChannelTypes.PrivateThread:
      return new PrivateThreadChannel(data, guild);
    case ChannelTypes.GuildStageVoice:
      return new StageChannel(data, guild);
    case ChannelTypes.GuildForum:
      return new ForumChannel(data, guild);
    case ChannelTypes.GuildMedia:
      return new MediaChannel(data, guild);
    default:
      return new GuildChannel(data, guild);
  }
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
