/** MESSAGE_CREATE/UPDATE/DELETE/DELETE_BULK and the four reaction events. */
import type { TextableChannel } from '../../structures/channels/types.js';
import { noMessages } from '../../structures/defaults.js';
import type { Guild } from '../../structures/Guild.js';
import type { Member, MemberPayload } from '../../structures/Member.js';
import {
  Message,
  type MessageChannel,
  type MessagePayload,
  PartialChannel,
  PartialMessage,
  reactionKey,
  reactionOf,
  setReaction
} from '../../structures/Message.js';
import type { User } from '../../structures/User.js';
import { findChannel } from './channels.js';
import type { DispatchContext, DispatchHandler } from './context.js';
import { upsertMember } from './members.js';
import { arrayField, asPayload, idField, objectField, optionalID, type Payload } from './payload.js';

/** The channel a message event names: cached, or a partial one (id and guild). */
function channelFor(ctx: DispatchContext, channelID: string, guildID: string | undefined): MessageChannel {
  const cached = findChannel(ctx, channelID, guildID);
  if (cached && 'messages' in cached) return cached as TextableChannel;
  return new PartialChannel(channelID, guildID === undefined ? undefined : ctx.guilds.get(guildID), ctx);
}

function messagesOf(channel: MessageChannel) {
  return channel instanceof PartialChannel ? null : channel.messages;
}

const MESSAGE_CREATE: DispatchHandler = (ctx, data) => {
  const d = asPayload('MESSAGE_CREATE', data);
  const channelID = idField('MESSAGE_CREATE', d, 'channel_id');
  idField('MESSAGE_CREATE', d, 'id');
  const guildID = optionalID(d, 'guild_id');
  const channel = channelFor(ctx, channelID, guildID);
  const payload = d as unknown as MessagePayload;
  const messages = messagesOf(channel);
  if (channel instanceof PartialChannel || messages === null) {
    // Not stored (no cached channel, or messageLimit 0), but still a full Message for the handler.
    ctx.emit('messageCreate', new Message(payload, channel));
    return;
  }
  (channel as { lastMessageID: string | null }).lastMessageID = payload.id;
  const message = messages.add(payload, channel, true);
  ctx.emit('messageCreate', message);
};

const MESSAGE_UPDATE: DispatchHandler = (ctx, data) => {
  const d = asPayload('MESSAGE_UPDATE', data);
  const channelID = idField('MESSAGE_UPDATE', d, 'channel_id');
  const id = idField('MESSAGE_UPDATE', d, 'id');
  const channel = channelFor(ctx, channelID, optionalID(d, 'guild_id'));
  const messages = messagesOf(channel);
  const cached = messages?.get(id);
  if (!cached) {
    ctx.emit('messageUpdate', d, null);
    return;
  }
  const old = ctx.listenerCount('messageUpdate') > 0 ? cached.toJSON() : null;
  cached.update(d as unknown as MessagePayload);
  ctx.emit('messageUpdate', cached, old);
};

const MESSAGE_DELETE: DispatchHandler = (ctx, data) => {
  const d = asPayload('MESSAGE_DELETE', data);
  const channelID = idField('MESSAGE_DELETE', d, 'channel_id');
  const id = idField('MESSAGE_DELETE', d, 'id');
  const guildID = optionalID(d, 'guild_id');
  const channel = channelFor(ctx, channelID, guildID);
  const removed = messagesOf(channel)?.remove({ id });
  ctx.emit('messageDelete', removed ?? new PartialMessage(id, channel, guildID));
};

const MESSAGE_DELETE_BULK: DispatchHandler = (ctx, data) => {
  const d = asPayload('MESSAGE_DELETE_BULK', data);
  const channelID = idField('MESSAGE_DELETE_BULK', d, 'channel_id');
  const guildID = optionalID(d, 'guild_id');
  const channel = channelFor(ctx, channelID, guildID);
  const messages = messagesOf(channel);
  const deleted = arrayField(d, 'ids')
    .filter((id): id is string => typeof id === 'string')
    .map((id) => messages?.remove({ id }) ?? new PartialMessage(id, channel, guildID));
  ctx.emit('messageDeleteBulk', deleted);
};

type ReactionEmoji = { id: string | null; name: string | null; animated?: boolean };

/** A guild's channel that can hold messages, else a partial channel of that guild. */
function guildMessageChannel(guild: Guild, channelID: string): MessageChannel {
  const cached = guild.channels.get(channelID) ?? guild.threads.get(channelID);
  return cached && 'messages' in cached
    ? (cached as TextableChannel)
    : new PartialChannel(channelID, guild, guild.context);
}

