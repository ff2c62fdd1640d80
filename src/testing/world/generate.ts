/**
 * Builds one guild (or one user) from (seed, index) alone. Called again whenever a clean guild is
 * needed, so it must draw every random number in a fixed order.
 */
import type {
  APIEmoji,
  APIMessage,
  APIOverwrite,
  APIRole,
  APIStageInstance,
  APIUser,
  RoleFlags,
  UserFlags
} from 'discord-api-types/v10';
import { ChannelTypes, Permissions } from '../../util/constants.js';
import { encodeID, IdKind } from './ids.js';
import type { ChannelRecord, GuildData, MemberRecord, VoiceStateRecord } from './model.js';
import { guildName, username, word } from './names.js';
import { mix, Rng, type ZipfSampler } from './random.js';

export interface GenerationParams {
  seedHash: number;
  guilds: number;
  users: number;
  averageMembers: number;
  largeGuildFraction: number;
  zipf: ZipfSampler;
  botUserID: string;
}

/** Mean size of the large-guild tail (251 + Pareto(alpha 1.5, scale 250), capped). */
const LARGE_MEAN = 750;
const LARGE_CAP = 10_000;
const SMALL_CAP = 250;
/** Ms since the Unix epoch that guild creation times start from (2018-01-01). */
const GUILD_EPOCH_MS = 1_514_764_800_000;

const P = Permissions;
export const EVERYONE_PERMISSIONS =
  P.viewChannel |
  P.sendMessages |
  P.readMessageHistory |
  P.addReactions |
  P.embedLinks |
  P.attachFiles |
  P.voiceConnect |
  P.voiceSpeak |
  P.changeNickname |
  P.useApplicationCommands |
  P.createInstantInvite;
export const BOT_ROLE_PERMISSIONS =
  P.manageRoles |
  P.manageNicknames |
  P.manageMessages |
  P.viewChannel |
  P.sendMessages |
  P.addReactions |
  P.readMessageHistory |
  P.embedLinks |
  P.moderateMembers |
  P.voiceMuteMembers |
  P.voiceDeafenMembers;
const MODERATOR_PERMISSIONS = P.kickMembers | P.manageMessages | P.moderateMembers | P.manageNicknames;

export const REACTION_EMOJIS = ['🔴', '🟢', '🔵', '🟡', '🟣'];
const REACTION_ROLE_NAMES = ['Red', 'Green', 'Blue', 'Yellow', 'Purple'];
const REACTION_ROLE_COLORS = [0xe74c3c, 0x2ecc71, 0x3498db, 0xf1c40f, 0x9b59b6];
const MISC_ROLE_NAMES = ['Member', 'Regular', 'Artist', 'Gamer', 'Helper', 'Moderator'];

export function generateUser(params: GenerationParams, index: number): APIUser {
  const rng = new Rng(mix(params.seedHash, 0x05e7, index));
  const name = username(rng, index);
  return {
    id: encodeID(IdKind.User, index),
    username: name,
    discriminator: '0',
    global_name: rng.chance(0.6) ? `${name[0].toUpperCase()}${name.slice(1, 8)}` : null,
    avatar: rng.chance(0.7) ? hex(rng, 32) : null,
    public_flags: 0 as UserFlags
  };
}

/** A guild's id from its index alone (the low bits look like a real worker/increment). */
export function guildIDFor(seedHash: number, index: number): string {
  return encodeID(IdKind.Guild, index, mix(seedHash, index, 0x1d) & 0x3ffff);
}

/** The size a guild will have, without generating it (same draw as generateGuild's first one). */
export function guildSize(params: GenerationParams, index: number): number {
  return drawSize(new Rng(mix(params.seedHash, index)), params);
}

function drawSize(rng: Rng, params: GenerationParams): number {
  const f = params.largeGuildFraction;
  const large = rng.chance(f);
  const u = rng.next();
  // Usable pool excludes nobody: the bot is separate from the user pool.
  const cap = params.users;
  if (large) {
    const pareto = 251 + Math.floor(250 * ((1 - u) ** (-1 / 1.5) - 1));
    return Math.min(pareto, LARGE_CAP, cap);
  }
  const smallMean = Math.max(1, (params.averageMembers - f * LARGE_MEAN) / (1 - f) - 2);
  const size = Math.round(2 + smallMean * -Math.log(1 - u));
  return Math.min(size, SMALL_CAP, cap);
}

