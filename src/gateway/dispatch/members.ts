/** GUILD_MEMBER_ADD/UPDATE/REMOVE and GUILD_MEMBERS_CHUNK: the member hot set follows the guild. */
import type { Guild } from '../../structures/Guild.js';
import type { Member, MemberPayload } from '../../structures/Member.js';
import { MemberStore } from '../../structures/members/MemberStore.js';
import type { PresencePayload } from '../../structures/Presence.js';
import type { DispatchContext, DispatchHandler } from './context.js';
import { arrayField, asPayload, idField, objectField, type Payload, userIDOf } from './payload.js';

function guildOf(ctx: DispatchContext, event: string, d: Payload): Guild | undefined {
  return ctx.guilds.get(idField(event, d, 'guild_id'));
}

/** What Eris passes as `oldMember`: the fields an update may change. */
export function snapshotMember(member: Member): Record<string, unknown> {
  return {
    roles: member.roles,
    nick: member.nick,
    avatar: member.avatar,
    premiumSince: member.premiumSince,
    pending: member.pending,
    communicationDisabledUntil: member.communicationDisabledUntil,
    flags: member.flags
  };
}

/**
 * Add a member payload (with `user`) to the guild's hot set, or update the cached one. The default
 * member store is keyed by the user's id and takes it as is. Any other collection gets a payload
 * with its `id`: the handler's own freshly parsed object is given one in place, because a spread
 * copy of a member payload measured ~2 µs, most of a reaction's cache work. The default store is
 * spared even that: a property added to a parsed object changes its shape and allocates its
 * property store (~50 ns on every reaction).
 */
export function upsertMember(guild: Guild, payload: MemberPayload & { user: { id: string } }): Member {
  const members = guild.members;
  if (members instanceof MemberStore) return members.upsertPayload(payload.user.id, payload);
  payload.id = payload.user.id;
  return members.update(payload, guild);
}

const GUILD_MEMBER_ADD: DispatchHandler = (ctx, data) => {
  const d = asPayload('GUILD_MEMBER_ADD', data);
  const guild = guildOf(ctx, 'GUILD_MEMBER_ADD', d);
  const userID = userIDOf('GUILD_MEMBER_ADD', d);
  if (!guild) return;
  // It may arrive for a user who is already a member: count only a real join.
  if (!guild.members.has(userID)) guild.memberCount++;
  const member = upsertMember(guild, d as unknown as MemberPayload & { user: { id: string } });
  ctx.emit('guildMemberAdd', guild, member);
};

const GUILD_MEMBER_UPDATE: DispatchHandler = (ctx, data) => {
  const d = asPayload('GUILD_MEMBER_UPDATE', data);
  const guild = guildOf(ctx, 'GUILD_MEMBER_UPDATE', d);
  const userID = userIDOf('GUILD_MEMBER_UPDATE', d);
  if (!guild) return;
  const cached = guild.members.get(userID);
  const old = cached && ctx.listenerCount('guildMemberUpdate') > 0 ? snapshotMember(cached) : null;
  const member = upsertMember(guild, d as unknown as MemberPayload & { user: { id: string } });
  ctx.emit('guildMemberUpdate', guild, member, old);
};

const GUILD_MEMBER_REMOVE: DispatchHandler = (ctx, data) => {
  const d = asPayload('GUILD_MEMBER_REMOVE', data);
  const guild = guildOf(ctx, 'GUILD_MEMBER_REMOVE', d);
  const user = objectField('GUILD_MEMBER_REMOVE', d, 'user');
  const userID = idField('GUILD_MEMBER_REMOVE', user, 'id');
  if (!guild) return;
  guild.memberCount = Math.max(0, guild.memberCount - 1);
  const removed = guild.members.remove({ id: userID });
  // Someone who left the guild is in none of its voice channels; Discord's own leave may come
  // later or not at all, so the stale state would otherwise stay forever.
  if (guild.voiceStates.size > 0) guild.voiceStates.remove({ id: userID });
  guild.removePresence(userID);
  ctx.emit('guildMemberRemove', guild, removed ?? { id: userID, user: ctx.users.get(userID) ?? user });
};

const GUILD_MEMBERS_CHUNK: DispatchHandler = (ctx, data) => {
  const d = asPayload('GUILD_MEMBERS_CHUNK', data);
  const guild = guildOf(ctx, 'GUILD_MEMBERS_CHUNK', d);
  if (!guild) return;
  const members: Member[] = [];
  for (const raw of arrayField(d, 'members')) {
    const id = (raw as { user?: { id?: unknown } })?.user?.id;
    if (typeof id !== 'string') continue;
    members.push(upsertMember(guild, raw as MemberPayload & { user: { id: string } }));
  }
  // Present when the request asked for presences (needs the presences intent).
  if (Array.isArray(d.presences)) for (const presence of d.presences) guild.applyPresence(presence as PresencePayload);
  ctx.emit('guildMemberChunk', guild, members);
};

export const memberHandlers: Record<string, DispatchHandler> = {
  GUILD_MEMBER_ADD,
  GUILD_MEMBER_UPDATE,
  GUILD_MEMBER_REMOVE,
  GUILD_MEMBERS_CHUNK
};
