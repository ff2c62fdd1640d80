/** VOICE_STATE_UPDATE and STAGE_INSTANCE_CREATE/UPDATE/DELETE. */
import type { APIStageInstance } from 'discord-api-types/v10';
import type { MemberPayload } from '../../structures/Member.js';
import type { VoiceStatePayload } from '../../structures/VoiceState.js';
import type { DispatchHandler } from './context.js';
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
  if (oldChannelID !== newChannelID) {
    if (oldChannelID === null) ctx.emit('voiceChannelJoin', reactor, newChannelID);
    else if (newChannelID === null) ctx.emit('voiceChannelLeave', reactor, oldChannelID);
    else ctx.emit('voiceChannelSwitch', reactor, newChannelID, oldChannelID);
  }
  ctx.emit('voiceStateUpdate', reactor, old);
};

function stageHandler(event: string, kind: 'create' | 'update' | 'delete'): DispatchHandler {
  const userEvent = `stageInstance${kind[0].toUpperCase()}${kind.slice(1)}`;
  return (ctx, data) => {
    const d = asPayload(event, data);
    const guild = ctx.guilds.get(idField(event, d, 'guild_id'));
    const id = idField(event, d, 'id');
    if (!guild) return;
    if (kind === 'delete') {
      const removed = guild.stageInstances.remove({ id });
      ctx.emit(userEvent, removed ?? { id, guild });
      return;
    }
    const cached = guild.stageInstances.get(id);
    const old = kind === 'update' && cached && ctx.listenerCount(userEvent) > 0 ? cached.toJSON() : null;
    const instance = guild.stageInstances.update(d as unknown as APIStageInstance, guild);
    if (kind === 'update') ctx.emit(userEvent, instance, old);
    else ctx.emit(userEvent, instance);
  };
}

export const voiceHandlers: Record<string, DispatchHandler> = {
  VOICE_STATE_UPDATE,
  STAGE_INSTANCE_CREATE: stageHandler('STAGE_INSTANCE_CREATE', 'create'),
  STAGE_INSTANCE_UPDATE: stageHandler('STAGE_INSTANCE_UPDATE', 'update'),
  STAGE_INSTANCE_DELETE: stageHandler('STAGE_INSTANCE_DELETE', 'delete')
};