export function generateGuild(params: GenerationParams, index: number): GuildData {
  const rng = new Rng(mix(params.seedHash, index));
  const size = drawSize(rng, params);
  const guildID = guildIDFor(params.seedHash, index);
  const createdAt = GUILD_EPOCH_MS + index * 60_000 + rng.int(0, 59_999);

  // Roles: @everyone 0, reaction roles, misc roles, the bot's role, an admin role on top.
  let roleSlot = 1;
  const roles = new Map<string, APIRole>();
  roles.set(guildID, role(guildID, '@everyone', 0, EVERYONE_PERMISSIONS, 0));
  const reactionRoleIDs: string[] = [];
  const rrCount = rng.int(2, 5);
  for (let i = 0; i < rrCount; i++) {
    const id = encodeID(IdKind.Role, index, roleSlot++);
    roles.set(id, role(id, REACTION_ROLE_NAMES[i], roles.size, 0n, REACTION_ROLE_COLORS[i]));
    reactionRoleIDs.push(id);
  }
  const miscRoleIDs: string[] = [];
  let moderatorRoleID: string | null = null;
  const miscCount = rng.int(1, 5);
  for (let i = 0; i < miscCount; i++) {
    const id = encodeID(IdKind.Role, index, roleSlot++);
    const name = MISC_ROLE_NAMES[rng.int(0, MISC_ROLE_NAMES.length - 1)];
    const permissions = name === 'Moderator' ? MODERATOR_PERMISSIONS : 0n;
    if (name === 'Moderator') moderatorRoleID = id;
    roles.set(id, { ...role(id, name, roles.size, permissions, rng.int(0, 0xffffff)), hoist: rng.chance(0.3) });
    miscRoleIDs.push(id);
  }
  const botRoleID = encodeID(IdKind.Role, index, roleSlot++);
  roles.set(botRoleID, {
    ...role(botRoleID, 'Athena Sim Bot', roles.size, BOT_ROLE_PERMISSIONS, 0),
    managed: true,
    tags: { bot_id: params.botUserID }
  });
  const adminRoleID = encodeID(IdKind.Role, index, roleSlot++);
  roles.set(adminRoleID, { ...role(adminRoleID, 'Admin', roles.size, P.administrator, 0xffffff), hoist: true });

  // Members: distinct users drawn by popularity, ascending user index == ascending snowflake.
  const userIndices = drawMembers(rng, params, size);
  const members = new Map<string, MemberRecord>();
  const botJoined = createdAt + 86_400_000;
  members.set(params.botUserID, {
    userID: params.botUserID,
    nick: null,
    roles: [botRoleID],
    joinedAt: botJoined,
    mute: false,
    deaf: false,
    communicationDisabledUntil: null
  });
  const ownerPick = rng.int(0, userIndices.length - 1);
  let ownerID = '';
  for (let i = 0; i < userIndices.length; i++) {
    const userID = encodeID(IdKind.User, userIndices[i]);
    const memberRoles: string[] = [];
    if (rng.chance(0.35)) memberRoles.push(rng.pick(miscRoleIDs));
    if (rng.chance(0.25)) memberRoles.push(rng.pick(reactionRoleIDs));
    if (i === ownerPick) {
      memberRoles.push(adminRoleID);
      ownerID = userID;
    }
    members.set(userID, {
      userID,
      nick: rng.chance(0.15) ? word(rng, 2) : null,
      roles: memberRoles,
      joinedAt: createdAt + rng.int(0, 1_000_000_000),
      mute: false,
      deaf: false,
      communicationDisabledUntil: null
    });
  }
  const humanIDs = [...members.keys()].filter((id) => id !== params.botUserID);

  // Channels: slot numbers are part of the ids, so generation order is fixed.
  let channelSlot = 1;
  const channels = new Map<string, ChannelRecord>();
  let position = 0;
  const add = (type: number, name: string, parent: string | null, overwrites: APIOverwrite[], extra = {}) => {
    const id = encodeID(IdKind.Channel, index, channelSlot++);
    channels.set(id, {
      id,
      type,
      name,
      position: position++,
      parent_id: parent,
      permission_overwrites: overwrites,
      flags: 0,
      extra
    });
    return id;
  };
  const text = (topic: string | null) => ({ topic, nsfw: false, rate_limit_per_user: 0, last_message_id: null });
  const voice = () => ({ bitrate: 64000, user_limit: 0, rtc_region: null, nsfw: false, rate_limit_per_user: 0 });

  const infoCategory = add(ChannelTypes.GuildCategory, 'Information', null, []);
  const rrChannel = add(
    ChannelTypes.GuildText,
    'reaction-roles',
    infoCategory,
    [overwrite(guildID, 0, 0n, P.sendMessages), overwrite(botRoleID, 0, P.sendMessages | P.addReactions, 0n)],
    text('Pick your roles')
  );
  const general = add(ChannelTypes.GuildText, 'general', infoCategory, [], text(null));
  const textChannels = [general];
  const chatCount = rng.int(0, 3);
  for (let i = 0; i < chatCount; i++) {
    const overwrites: APIOverwrite[] = [];
    if (rng.chance(0.4)) overwrites.push(overwrite(rng.pick(miscRoleIDs), 0, P.manageMessages, P.addReactions));
    if (rng.chance(0.3)) overwrites.push(overwrite(rng.pick(humanIDs), 1, P.viewChannel, P.sendMessages));
    textChannels.push(add(ChannelTypes.GuildText, `chat-${i}`, infoCategory, overwrites, text(`Topic ${i}`)));
  }
  if (moderatorRoleID) {
    add(
      ChannelTypes.GuildText,
      'staff',
      infoCategory,
      [overwrite(guildID, 0, 0n, P.viewChannel), overwrite(moderatorRoleID, 0, P.viewChannel, 0n)],
      text('Moderators only')
    );
  }
  const voiceIDs: string[] = [];
  const voiceCount = rng.int(0, 2);
  if (voiceCount > 0) {
    const voiceCategory = add(ChannelTypes.GuildCategory, 'Voice', null, []);
    for (let i = 0; i < voiceCount; i++)
      voiceIDs.push(add(ChannelTypes.GuildVoice, `Voice ${i}`, voiceCategory, [], voice()));
  }
  if (rng.chance(0.3)) {
    add(
      ChannelTypes.GuildAnnouncement,
      'announcements',
      infoCategory,
      [overwrite(guildID, 0, 0n, P.sendMessages)],
      text('News')
    );
  }
  const stageID = rng.chance(0.2) ? add(ChannelTypes.GuildStageVoice, 'Stage', null, [], voice()) : null;
  const forumID = rng.chance(0.2)
    ? add(ChannelTypes.GuildForum, 'forum', null, [], {
        topic: null,
        nsfw: false,
        rate_limit_per_user: 0,
        last_message_id: null,
        available_tags: [],
        default_reaction_emoji: null,
        default_thread_rate_limit_per_user: 0,
        default_sort_order: null,
        default_forum_layout: 0
      })
    : null;

  // Threads (active, public) in some guilds.
  const threads = new Map<string, ChannelRecord>();
  const threadParents = forumID ? [...textChannels, forumID] : textChannels;
  const threadCount = rng.chance(0.3) ? rng.int(1, 3) : 0;
  for (let i = 0; i < threadCount; i++) {
    const id = encodeID(IdKind.Channel, index, channelSlot++);
    const created = new Date(createdAt + rng.int(0, 1_000_000_000)).toISOString();
    threads.set(id, {
      id,
      type: ChannelTypes.PublicThread,
      name: `thread ${word(rng, 2)}`,
      position: 0,
      parent_id: rng.pick(threadParents),
      permission_overwrites: [],
      flags: 0,
      extra: {
        owner_id: rng.pick(humanIDs),
        last_message_id: null,
        rate_limit_per_user: 0,
        message_count: rng.int(0, 50),
        member_count: rng.int(1, 20),
        total_message_sent: 0,
        thread_metadata: {
          archived: false,
          auto_archive_duration: 1440,
          archive_timestamp: created,
          locked: false,
          create_timestamp: created
        }
      }
    });
  }

  // Voice states and stage instances in some guilds.
  const voiceStates = new Map<string, VoiceStateRecord>();
  const voiceTargets = stageID ? [...voiceIDs, stageID] : voiceIDs;
  if (voiceTargets.length > 0 && humanIDs.length > 0 && rng.chance(0.3)) {
    const count = rng.int(1, Math.min(5, humanIDs.length));
    for (let i = 0; i < count; i++) {
      const userID = rng.pick(humanIDs);
      voiceStates.set(userID, {
        userID,
        channelID: rng.pick(voiceTargets),
        sessionID: hex(rng, 32),
        selfMute: rng.chance(0.3),
        selfDeaf: rng.chance(0.1)
      });
    }
  }
  const stageInstances: APIStageInstance[] = [];
  if (stageID && rng.chance(0.5)) {
    stageInstances.push({
      id: encodeID(IdKind.StageInstance, index, 1),
      guild_id: guildID,
      channel_id: stageID,
      topic: `Talk about ${word(rng, 2)}`,
      privacy_level: 2,
      discoverable_disabled: true,
      guild_scheduled_event_id: undefined
    });
  }

  const emojis: APIEmoji[] = [];
  const emojiCount = rng.int(0, 4);
  for (let i = 0; i < emojiCount; i++) {
    emojis.push({
      id: encodeID(IdKind.Emoji, index, i + 1),
      name: `${word(rng, 2)}${i}`,
      roles: [],
      require_colons: true,
      managed: false,
      animated: false,
      available: true
    });
  }

  const pairs = reactionRoleIDs.map((roleID, i) => ({ emoji: REACTION_EMOJIS[i], roleID }));
  const rrMessageID = encodeID(IdKind.Message, index, 1);
  const welcomeID = encodeID(IdKind.Message, index, 2);
  const generatedMessages = [
    message(
      rrMessageID,
      rrChannel,
      params.botUserID,
      pairs.map((p, i) => `${p.emoji} ${REACTION_ROLE_NAMES[i]}`).join('\n'),
      botJoined + 60_000
    ),
    message(welcomeID, general, ownerID, 'Welcome!', createdAt + 1000)
  ];
  channels.get(rrChannel)!.extra.last_message_id = rrMessageID;
  channels.get(general)!.extra.last_message_id = welcomeID;

  return {
    index,
    id: guildID,
    name: guildName(rng),
    icon: rng.chance(0.5) ? hex(rng, 32) : null,
    ownerID,
    joinedAt: botJoined,
    systemChannelID: general,
    roles,
    channels,
    threads,
    emojis,
    members,
    sortedMemberIDs: null,
    voiceStates,
    stageInstances,
    reactionRoles: { channelID: rrChannel, messageID: rrMessageID, pairs },
    generatedMessages,
    botRoleID,
    nextChannelSlot: channelSlot,
    nextRoleSlot: roleSlot
  };
}

