/**
 * Read-side permission checks of the REST layer (GET channel / message need VIEW_CHANNEL and
 * READ_MESSAGE_HISTORY; removing someone else's reaction needs MANAGE_MESSAGES), computed from
 * the world's public data in the documented order (base, @everyone overwrite, role overwrites
 * together, member overwrite). Mutations are checked by the world itself (role hierarchy etc.).
 */
import type { APIChannel } from 'discord-api-types/v10';
import { ALL_PERMISSIONS, Permissions } from '../../util/constants.js';
import type { WorldLike } from '../world/types.js';
import { discordError } from './errors.js';

export interface ActorPermissions {
  /** Guild-level permissions of the actor. */
  guild: bigint;
  /** Position of the actor's highest role (0 for @everyone only). */
  highestPosition: number;
  isOwner: boolean;
}

/** The bot's permissions in a guild, or undefined when the world does not list the bot as a member. */
export function guildPermissions(world: WorldLike, guildID: string, userID: string): ActorPermissions | undefined {
  const guild = world.getGuild(guildID);
  const member = world.getMember(guildID, userID);
  const roles = world.getRoles(guildID);
  if (!guild || !member || !roles) return undefined;
  const byID = new Map(roles.map((role) => [role.id, role]));
  if (guild.owner_id === userID)
    return { guild: ALL_PERMISSIONS, highestPosition: Number.POSITIVE_INFINITY, isOwner: true };
  let permissions = BigInt(byID.get(guildID)?.permissions ?? '0');
  let highestPosition = 0;
  for (const id of member.roles) {
    const role = byID.get(id);
    if (!role) continue;
    permissions |= BigInt(role.permissions);
    highestPosition = Math.max(highestPosition, role.position);
  }
  if (permissions & Permissions.administrator) permissions = ALL_PERMISSIONS;
  return { guild: permissions, highestPosition, isOwner: false };
}

/** The actor's permissions in a channel (threads use their parent's overwrites). */
export function channelPermissions(world: WorldLike, channel: APIChannel, userID: string): bigint | undefined {
  if (!('guild_id' in channel) || !channel.guild_id) return ALL_PERMISSIONS;
  const guildID = channel.guild_id;
  const actor = guildPermissions(world, guildID, userID);
  if (!actor) return undefined;
  if (actor.guild === ALL_PERMISSIONS) return ALL_PERMISSIONS;
  let source: APIChannel = channel;
  if ('parent_id' in channel && channel.parent_id && [10, 11, 12].includes(channel.type)) {
    source = world.getChannel(channel.parent_id) ?? channel;
  }
  const overwrites = 'permission_overwrites' in source ? (source.permission_overwrites ?? []) : [];
  const memberRoles = new Set(world.getMember(guildID, userID)?.roles ?? []);
  let permissions = actor.guild;
  const everyone = overwrites.find((o) => o.id === guildID);
  if (everyone) permissions = (permissions & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type === 0 && memberRoles.has(overwrite.id)) {
      allow |= BigInt(overwrite.allow);
      deny |= BigInt(overwrite.deny);
    }
  }
  permissions = (permissions & ~deny) | allow;
  const own = overwrites.find((o) => o.type === 1 && o.id === userID);
  if (own) permissions = (permissions & ~BigInt(own.deny)) | BigInt(own.allow);
  if (!(permissions & Permissions.viewChannel)) return 0n;
  return permissions;
}

/** Throws 50001 when the bot cannot see the channel and 50013 when it lacks one of `needed`. */
export function requireChannelPermissions(world: WorldLike, channel: APIChannel, needed: bigint): void {
  const permissions = channelPermissions(world, channel, world.botUser.id);
  if (permissions === undefined) return; // the world does not model the bot here; let it decide
  if (!(permissions & Permissions.viewChannel)) throw discordError(50001);
  if ((permissions & needed) !== needed) throw discordError(50013);
}