/** The message a reaction event names (cached, or partial) and its guild, looked up once. */
function reactionTarget(ctx: DispatchContext, event: string, d: Payload) {
  const channelID = idField(event, d, 'channel_id');
  const messageID = idField(event, d, 'message_id');
  const guildID = optionalID(d, 'guild_id');
  const guild = guildID === undefined ? undefined : ctx.guilds.get(guildID);
  if (guild !== undefined && ctx.cache.messages === noMessages) {
    // messageLimit 0: no channel holds a message, so the message is partial whatever its channel,
    // and the channel is looked up only if the handler reads it (the common reaction-role bot
    // reads the emoji and the member, not the channel).
    return { message: PartialMessage.deferred(messageID, guild, channelID, guildMessageChannel), guild };
  }
  const channel: MessageChannel = guild ? guildMessageChannel(guild, channelID) : channelFor(ctx, channelID, undefined);
  const message = messagesOf(channel)?.get(messageID) ?? new PartialMessage(messageID, channel, guildID);
  return { message, guild };
}

function emojiOf(event: string, d: Payload): ReactionEmoji {
  const e = objectField(event, d, 'emoji');
  const emoji: ReactionEmoji = {
    id: typeof e.id === 'string' ? e.id : null,
    name: typeof e.name === 'string' ? e.name : null
  };
  if (e.animated === true) emoji.animated = true;
  return emoji;
}

function countReaction(message: Message | PartialMessage, emoji: ReactionEmoji, byMe: boolean, delta: 1 | -1): void {
  if (message instanceof PartialMessage) return;
  const key = reactionKey(emoji);
  const current = reactionOf(message.reactions, key);
  if (delta === 1) {
    if (current) {
      current.count++;
      if (byMe) current.me = true;
    } else {
      setReaction(message.reactions, key, { count: 1, me: byMe, meBurst: false, burstCount: 0 });
    }
  } else if (current) {
    current.count--;
    if (byMe) current.me = false;
    if (current.count <= 0) delete message.reactions[key];
  }
}

const MESSAGE_REACTION_ADD: DispatchHandler = (ctx, data) => {
  const d = asPayload('MESSAGE_REACTION_ADD', data);
  const userID = idField('MESSAGE_REACTION_ADD', d, 'user_id');
  const { message, guild } = reactionTarget(ctx, 'MESSAGE_REACTION_ADD', d);
  const emoji = emojiOf('MESSAGE_REACTION_ADD', d);
  // The reactor's member comes with the event: it enters the hot set (and the remote store).
  const member = d.member as (MemberPayload & { user?: { id?: unknown } }) | undefined;
  const reactor: Member | User | { id: string } =
    guild && member && typeof member.user?.id === 'string'
      ? upsertMember(guild, member as MemberPayload & { user: { id: string } })
      : (ctx.users.get(userID) ?? { id: userID });
  countReaction(message, emoji, userID === ctx.user?.id, 1);
  ctx.emit('messageReactionAdd', message, emoji, reactor, d.burst === true);
};

const MESSAGE_REACTION_REMOVE: DispatchHandler = (ctx, data) => {
  const d = asPayload('MESSAGE_REACTION_REMOVE', data);
  const userID = idField('MESSAGE_REACTION_REMOVE', d, 'user_id');
  const { message } = reactionTarget(ctx, 'MESSAGE_REACTION_REMOVE', d);
  const emoji = emojiOf('MESSAGE_REACTION_REMOVE', d);
  countReaction(message, emoji, userID === ctx.user?.id, -1);
  ctx.emit('messageReactionRemove', message, emoji, userID, d.burst === true);
};

const MESSAGE_REACTION_REMOVE_ALL: DispatchHandler = (ctx, data) => {
  const d = asPayload('MESSAGE_REACTION_REMOVE_ALL', data);
  const { message } = reactionTarget(ctx, 'MESSAGE_REACTION_REMOVE_ALL', d);
  if (!(message instanceof PartialMessage)) message.reactions = {};
  ctx.emit('messageReactionRemoveAll', message);
};

const MESSAGE_REACTION_REMOVE_EMOJI: DispatchHandler = (ctx, data) => {
  const d = asPayload('MESSAGE_REACTION_REMOVE_EMOJI', data);
  const { message } = reactionTarget(ctx, 'MESSAGE_REACTION_REMOVE_EMOJI', d);
  const emoji = emojiOf('MESSAGE_REACTION_REMOVE_EMOJI', d);
  if (!(message instanceof PartialMessage)) delete message.reactions[reactionKey(emoji)];
  ctx.emit('messageReactionRemoveEmoji', message, emoji);
};

export const messageHandlers: Record<string, DispatchHandler> = {
  MESSAGE_CREATE,
  MESSAGE_UPDATE,
  MESSAGE_DELETE,
  MESSAGE_DELETE_BULK,
  MESSAGE_REACTION_ADD,
  MESSAGE_REACTION_REMOVE,
  MESSAGE_REACTION_REMOVE_ALL,
  MESSAGE_REACTION_REMOVE_EMOJI
};
