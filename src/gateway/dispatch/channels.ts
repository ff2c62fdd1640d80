/** CHANNEL_CREATE/UPDATE/DELETE, CHANNEL_PINS_UPDATE and the thread events. */

import { PrivateChannel } from '../../structures/channels/PrivateChannel.js';
import type { ThreadChannel } from '../../structures/channels/ThreadChannel.js';
import type { ChannelPayload } from '../../structures/channels/types.js';
import type { Guild } from '../../structures/Guild.js';
import type { CachedChannel, DispatchContext, DispatchHandler } from './context.js';
import { arrayField, asPayload, idField, MalformedDispatchError, optionalID, type Payload } from './payload.js';

/** A cached channel or thread by id, through the channel-to-guild map. */
export function findChannel(ctx: DispatchContext, channelID: string, guildID?: string): CachedChannel | undefined {
  const guild = ctx.guilds.get(guildID ?? ctx.channelGuildMap.get(channelID) ?? '');
  if (guild) return guild.channels.get(channelID) ?? guild.threads.get(channelID);
  return ctx.privateChannels.get(channelID);
}

function snapshot(channel: { toJSON(): unknown }): unknown {
  return channel.toJSON();
}

function channelPayload(event: string, data: unknown): ChannelPayload & Payload {
  const d = asPayload(event, data);
  idField(event, d, 'id');
  if (typeof d.type !== 'number') throw new MalformedDispatchError(event, 'type');
  return d as unknown as ChannelPayload & Payload;
}

const CHANNEL_CREATE: DispatchHandler = (ctx, data) => {
  const d = channelPayload('CHANNEL_CREATE', data);
  const guildID = optionalID(d, 'guild_id');
  if (guildID === undefined) {
    const channel = new PrivateChannel(d, ctx);
    ctx.privateChannels.set(channel.id, channel);
    ctx.emit('channelCreate', channel);
    return;
  }
  const guild = ctx.guilds.get(guildID);
  if (!guild) return;
  const channel = guild.addChannel(d);
  ctx.channelGuildMap.set(channel.id, guild.id);
  ctx.emit('channelCreate', channel);
};

const CHANNEL_UPDATE: DispatchHandler = (ctx, data) => {
  const d = channelPayload('CHANNEL_UPDATE', data);
  const channel = findChannel(ctx, d.id, optionalID(d, 'guild_id'));
  if (!channel) {
    cacheUnknownChannel(ctx, d);
    return;
  }
  const old = ctx.listenerCount('channelUpdate') > 0 ? snapshot(channel) : null;
  channel.update(d);
  ctx.emit('channelUpdate', channel, old);
};

/** A channel we did not know is cached without an event (e.g. it became visible). */
function cacheUnknownChannel(ctx: DispatchContext, d: ChannelPayload & Payload): void {
  const guild = ctx.guilds.get(optionalID(d, 'guild_id') ?? '');
  if (!guild) return;
  guild.addChannel(d);
  ctx.channelGuildMap.set(d.id, guild.id);
}

const CHANNEL_DELETE: DispatchHandler = (ctx, data) => {
  const d = channelPayload('CHANNEL_DELETE', data);
  const guildID = optionalID(d, 'guild_id');
  if (guildID === undefined) {
    const channel = ctx.privateChannels.get(d.id);
    ctx.privateChannels.delete(d.id);
    if (channel) ctx.emit('channelDelete', channel);
    return;
  }
  const guild = ctx.guilds.get(guildID);
  ctx.channelGuildMap.delete(d.id);
  if (!guild) return;
  const channel = guild.channels.remove({ id: d.id });
  // With a collection other than the default store: the emitted channel keeps a copy of its data
  // (the guild's overwrite pool reuses the run). A store's `remove` has already detached it.
  channel?.detach();
  // Threads of a deleted channel go with it.
  for (const thread of guild.threads.values()) {
    if (thread.parentID === d.id) removeThread(ctx, guild, thread.id);
  }
  if (channel) ctx.emit('channelDelete', channel);
};

const CHANNEL_PINS_UPDATE: DispatchHandler = (ctx, data) => {
  const d = asPayload('CHANNEL_PINS_UPDATE', data);
  const channel = findChannel(ctx, idField('CHANNEL_PINS_UPDATE', d, 'channel_id'), optionalID(d, 'guild_id'));
  if (!channel) return;
  const old = (channel as { lastPinTimestamp?: number | null }).lastPinTimestamp ?? null;
  const stamp = typeof d.last_pin_timestamp === 'string' ? d.last_pin_timestamp : null;
  channel.update({ last_pin_timestamp: stamp });
  const now = (channel as { lastPinTimestamp?: number | null }).lastPinTimestamp ?? null;
  ctx.emit('channelPinUpdate', channel, now, old);
};