function drawMembers(rng: Rng, params: GenerationParams, size: number): number[] {
  const chosen = new Set<number>();
  const maxDraws = size * 8;
  for (let draws = 0; chosen.size < size && draws < maxDraws; draws++) chosen.add(params.zipf.sample(rng.next()));
  // Small pools saturate: fill the rest uniformly, probing for unused indices.
  while (chosen.size < size) {
    let candidate = rng.int(0, params.users - 1);
    while (chosen.has(candidate)) candidate = (candidate + 1) % params.users;
    chosen.add(candidate);
  }
  return [...chosen].sort((a, b) => a - b);
}

function role(id: string, name: string, position: number, permissions: bigint, color: number): APIRole {
  return {
    id,
    name,
    color,
    colors: { primary_color: color, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags
  };
}

function overwrite(id: string, type: 0 | 1, allow: bigint, deny: bigint): APIOverwrite {
  return { id, type, allow: allow.toString(), deny: deny.toString() };
}

export function message(id: string, channelID: string, authorID: string, content: string, at: number): APIMessage {
  // The author object is filled in by the world (it knows users); keep a stub with the id here.
  return {
    id,
    channel_id: channelID,
    author: { id: authorID, username: '', discriminator: '0', global_name: null, avatar: null },
    content,
    timestamp: new Date(at).toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0
  };
}

function hex(rng: Rng, length: number): string {
  let out = '';
  while (out.length < length) out += rng.u32().toString(16).padStart(8, '0');
  return out.slice(0, length);
}
