/**
 * What dispatch handlers need from the client. The Client implements it; handlers never import the
 * Client itself (the gateway sits below it), so they can be tested against a bare context.
 */
import type { Collection } from '../../cache/Collection.js';
import type { PrivateChannel } from '../../structures/channels/PrivateChannel.js';
import type { AnyGuildChannel, AnyThreadChannel } from '../../structures/channels/types.js';
import type { StructureContext } from '../../structures/context.js';
import type { Guild, GuildPayload } from '../../structures/Guild.js';
import type { User } from '../../structures/User.js';
import type { Shard } from '../Shard.js';
import type { DispatchEvents } from './events.js';

export interface DispatchContext extends StructureContext {
  /** The bot's own user, set by READY. */
  user: User | null;
  readonly guilds: Collection<string, Guild, GuildPayload>;
  /** Guilds READY listed (or GUILD_DELETE marked) as unavailable, by id, with their shard. */
  readonly unavailableGuilds: Map<string, number>;
  /** Channel (and thread) id to guild id, so events that carry only a channel id find it. */
  readonly channelGuildMap: Map<string, string>;
  readonly privateChannels: Map<string, PrivateChannel>;
  /** Emit a user event (Eris names and arguments). */
  emit<K extends keyof DispatchEvents>(event: K, ...args: DispatchEvents[K]): boolean;
  /** Whether anybody listens to an event: old values are built only then. */
  listenerCount(event: keyof DispatchEvents): number;
}

/** Handles one gateway dispatch event: validates the payload, updates the cache and emits the user event. */
export type DispatchHandler = (context: DispatchContext, data: unknown, shard: Shard) => void;

/** A guild or private channel found by id, with what a handler needs to route events. */
export type CachedChannel = AnyGuildChannel | AnyThreadChannel | PrivateChannel;
