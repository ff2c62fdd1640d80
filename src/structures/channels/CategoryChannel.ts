import { Collection } from '../../cache/Collection.js';
import { GuildChannel } from './GuildChannel.js';
import type { AnyGuildChannel } from './types.js';

/** A category (type 4). Its `channels` are found on read rather than kept per category. */
export class CategoryChannel extends GuildChannel {
  get channels(): Collection<string, AnyGuildChannel> {
    const children = new Collection<string, AnyGuildChannel>(GuildChannel);
    for (const channel of this.guild.channels.values()) if (channel.parentID === this.id) children.add(channel);
    return children;
  }
}
