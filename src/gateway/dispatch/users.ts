/** USER_UPDATE, PRESENCE_UPDATE and TYPING_START. */
import type { MemberPayload } from '../../structures/Member.js';
import type { PresencePayload, PresenceSnapshot } from '../../structures/Presence.js';
import type { UserPayload } from '../../structures/User.js';
import { findChannel } from './channels.js';
import type { DispatchHandler } from './context.js';
import { upsertMember } from './members.js';
import { asPayload, idField, objectField, optionalID } from './payload.js';

const USER_UPDATE: DispatchHandler = (ctx, data) => {
  const d = asPayload('USER_UPDATE', data);
  idField('USER_UPDATE', d, 'id');
  const old = ctx.user && ctx.listenerCount('userUpdate') > 0 ? ctx.user.toJSON() : null;
  ctx.user = ctx.users.update(d as unknown as UserPayload);
  ctx.emit('userUpdate', ctx.user, old);
};

/**
 * Only sessions with the presences intent receive these. User fields a presence carries patch the
 * cached user; the guild's presence is updated, or dropped when the user went offline (as Discord's
 * GUILD_CREATE leaves offline members out: an offline presence costs memory and says nothing
 * `member.status` does not already say). Emitted Eris-style with the old presence, or null when
 * none was cached.
 */
const PRESENCE_UPDATE: DispatchHandler = (ctx, data) => {
  const d = asPayload('PRESENCE_UPDATE', data);
  const user = objectField('PRESENCE_UPDATE', d, 'user');
  const userID = idField('PRESENCE_UPDATE', user, 'id');
  const cached = ctx.users.get(userID);
  // `user` may be partial (only id guaranteed): patch only when it carries a username.
  if (cached && typeof user.username === 'string') cached.update(user as unknown as UserPayload);
  const guild = ctx.guilds.get(optionalID(d, 'guild_id') ?? '');
  let old: PresenceSnapshot | null = null;
  if (guild) {
    const previous = guild.presenceOf(userID);
    old = previous ? previous.snapshot() : null;
    guild.applyPresence(d as PresencePayload);
  }
  ctx.emit('presenceUpdate', guild?.members.get(userID) ?? cached ?? { id: userID }, old);
};

const TYPING_START: DispatchHandler = (ctx, data) => {
  const d = asPayload('TYPING_START', data);
  const channelID = idField('TYPING_START', d, 'channel_id');
  const userID = idField('TYPING_START', d, 'user_id');
  const guildID = optionalID(d, 'guild_id');
  const guild = ctx.guilds.get(guildID ?? '');
  const member = d.member as (MemberPayload & { user?: { id?: unknown } }) | undefined;
  const who =
    guild && member && typeof member.user?.id === 'string'
      ? upsertMember(guild, member as MemberPayload & { user: { id: string } })
      : (ctx.users.get(userID) ?? { id: userID });
  const channel = findChannel(ctx, channelID, guildID) ?? { id: channelID };
  ctx.emit('typingStart', channel, who, typeof d.timestamp === 'number' ? d.timestamp * 1000 : Date.now());
};

export const userHandlers: Record<string, DispatchHandler> = { USER_UPDATE, PRESENCE_UPDATE, TYPING_START };
