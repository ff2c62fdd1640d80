/** Channel, message and reaction routes. */
import type { APIChannel, APIMessage } from 'discord-api-types/v10';
import { Permissions } from '../../../util/constants.js';
import { discordError, invalidForm } from '../errors.js';
import { requireChannelPermissions } from '../permissions.js';
import type { RouteCall, RouteDef } from '../router.js';
import { intQuery, objectBody, snowflakeQuery, viaWorld } from './common.js';

const MAX_CONTENT = 2000;

function requireChannel({ context, params }: RouteCall): APIChannel {
  const channel = context.world.getChannel(params.channel_id);
  if (!channel) throw discordError(10003);
  return channel;
}

function requireMessage(call: RouteCall, needed: bigint): { channel: APIChannel; message: APIMessage } {
  const channel = requireChannel(call);
  requireChannelPermissions(call.context.world, channel, needed);
  const message = call.context.world.getMessage(channel.id, call.params.message_id);
  if (!message) throw discordError(10008);
  return { channel, message };
}

/** A reaction emoji from the path: a Unicode emoji or `name:id`; anything else is 10014. */
function parseEmoji(raw: string): string {
  if (/^[\w~-]{1,32}:\d{1,20}$/.test(raw)) return raw;
  // Plain ASCII text is not an emoji (Discord answers Unknown Emoji for a bad encoding too).
  if (raw.length === 0 || raw.length > 64 || /^[\x20-\x7e]*$/.test(raw)) throw discordError(10014);
  return raw;
}

function contentOf(body: Record<string, unknown>, files: number, required: boolean): string | undefined {
  const content = body.content;
  if (content !== undefined && content !== null && typeof content !== 'string') {
    throw invalidForm({ content: ['BASE_TYPE_STRING', 'Could not interpret value as string.'] });
  }
  if (typeof content === 'string' && content.length > MAX_CONTENT) {
    throw invalidForm({ content: ['BASE_TYPE_MAX_LENGTH', `Must be ${MAX_CONTENT} or fewer in length.`] });
  }
  if (
    body.nonce !== undefined &&
    (typeof body.nonce === 'string' ? body.nonce.length > 25 : typeof body.nonce !== 'number')
  ) {
    throw invalidForm({ nonce: ['BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.'] });
  }
  const hasOther = Array.isArray(body.embeds) && body.embeds.length > 0;
  if (required && !content && !hasOther && files === 0) throw discordError(50006);
  return typeof content === 'string' ? content : undefined;
}

export const channelRoutes: RouteDef[] = [
  {
    method: 'GET',
    template: '/channels/:channel_id',
    bucket: 'channel',
    auth: true,
    handle: (call) => {
      const channel = requireChannel(call);
      requireChannelPermissions(call.context.world, channel, 0n);
      return { status: 200, body: channel };
    }
  },
  {
    method: 'GET',
    template: '/channels/:channel_id/messages',
    bucket: 'messages.read',
    auth: true,
    handle: (call) => {
      const channel = requireChannel(call);
      requireChannelPermissions(call.context.world, channel, 0n);
      const limit = intQuery(call.query, 'limit', 1, 100, 50);
      const before = snowflakeQuery(call.query, 'before');
      const after = snowflakeQuery(call.query, 'after');
      const around = snowflakeQuery(call.query, 'around');
      if ([before, after, around].filter((c) => c !== undefined).length > 1) {
        throw invalidForm({ _root: ['BASE_TYPE_BAD', 'before, after and around are mutually exclusive.'] });
      }
      const world = call.context.world;
      let messages: APIMessage[];
      if (around) {
        // Half before the pivot (newest first), the pivot itself, half after.
        const older = world.listMessages(channel.id, Math.floor(limit / 2), around);
        const pivot = world.getMessage(channel.id, around);
        const newer = world
          .listMessages(channel.id, limit, undefined, around)
          .slice(-(limit - older.length - (pivot ? 1 : 0)));
        messages = [...newer, ...(pivot ? [pivot] : []), ...older].slice(0, limit);
      } else {
        messages = world.listMessages(channel.id, limit, before, after);
      }
      return { status: 200, body: messages };
    }
  },
  {
    method: 'POST',
    template: '/channels/:channel_id/messages',
    bucket: 'messages.create',
    auth: true,
    handle: (call) => {
      const channel = requireChannel(call);
      const body = objectBody(call.body);
      const content = contentOf(body, call.files, true) ?? '';
      // The world applies view and SEND_MESSAGES (or SEND_MESSAGES_IN_THREADS) checks itself.
      const message = viaWorld(() =>
        call.context.world.createMessage(channel.id, call.context.world.botUser.id, content)
      );
      return { status: 200, body: body.nonce === undefined ? message : { ...message, nonce: body.nonce } };
    }
  },
  {
    method: 'GET',
    template: '/channels/:channel_id/messages/:message_id',
    bucket: 'messages.read',
    auth: true,
    handle: (call) => ({ status: 200, body: requireMessage(call, Permissions.readMessageHistory).message })
  },
  {
    method: 'PATCH',
    template: '/channels/:channel_id/messages/:message_id',
    bucket: 'messages.edit',
    auth: true,
    handle: (call) => {
      const { channel, message } = requireMessage(call, 0n);
      if (message.author.id !== call.context.world.botUser.id) throw discordError(50005);
      const content = contentOf(objectBody(call.body), call.files, false) ?? message.content;
      return { status: 200, body: viaWorld(() => call.context.world.editMessage(channel.id, message.id, content)) };
    }
  },
  {
    method: 'DELETE',
    template: '/channels/:channel_id/messages/:message_id',
    bucket: 'messages.delete',
    auth: true,
    handle: (call) => {
      // Deleting another user's message needs MANAGE_MESSAGES; the world checks it.
      const { channel, message } = requireMessage(call, 0n);
      viaWorld(() => call.context.world.deleteMessage(channel.id, message.id));
      return { status: 204 };
    }
  },
  {
    method: 'PUT',
    template: '/channels/:channel_id/messages/:message_id/reactions/:emoji/@me',
    bucket: 'reactions',
    auth: true,
    handle: (call) => {
      const emoji = parseEmoji(call.params.emoji);
      // The world checks READ_MESSAGE_HISTORY and ADD_REACTIONS for the bot.
      const { channel, message } = requireMessage(call, 0n);
      viaWorld(() => call.context.world.addReaction(channel.id, message.id, call.context.world.botUser.id, emoji));
      return { status: 204 };
    }
  },
  {
    method: 'DELETE',
    template: '/channels/:channel_id/messages/:message_id/reactions/:emoji/@me',
    bucket: 'reactions',
    auth: true,
    handle: (call) => {
      const emoji = parseEmoji(call.params.emoji);
      const { channel, message } = requireMessage(call, Permissions.readMessageHistory);
      viaWorld(() => call.context.world.removeReaction(channel.id, message.id, call.context.world.botUser.id, emoji));
      return { status: 204 };
    }
  },
  {
    method: 'DELETE',
    template: '/channels/:channel_id/messages/:message_id/reactions/:emoji/:user_id',
    bucket: 'reactions',
    auth: true,
    handle: (call) => {
      const emoji = parseEmoji(call.params.emoji);
      const { channel, message } = requireMessage(call, Permissions.readMessageHistory | Permissions.manageMessages);
      if (!call.context.world.getUser(call.params.user_id)) throw discordError(10013);
      viaWorld(() => call.context.world.removeReaction(channel.id, message.id, call.params.user_id, emoji));
      return { status: 204 };
    }
  }
];
