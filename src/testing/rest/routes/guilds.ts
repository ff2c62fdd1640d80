/** Guild and member routes: get guild, get/list members, role PUT/DELETE, member PATCH. */
import { discordError, invalidForm } from '../errors.js';
import type { RouteCall, RouteDef } from '../router.js';
import { intQuery, objectBody, snowflakeQuery, viaWorld } from './common.js';

function requireGuild({ context, params }: RouteCall): string {
  if (!context.world.hasGuild(params.guild_id)) throw discordError(10004);
  return params.guild_id;
}

function requireMember(call: RouteCall) {
  const guildID = requireGuild(call);
  const member = call.context.world.getMember(guildID, call.params.user_id);
  if (!member) throw discordError(10007);
  return member;
}

type MemberPatch = Parameters<RouteCall['context']['world']['editMember']>[2];

function parseMemberPatch(body: unknown): MemberPatch {
  const input = objectBody(body);
  const patch: MemberPatch = {};
  if ('nick' in input) {
    if (input.nick !== null && typeof input.nick !== 'string')
      throw invalidForm({ nick: ['BASE_TYPE_STRING', 'Could not interpret value as string.'] });
    if (typeof input.nick === 'string' && input.nick.length > 32)
      throw invalidForm({ nick: ['BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.'] });
    patch.nick = input.nick as string | null;
  }
  if ('roles' in input) {
    if (!Array.isArray(input.roles) || !input.roles.every((r) => typeof r === 'string' && /^\d{1,20}$/.test(r))) {
      throw invalidForm({ roles: ['BASE_TYPE_ARRAY', 'Must be an array of snowflakes.'] });
    }
    patch.roles = input.roles as string[];
  }
  for (const flag of ['mute', 'deaf'] as const) {
    if (flag in input) {
      if (typeof input[flag] !== 'boolean')
        throw invalidForm({ [flag]: ['BASE_TYPE_BOOLEAN', 'Must be either true or false.'] });
      patch[flag] = input[flag] as boolean;
    }
  }
  if ('communication_disabled_until' in input) {
    const until = input.communication_disabled_until;
    if (until !== null && (typeof until !== 'string' || Number.isNaN(Date.parse(until)))) {
      throw invalidForm({ communication_disabled_until: ['DATE_TYPE_PARSE', 'Could not parse date.'] });
    }
    patch.communication_disabled_until = until as string | null;
  }
  return patch;
}

export const guildRoutes: RouteDef[] = [
  {
    method: 'GET',
    template: '/guilds/:guild_id',
    bucket: 'guild',
    auth: true,
    handle: (call) => {
      const guild = call.context.world.getGuild(requireGuild(call))!;
      const body: Record<string, unknown> = { ...guild };
      // GET /guilds/:id carries no gateway-only fields.
      for (const key of [
        'channels',
        'members',
        'threads',
        'presences',
        'voice_states',
        'stage_instances',
        'joined_at',
        'large',
        'member_count',
        'unavailable',
        'guild_scheduled_events',
        'soundboard_sounds'
      ]) {
        delete body[key];
      }
      body.roles = call.context.world.getRoles(guild.id) ?? [];
      if (call.query.get('with_counts') === 'true' || call.query.get('with_counts') === '1') {
        body.approximate_member_count = call.context.world.memberCount(guild.id);
        body.approximate_presence_count = 0;
      }
      return { status: 200, body };
    }
  },
  {
    method: 'GET',
    template: '/guilds/:guild_id/members',
    bucket: 'members.list',
    auth: true,
    handle: (call) => {
      const guildID = requireGuild(call);
      const limit = intQuery(call.query, 'limit', 1, 1000, 1);
      const after = snowflakeQuery(call.query, 'after');
      return { status: 200, body: call.context.world.listMembers(guildID, limit, after) };
    }
  },
  {
    method: 'GET',
    template: '/guilds/:guild_id/members/:user_id',
    bucket: 'member',
    auth: true,
    handle: (call) => ({ status: 200, body: requireMember(call) })
  },
  {
    method: 'PATCH',
    template: '/guilds/:guild_id/members/:user_id',
    bucket: 'member.edit',
    auth: true,
    handle: (call) => {
      requireMember(call);
      const patch = parseMemberPatch(call.body);
      const guildID = call.params.guild_id;
      // MANAGE_ROLES, MANAGE_NICKNAMES and the role hierarchy (§6.5) are the world's rules.
      return { status: 200, body: viaWorld(() => call.context.world.editMember(guildID, call.params.user_id, patch)) };
    }
  },
  {
    method: 'PUT',
    template: '/guilds/:guild_id/members/:user_id/roles/:role_id',
    bucket: 'member.roles',
    auth: true,
    handle: (call) => {
      requireMember(call);
      viaWorld(() => call.context.world.addMemberRole(call.params.guild_id, call.params.user_id, call.params.role_id));
      return { status: 204 };
    }
  },
  {
    method: 'DELETE',
    template: '/guilds/:guild_id/members/:user_id/roles/:role_id',
    bucket: 'member.roles',
    auth: true,
    handle: (call) => {
      requireMember(call);
      viaWorld(() =>
        call.context.world.removeMemberRole(call.params.guild_id, call.params.user_id, call.params.role_id)
      );
      return { status: 204 };
    }
  }
];
