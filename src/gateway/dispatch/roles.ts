/** GUILD_ROLE_CREATE/UPDATE/DELETE. */
import type { APIRole } from 'discord-api-types/v10';
import type { Role } from '../../structures/Role.js';
import type { DispatchHandler } from './context.js';
import { asPayload, idField, objectField } from './payload.js';

function snapshotRole(role: Role): Record<string, unknown> {
  return {
    name: role.name,
    position: role.position,
    color: role.color,
    permissions: role.permissions,
    hoist: role.hoist,
    mentionable: role.mentionable,
    managed: role.managed
  };
}

const GUILD_ROLE_CREATE: DispatchHandler = (ctx, data) => {
  const d = asPayload('GUILD_ROLE_CREATE', data);
  const guild = ctx.guilds.get(idField('GUILD_ROLE_CREATE', d, 'guild_id'));
  const raw = objectField('GUILD_ROLE_CREATE', d, 'role');
  idField('GUILD_ROLE_CREATE', raw, 'id');
  if (!guild) return;
  const role = guild.roles.update(raw as unknown as APIRole, guild);
  ctx.emit('guildRoleCreate', guild, role);
};

const GUILD_ROLE_UPDATE: DispatchHandler = (ctx, data) => {
  const d = asPayload('GUILD_ROLE_UPDATE', data);
  const guild = ctx.guilds.get(idField('GUILD_ROLE_UPDATE', d, 'guild_id'));
  const raw = objectField('GUILD_ROLE_UPDATE', d, 'role');
  const id = idField('GUILD_ROLE_UPDATE', raw, 'id');
  if (!guild) return;
  const cached = guild.roles.get(id);
  const old = cached && ctx.listenerCount('guildRoleUpdate') > 0 ? snapshotRole(cached) : null;
  const role = guild.roles.update(raw as unknown as APIRole, guild);
  ctx.emit('guildRoleUpdate', guild, role, old);
};

const GUILD_ROLE_DELETE: DispatchHandler = (ctx, data) => {
  const d = asPayload('GUILD_ROLE_DELETE', data);
  const guild = ctx.guilds.get(idField('GUILD_ROLE_DELETE', d, 'guild_id'));
  const roleID = idField('GUILD_ROLE_DELETE', d, 'role_id');
  if (!guild) return;
  const role = guild.roles.remove({ id: roleID });
  // Discord sends no member updates for a deleted role: drop it from cached members ourselves.
  for (const member of guild.members.values()) {
    if (member.roles.includes(roleID)) member.update({ roles: member.roles.filter((r) => r !== roleID) });
  }
  ctx.emit('guildRoleDelete', guild, role ?? { id: roleID });
};

export const roleHandlers: Record<string, DispatchHandler> = {
  GUILD_ROLE_CREATE,
  GUILD_ROLE_UPDATE,
  GUILD_ROLE_DELETE
};
