/**
 * Discord's permission algorithm (reference §7.3–7.4) over the world's own state, used to decide
 * what the bot may do through REST (50013 / 50001 otherwise).
 */
import { ALL_PERMISSIONS, Permissions } from '../../util/constants.js';
import type { ChannelRecord, GuildData } from './model.js';

export function basePermissions(guild: GuildData, userID: string): bigint {
  if (userID === guild.ownerID) return ALL_PERMISSIONS;
  const member = guild.members.get(userID);
  if (!member) return 0n;
  let permissions = BigInt(guild.roles.get(guild.id)?.permissions ?? '0');
  for (const roleID of member.roles) {
    const role = guild.roles.get(roleID);
    if (role) permissions |= BigInt(role.permissions);
  }
  return permissions & Permissions.administrator ? ALL_PERMISSIONS : permissions;
}

export function channelPermissions(guild: GuildData, userID: string, channel: ChannelRecord): bigint {
  let permissions = basePermissions(guild, userID);
  if (permissions & Permissions.administrator) return ALL_PERMISSIONS;
  const member = guild.members.get(userID);
  if (!member) return 0n;
  // Threads inherit their parent's overwrites.
  const source =
    channel.type >= 10 && channel.type <= 12 && channel.parent_id
      ? (guild.channels.get(channel.parent_id) ?? channel)
      : channel;
  const overwrites = source.permission_overwrites;
  const everyone = overwrites.find((o) => o.id === guild.id);
  if (everyone) permissions = (permissions & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === 0 && member.roles.includes(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  permissions = (permissions & ~deny) | allow;
  const own = overwrites.find((o) => o.type === 1 && o.id === userID);
  if (own) permissions = (permissions & ~BigInt(own.deny)) | BigInt(own.allow);
  if (!(permissions & Permissions.viewChannel)) return 0n;
  return permissions;
}

/** Position of a member's highest role (0 = only @everyone). */
export function highestPosition(guild: GuildData, userID: string): number {
  const member = guild.members.get(userID);
  if (!member) return -1;
  let highest = 0;
  for (const roleID of member.roles) {
    const role = guild.roles.get(roleID);
    if (role && role.position > highest) highest = role.position;
  }
  return highest;
}
