/**
 * Protocol constants shared by every layer (and by the simulator, which may import only `util`).
 * Values follow Discord gateway and REST v10.
 */

/** Gateway intent bits, Eris-style names. */
export const Intents = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildModeration: 1 << 2,
  GuildExpressions: 1 << 3,
  GuildIntegrations: 1 << 4,
  GuildWebhooks: 1 << 5,
  GuildInvites: 1 << 6,
  GuildVoiceStates: 1 << 7,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  GuildMessageReactions: 1 << 10,
  GuildMessageTyping: 1 << 11,
  DirectMessages: 1 << 12,
  DirectMessageReactions: 1 << 13,
  DirectMessageTyping: 1 << 14,
  MessageContent: 1 << 15,
  GuildScheduledEvents: 1 << 16,
  AutoModerationConfiguration: 1 << 20,
  AutoModerationExecution: 1 << 21,
  GuildMessagePolls: 1 << 24,
  DirectMessagePolls: 1 << 25
} as const;

/** The name of a gateway intent (a key of `Intents`). */
export type IntentName = keyof typeof Intents;

/** Every defined intent bit OR-ed together; any other bit is invalid (close 4013). */
export const ALL_INTENTS: number = Object.values(Intents).reduce((a, b) => a | b, 0);

/** Intents that must be enabled in the developer portal (close 4014 otherwise). */
export const PRIVILEGED_INTENTS: number = Intents.GuildMembers | Intents.GuildPresences | Intents.MessageContent;

/** Discord's gateway opcodes, by name. */
export const GatewayOP = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
  RequestSoundboardSounds: 31,
  RequestChannelInfo: 43
} as const;

/** Discord's gateway close codes, by name. */
export const GatewayCloseCodes = {
  UnknownError: 4000,
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidSeq: 4007,
  RateLimited: 4008,
  SessionTimedOut: 4009,
  InvalidShard: 4010,
  ShardingRequired: 4011,
  InvalidAPIVersion: 4012,
  InvalidIntents: 4013,
  DisallowedIntents: 4014
} as const;

/** Close codes after which reconnecting is pointless (the docs' "Reconnect: no"). */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([4004, 4010, 4011, 4012, 4013, 4014]);

/** Close codes after which the session is gone and a new identify is needed. */
export const SESSION_ENDING_CLOSE_CODES: ReadonlySet<number> = new Set([4003, 4007, 4009]);

/** Discord's channel types, by name. */
export const ChannelTypes = {
  GuildText: 0,
  DM: 1,
  GuildVoice: 2,
  GroupDM: 3,
  GuildCategory: 4,
  GuildAnnouncement: 5,
  AnnouncementThread: 10,
  PublicThread: 11,
  PrivateThread: 12,
  GuildStageVoice: 13,
  GuildDirectory: 14,
  GuildForum: 15,
  GuildMedia: 16
} as const;

/** Permission bits as bigints (Discord serialises them as decimal strings). */
export const Permissions = {
  createInstantInvite: 1n << 0n,
  kickMembers: 1n << 1n,
  banMembers: 1n << 2n,
  administrator: 1n << 3n,
  manageChannels: 1n << 4n,
  manageGuild: 1n << 5n,
  addReactions: 1n << 6n,
  viewAuditLog: 1n << 7n,
  prioritySpeaker: 1n << 8n,
  stream: 1n << 9n,
  viewChannel: 1n << 10n,
  sendMessages: 1n << 11n,
  sendTTSMessages: 1n << 12n,
  manageMessages: 1n << 13n,
  embedLinks: 1n << 14n,
  attachFiles: 1n << 15n,
  readMessageHistory: 1n << 16n,
  mentionEveryone: 1n << 17n,
  useExternalEmojis: 1n << 18n,
  viewGuildInsights: 1n << 19n,
  voiceConnect: 1n << 20n,
  voiceSpeak: 1n << 21n,
  voiceMuteMembers: 1n << 22n,
  voiceDeafenMembers: 1n << 23n,
  voiceMoveMembers: 1n << 24n,
  voiceUseVAD: 1n << 25n,
  changeNickname: 1n << 26n,
  manageNicknames: 1n << 27n,
  manageRoles: 1n << 28n,
  manageWebhooks: 1n << 29n,
  manageGuildExpressions: 1n << 30n,
  useApplicationCommands: 1n << 31n,
  voiceRequestToSpeak: 1n << 32n,
  manageEvents: 1n << 33n,
  manageThreads: 1n << 34n,
  createPublicThreads: 1n << 35n,
  createPrivateThreads: 1n << 36n,
  useExternalStickers: 1n << 37n,
  sendMessagesInThreads: 1n << 38n,
  useEmbeddedActivities: 1n << 39n,
  moderateMembers: 1n << 40n,
  viewCreatorMonetizationAnalytics: 1n << 41n,
  useSoundboard: 1n << 42n,
  createGuildExpressions: 1n << 43n,
  createEvents: 1n << 44n,
  useExternalSounds: 1n << 45n,
  sendVoiceMessages: 1n << 46n,
  setVoiceChannelStatus: 1n << 48n,
  sendPolls: 1n << 49n,
  useExternalApps: 1n << 50n,
  pinMessages: 1n << 51n,
  bypassSlowmode: 1n << 52n
} as const;

/** The name of a permission (a key of `Permissions`). */
export type PermissionName = keyof typeof Permissions;

/** Every permission bit set. */
export const ALL_PERMISSIONS: bigint = Object.values(Permissions).reduce((a, b) => a | b, 0n);

/** The Discord API and gateway version Athena speaks. */
export const API_VERSION = 10;
/** Discord's REST base URL (override with `rest.baseURL` or ATHENA_REST_BASE_URL). */
export const DEFAULT_REST_BASE_URL = 'https://discord.com/api/v10';
/** This library's name, as sent in identify properties and the User-Agent. */
export const LIBRARY_NAME = 'athena';
/** This library's version. */
export const LIBRARY_VERSION = '0.1.0';
