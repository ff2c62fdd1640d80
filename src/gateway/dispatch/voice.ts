/** VOICE_STATE_UPDATE and STAGE_INSTANCE_CREATE/UPDATE/DELETE. */
import type { APIStageInstance } from 'discord-api-types/v10';
import type { MemberPayload } from '../../structures/Member.js';
import type { VoiceStatePayload } from '../../structures/VoiceState.js';
import type { DispatchContext, DispatchHandler } from './context.js';
import { upsertMember } from './members.js';
import { asPayload, idField, optionalID } from './payload.js';

const VOICE_STATE_UPDATE: DispatchHandler = (ctx, data) => {
  const d = asPayload('VOICE_STATE_UPDATE', data);
  const userID = idField('VOICE_STATE_UPDATE', d, 'user_id');
  const guild = ctx.guilds.get(optionalID(d, 'guild_id') ?? '');
  if (!guild) return;
  const member = d.member as (MemberPayload & { user?: { id?: unknown } }) | undefined;
  const reactor =
    member && typeof member.user?.id === 'string'
      ? upsertMember(guild, member as MemberPayload & { user: { id: string } })
      : (guild.members.get(userID) ?? { id: userID });
  const previous = guild.voiceStates.get(userID);
  const oldChannelID = previous?.channelID ?? null;
  const old = previous && ctx.listenerCount('voiceStateUpdate') > 0 ? previous.toJSON() : null;
  const newChannelID = typeof d.channel_id === 'string' ? d.channel_id : null;
  const payload = { ...(d as VoiceStatePayload), id: userID };
  if (newChannelID === null) guild.voiceStates.remove({ id: userID });
  else guild.voiceStates.update(payload, guild);
  if (oldChannelID === null) {
    if (newChannelID !== null) ctx.emit('voiceChannelJoin', reactor, newChannelID);
  } else if (newChannelID === null) {
    ctx.emit('voiceChannelLeave', reactor, oldChannelID);
  } else if (newChannelID !== oldChannelID) {
    ctx.emit('voiceChannelSwitch', reactor, newChannelID, oldChannelID);
  }
  ctx.emit('voiceStateUpdate', reactor, old);
};

/** The guild and id of a stage instance event, or null when the guild is not cached. */
function stageTarget(ctx: DispatchContext, event: string, data: unknown) {
  const d = asPayload(event, data);
  const guild = ctx.guilds.get(idField(event, d, 'guild_id'));
  const id = idField(event, d, 'id');
  return guild ? { d, guild, id } : null;
}

const STAGE_INSTANCE_CREATE: DispatchHandler = (ctx, data) => {
  const target = stageTarget(ctx, 'STAGE_INSTANCE_CREATE', data);
  if (!target) return;
  const instance = target.guild.stageInstances.update(target.d as unknown as APIStageInstance, target.guild);
  ctx.emit('stageInstanceCreate', instance);
};

const STAGE_INSTANCE_UPDATE: DispatchHandler = (ctx, data) => {
  const target = stageTarget(ctx, 'STAGE_INSTANCE_UPDATE', data);
  if (!target) return;
  const cached = target.guild.stageInstances.get(target.id);
  const old = cached && ctx.listenerCount('stageInstanceUpdate') > 0 ? cached.toJSON() : null;
  const instance = target.guild.stageInstances.update(target.d as unknown as APIStageInstance, target.guild);
  ctx.emit('stageInstanceUpdate', instance, old);
};

const STAGE_INSTANCE_DELETE: DispatchHandler = (ctx, data) => {
  const target = stageTarget(ctx, 'STAGE_INSTANCE_DELETE', data);
  if (!target) return;
  const removed = target.guild.stageInstances.remove({ id: target.id });
  ctx.emit('stageInstanceDelete', removed ?? { id: target.id, guild: target.guild });
};

export const voiceHandlers: Record<string, DispatchHandler> = {
  VOICE_STATE_UPDATE,
  STAGE_INSTANCE_CREATE,
  STAGE_INSTANCE_UPDATE,
  STAGE_INSTANCE_DELETE
};
