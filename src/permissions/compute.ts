/**
 * Permission math (protocol reference §7), as pure functions over ids, bitfields and packed
 * overwrites. Structures gather the inputs and call these; nothing here knows a structure.
 */
import { ALL_PERMISSIONS as ALL, ChannelTypes, Permissions } from '../util/constants.js';
import { NO_PERMISSIONS as NONE } from './bits.js';
import { applyOverwriteBits, type PackedOverwrites } from './overwrites.js';

/** What the math needs to know about a member of a guild. */
export interface MemberPermissionInput {
  guildID: string;
  ownerID: string | null | undefined;
  userID: string;
  /** The member's role ids; the `@everyone` role (id = guild id) is added by the math itself. */
  roleIDs: readonly string[];
  /** Permissions of a role by id, or undefined for a role not in the cache. */
  rolePermissions: (roleID: string) => bigint | undefined;
  /** Timeout end in ms since the epoch, or null/undefined when not timed out. */
  communicationDisabledUntil?: number | null;
  /** Clock for the timeout check (default Date.now()). */
  now?: number;
}

/** What the math needs to know about the channel (for threads: about the parent). */
export interface ChannelPermissionInput {
  /** Channel type (ChannelTypes); for a thread pass the thread's type. */
  type: number;
  /** The channel's overwrites; for a thread, its parent's. */
  overwrites: PackedOverwrites;
  /** For a thread: the parent's type (decides the voice rule). Ignored otherwise. */
  parentType?: number;
  /** For a private thread: whether the member has joined it, if known. */
  threadMember?: boolean;
}

/** What channel permission math needs: the guild, the member's roles, and the channel's overwrites. */
export interface ChannelPermissionOptions {
  /** Apply §7.5's timeout and implicit denials (default true). False gives the raw overwrite result. */
  implicit?: boolean;
}

const {
  administrator,
  viewChannel,
  readMessageHistory,
  sendMessages,
  sendMessagesInThreads,
  mentionEveryone,
  sendTTSMessages,
  attachFiles,
  embedLinks,
  voiceConnect,
  manageThreads
} = Permissions;

/** What a timed-out member keeps (unless owner or administrator). */
export const TIMEOUT_KEEPS: bigint = viewChannel | readMessageHistory;

/** Cleared when the member cannot send in the channel: they are ignored, not explicitly denied. */
export const SEND_DEPENDENT: bigint = mentionEveryone | sendTTSMessages | attachFiles | embedLinks;

/**
 * Cleared in a voice or stage channel without CONNECT. The docs name MANAGE_CHANNELS and say
 * "other cases" exist; we deny every bit that acts on the voice session or on the channel itself.
 */
export const CONNECT_DEPENDENT: bigint =
  Permissions.manageChannels |
  Permissions.manageRoles |
  Permissions.prioritySpeaker |
  Permissions.stream |
  Permissions.voiceSpeak |
  Permissions.voiceMuteMembers |
  Permissions.voiceDeafenMembers |
  Permissions.voiceMoveMembers |
  Permissions.voiceUseVAD |
  Permissions.voiceRequestToSpeak |
  Permissions.useEmbeddedActivities |
  Permissions.useSoundboard |
  Permissions.useExternalSounds |
  Permissions.setVoiceChannelStatus;

/** Whether a channel type is a thread. */
export function isThreadChannelType(type: number): boolean {
  return (
    type === ChannelTypes.AnnouncementThread ||
    type === ChannelTypes.PublicThread ||
    type === ChannelTypes.PrivateThread
  );
}

/** Whether a channel type is a voice or stage channel. */
export function isVoiceChannelType(type: number): boolean {
  return type === ChannelTypes.GuildVoice || type === ChannelTypes.GuildStageVoice;
}

/** True while a timeout end lies in the future. */
export function isTimedOut(until: number | null | undefined, now: number = Date.now()): boolean {
  return typeof until === 'number' && until > now;
}

/** Owner → all; `@everyone` and the member's roles OR-ed; administrator → all. No timeout applied. */
export function rawGuildPermissions(input: MemberPermissionInput): bigint {
  if (input.userID === input.ownerID) return ALL;
  let bits = input.rolePermissions(input.guildID) ?? NONE;
  for (const roleID of input.roleIDs) bits |= input.rolePermissions(roleID) ?? NONE;
  return (bits & administrator) === NONE ? bits : ALL;
}

/**
 * Guild-level permissions (what `member.permissions` returns): base permissions, then the timeout
 * rule, which strips all but VIEW_CHANNEL and READ_MESSAGE_HISTORY from a timed-out member who is
 * neither owner nor administrator.
 */
export function guildPermissions(input: MemberPermissionInput): bigint {
  const base = rawGuildPermissions(input);
  if (base !== ALL && isTimedOut(input.communicationDisabledUntil, input.now)) return base & TIMEOUT_KEEPS;
  return base;
}

/** §7.4: `@everyone` overwrite, then all role overwrites combined, then the member overwrite. */
export function applyOverwrites(
  base: bigint,
  overwrites: PackedOverwrites,
  guildID: string,
  roleIDs: readonly string[],
  userID: string
): bigint {
  return applyOverwriteBits(base, overwrites, guildID, roleIDs, userID);
}

/**
 * §7.5 post-processing, in order: timeout, no VIEW_CHANNEL → nothing, no way to send → no
 * mentions/TTS/files/embeds, voice without CONNECT → no voice or channel management, private
 * thread the member has not joined → nothing without MANAGE_THREADS.
 */
export function applyImplicitRules(bits: bigint, channel: ChannelPermissionInput, timedOut: boolean): bigint {
  if (timedOut) bits &= TIMEOUT_KEEPS;
  if ((bits & viewChannel) === NONE) return NONE;
  const thread = isThreadChannelType(channel.type);
  const send = thread ? sendMessagesInThreads : sendMessages;
  if ((bits & send) === NONE) bits &= ~SEND_DEPENDENT;
  const voiceType = thread ? (channel.parentType ?? -1) : channel.type;
  if (isVoiceChannelType(voiceType) && (bits & voiceConnect) === NONE) bits &= ~CONNECT_DEPENDENT;
  if (
    channel.type === ChannelTypes.PrivateThread &&
    channel.threadMember === false &&
    (bits & manageThreads) === NONE
  ) {
    return NONE;
  }
  return bits;
}

/** A member's permissions in a channel (for a thread: computed on the parent's overwrites). */
export function channelPermissions(
  member: MemberPermissionInput,
  channel: ChannelPermissionInput,
  options: ChannelPermissionOptions = {}
): bigint {
  const base = rawGuildPermissions(member);
  // Owner and administrator: rawGuildPermissions already answered ALL, and overwrites cannot narrow it.
  if (base === ALL) return ALL;
  const bits = applyOverwrites(base, channel.overwrites, member.guildID, member.roleIDs, member.userID);
  if (options.implicit === false) return bits;
  return applyImplicitRules(bits, channel, isTimedOut(member.communicationDisabledUntil, member.now));
}