function removeThread(ctx: DispatchContext, guild: Guild, id: string): ThreadChannel | null {
  ctx.channelGuildMap.delete(id);
  const thread = guild.threads.remove({ id }) as ThreadChannel | null;
  thread?.detach();
  return thread;
}

const THREAD_CREATE: DispatchHandler = (ctx, data) => {
  const d = channelPayload('THREAD_CREATE', data);
  const guild = ctx.guilds.get(idField('THREAD_CREATE', d, 'guild_id'));
  if (!guild) return;
  const existed = guild.threads.has(d.id);
  const thread = guild.addChannel(d);
  ctx.channelGuildMap.set(thread.id, guild.id);
  // Also sent when the bot is added to a thread it already knew: that is not a creation.
  if (!existed || d.newly_created === true) ctx.emit('threadCreate', thread);
};

const THREAD_UPDATE: DispatchHandler = (ctx, data) => {
  const d = channelPayload('THREAD_UPDATE', data);
  const guild = ctx.guilds.get(idField('THREAD_UPDATE', d, 'guild_id'));
  if (!guild) return;
  const cached = guild.threads.get(d.id);
  const old = cached && ctx.listenerCount('threadUpdate') > 0 ? snapshot(cached) : null;
  const thread = guild.addChannel(d);
  ctx.channelGuildMap.set(thread.id, guild.id);
  ctx.emit('threadUpdate', thread, old);
};

const THREAD_DELETE: DispatchHandler = (ctx, data) => {
  const d = asPayload('THREAD_DELETE', data);
  const guild = ctx.guilds.get(idField('THREAD_DELETE', d, 'guild_id'));
  const id = idField('THREAD_DELETE', d, 'id');
  if (!guild) return;
  const thread = removeThread(ctx, guild, id);
  ctx.emit('threadDelete', thread ?? { id, guild, parentID: optionalID(d, 'parent_id') ?? null, type: d.type });
};

const THREAD_LIST_SYNC: DispatchHandler = (ctx, data) => {
  const d = asPayload('THREAD_LIST_SYNC', data);
  const guild = ctx.guilds.get(idField('THREAD_LIST_SYNC', d, 'guild_id'));
  if (!guild) return;
  const parents = Array.isArray(d.channel_ids) ? new Set(d.channel_ids as string[]) : null;
  // Drop the active threads of the synced parents (all when channel_ids is absent), then insert.
  for (const thread of [...guild.threads.values()]) {
    if (parents === null || (thread.parentID !== null && parents.has(thread.parentID))) {
      removeThread(ctx, guild, thread.id);
    }
  }
  const threads: CachedChannel[] = [];
  for (const raw of arrayField(d, 'threads')) {
    const t = raw as ChannelPayload;
    if (typeof t?.id !== 'string' || typeof t.type !== 'number') continue;
    const thread = guild.addChannel(t);
    ctx.channelGuildMap.set(thread.id, guild.id);
    threads.push(thread);
  }
  for (const raw of arrayField(d, 'members')) {
    const m = raw as { id?: unknown };
    const thread = typeof m?.id === 'string' ? guild.threads.get(m.id) : undefined;
    if (thread) thread.update({ member: raw as ChannelPayload['member'] });
  }
  ctx.emit('threadListSync', guild, threads, arrayField(d, 'members'));
};

const THREAD_MEMBER_UPDATE: DispatchHandler = (ctx, data) => {
  const d = asPayload('THREAD_MEMBER_UPDATE', data);
  const guild = ctx.guilds.get(idField('THREAD_MEMBER_UPDATE', d, 'guild_id'));
  const thread = guild?.threads.get(idField('THREAD_MEMBER_UPDATE', d, 'id'));
  if (!thread) return;
  thread.update({ member: d as unknown as ChannelPayload['member'] });
  ctx.emit('threadMemberUpdate', thread, d);
};

const THREAD_MEMBERS_UPDATE: DispatchHandler = (ctx, data) => {
  const d = asPayload('THREAD_MEMBERS_UPDATE', data);
  const guild = ctx.guilds.get(idField('THREAD_MEMBERS_UPDATE', d, 'guild_id'));
  const thread = guild?.threads.get(idField('THREAD_MEMBERS_UPDATE', d, 'id'));
  if (!thread) return;
  if (typeof d.member_count === 'number') thread.memberCount = d.member_count;
  ctx.emit('threadMembersUpdate', thread, arrayField(d, 'added_members'), arrayField(d, 'removed_member_ids'));
};

export const channelHandlers: Record<string, DispatchHandler> = {
  CHANNEL_CREATE,
  CHANNEL_UPDATE,
  CHANNEL_DELETE,
  CHANNEL_PINS_UPDATE,
  THREAD_CREATE,
  THREAD_UPDATE,
  THREAD_DELETE,
  THREAD_LIST_SYNC,
  THREAD_MEMBER_UPDATE,
  THREAD_MEMBERS_UPDATE
};
