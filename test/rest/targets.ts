/** Picks guild/member/role triples the simulator's bot may change (MANAGE_ROLES, role below its highest). */
import type { APIRole } from 'discord-api-types/v10';
import type { World } from '../../src/testing/world/World.js';
import { Permissions } from '../../src/util/constants.js';

export interface RoleTarget {
  guildID: string;
  userID: string;
  roleID: string;
}

export function roleTargets(world: World, count: number): RoleTarget[] {
  const targets: RoleTarget[] = [];
  const bot = world.botUser.id;
  for (const guildID of world.guildIDs()) {
    if (targets.length === count) break;
    const roles = world.getRoles(guildID) ?? [];
    const byID = new Map<string, APIRole>(roles.map((r) => [r.id, r]));
    const botMember = world.getMember(guildID, bot);
    if (!botMember) continue;
    let perms = BigInt(byID.get(guildID)?.permissions ?? '0');
    let top = 0;
    for (const id of botMember.roles) {
      const role = byID.get(id);
      if (!role) continue;
      perms |= BigInt(role.permissions);
      top = Math.max(top, role.position);
    }
    if (!(perms & (Permissions.manageRoles | Permissions.administrator))) continue;
    const role = roles.find((r) => r.id !== guildID && !r.managed && r.position < top);
    const member = world.listMembers(guildID, 50).find((m) => m.user.id !== bot && !m.roles.includes(role?.id ?? ''));
    if (!role || !member) continue;
    targets.push({ guildID, userID: member.user.id, roleID: role.id });
  }
  if (targets.length < count) throw new Error(`world has only ${targets.length} guilds with a manageable role`);
  return targets;
}
