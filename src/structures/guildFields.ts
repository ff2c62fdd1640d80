/**
 * Where a Guild keeps its many rarely read settings, so a guild object is ~20 slots instead of ~50.
 *
 * - Settings (levels, limits, locale, features, small flags) take few distinct combinations across
 *   guilds: they live in one frozen object shared by every guild with the same values (a bounded
 *   intern table; beyond it a guild simply holds its own copy). Writing one copies and re-interns.
 * - Ids and strings most guilds leave null (rules channel, vanity URL, banner…) live in a side
 *   object that only guilds with at least one of them allocate.
 *
 * The Guild exposes every field as a plain read/write property (accessors installed by
 * `installGuildFieldAccessors`), so the public shape is unchanged.
 */
import { EMPTY_STRINGS } from './intern.js';

export interface GuildSettings {
  /** Almost always false once the guild is cached: a setting rather than a slot in every guild. */
  readonly unavailable: boolean;
  readonly large: boolean;
  readonly features: readonly string[];
  readonly afkTimeout: number;
  readonly verificationLevel: number;
  readonly defaultNotifications: number;
  readonly explicitContentFilter: number;
  readonly mfaLevel: number;
  readonly nsfwLevel: number;
  readonly premiumTier: number;
  readonly premiumSubscriptionCount: number | undefined;
  readonly premiumProgressBarEnabled: boolean;
  readonly preferredLocale: string;
  readonly systemChannelFlags: number;
  readonly maxMembers: number | undefined;
  readonly maxPresences: number | null | undefined;
  readonly maxVideoChannelUsers: number | undefined;
  readonly maxStageVideoChannelUsers: number | undefined;
  readonly widgetEnabled: boolean | undefined;
  /**
   * Whether `widgetChannelID` is null rather than undefined when the guild holds no widget channel
   * id. Discord sends `widget_channel_id: null` with every guild: kept here (shared), a null costs
   * no side object. Not a Guild property (see GUILD_SETTING_KEYS).
   */
  readonly widgetChannelNull: boolean;
}

export interface GuildExtra {
  afkChannelID: string | null;
  rulesChannelID: string | null;
  publicUpdatesChannelID: string | null;
  safetyAlertsChannelID: string | null;
  applicationID: string | null;
  description: string | null;
  vanityURL: string | null;
  banner: string | null;
  splash: string | null;
  discoverySplash: string | null;
  /** A widget channel id; null here means "none", which settings.widgetChannelNull tells apart. */
  widgetChannelID: string | null;
}

export type GuildSettingKey = keyof GuildSettings;
export type GuildExtraKey = keyof GuildExtra;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Built with one literal so every settings object has the same hidden class. */
function settingsObject(s: GuildSettings): GuildSettings {
  return Object.freeze({
    unavailable: s.unavailable,
    large: s.large,
    features: s.features,
    afkTimeout: s.afkTimeout,
    verificationLevel: s.verificationLevel,
    defaultNotifications: s.defaultNotifications,
    explicitContentFilter: s.explicitContentFilter,
    mfaLevel: s.mfaLevel,
    nsfwLevel: s.nsfwLevel,
    premiumTier: s.premiumTier,
    premiumSubscriptionCount: s.premiumSubscriptionCount,
    premiumProgressBarEnabled: s.premiumProgressBarEnabled,
    preferredLocale: s.preferredLocale,
    systemChannelFlags: s.systemChannelFlags,
    maxMembers: s.maxMembers,
    maxPresences: s.maxPresences,
    maxVideoChannelUsers: s.maxVideoChannelUsers,
    maxStageVideoChannelUsers: s.maxStageVideoChannelUsers,
    widgetEnabled: s.widgetEnabled,
    widgetChannelNull: s.widgetChannelNull
  });
}

export const DEFAULT_GUILD_SETTINGS: GuildSettings = settingsObject({
  unavailable: false,
  large: false,
  features: EMPTY_STRINGS,
  afkTimeout: 0,
  verificationLevel: 0,
  defaultNotifications: 0,
  explicitContentFilter: 0,
  mfaLevel: 0,
  nsfwLevel: 0,
  premiumTier: 0,
  premiumSubscriptionCount: undefined,
  premiumProgressBarEnabled: false,
  preferredLocale: 'en-US',
  systemChannelFlags: 0,
  maxMembers: undefined,
  maxPresences: undefined,
  maxVideoChannelUsers: undefined,
  maxStageVideoChannelUsers: undefined,
  widgetEnabled: undefined,
  widgetChannelNull: false
});

/** Every settings field, in the order of the intern key. */
const ALL_SETTING_KEYS = Object.keys(DEFAULT_GUILD_SETTINGS) as GuildSettingKey[];

/** The settings that are Guild properties (accessors installed on Guild.prototype). */
export const GUILD_SETTING_KEYS: readonly GuildSettingKey[] = ALL_SETTING_KEYS.filter(
  (key) => key !== 'widgetChannelNull'
);

export const GUILD_EXTRA_KEYS: readonly GuildExtraKey[] = [
  'afkChannelID',
  'rulesChannelID',
  'publicUpdatesChannelID',
  'safetyAlertsChannelID',
  'applicationID',
  'description',
  'vanityURL',
  'banner',
  'splash',
  'discoverySplash',
  'widgetChannelID'
];

/** Distinct settings combinations shared; further ones are held per guild (still correct). */
const SETTINGS_LIMIT = 8192;
const sharedSettings = new Map<string, GuildSettings>();

/**
 * The shared instance of these settings. Features lists are interned elsewhere (intern.ts), so
 * their identity is part of the key through their joined contents.
 */
export function internSettings(s: GuildSettings): GuildSettings {
  let key = s.features.join(',');
  for (const name of ALL_SETTING_KEYS) if (name !== 'features') key += `|${String(s[name])}`;
  const shared = sharedSettings.get(key);
  if (shared !== undefined && shared.features === s.features) return shared;
  const made = settingsObject(s);
  if (shared === undefined && sharedSettings.size < SETTINGS_LIMIT) sharedSettings.set(key, made);
  return made;
}

/** A writable copy of shared settings, for applying an update before re-interning. */
export function editableSettings(s: GuildSettings): Mutable<GuildSettings> {
  return { ...s };
}

export function emptyGuildExtra(): GuildExtra {
  return {
    afkChannelID: null,
    rulesChannelID: null,
    publicUpdatesChannelID: null,
    safetyAlertsChannelID: null,
    applicationID: null,
    description: null,
    vanityURL: null,
    banner: null,
    splash: null,
    discoverySplash: null,
    widgetChannelID: null
  };
}

/**
 * The value a guild without a side object reports for an extra field (widgetChannelID: see
 * GuildSettings.widgetChannelNull instead).
 */
export function extraDefault(_key: GuildExtraKey): null {
  return null;
}

/**
 * A guild's name and icon hash in one flat string: one string header (16 bytes and padding) and
 * one Guild slot instead of two. The first character says where the icon ends: 0 for no icon
 * (null), `length + 1` for an icon of up to 250 characters, else 255 followed by the length in
 * decimal and a colon. Reading either part slices the string (a new string each read).
 */
export function joinLabel(name: string, icon: string | null): string {
  if (icon === null) return ['\u0000', name].join('');
  if (icon.length <= 250) return [String.fromCharCode(icon.length + 1), icon, name].join('');
  return ['\u00ff', String(icon.length), ':', icon, name].join('');
}

/** Where a label's name starts, and its icon's [start, end) (start -1: no icon). */
function labelParts(label: string): [nameAt: number, iconAt: number] {
  const head = label.charCodeAt(0);
  if (head === 0) return [1, -1];
  if (head !== 0xff) return [head, 1];
  const colon = label.indexOf(':', 1);
  return [colon + 1 + Number(label.slice(1, colon)), colon + 1];
}

/** The name of a label made by joinLabel. */
export function labelName(label: string): string {
  return label.slice(labelParts(label)[0]);
}

/** The icon of a label made by joinLabel (null for none). */
export function labelIcon(label: string): string | null {
  const [nameAt, iconAt] = labelParts(label);
  return iconAt < 0 ? null : label.slice(iconAt, nameAt);
}

/** A join time that does not split (negative, fractional, past 2038): boxed, see splitJoinedAt. */
export type JoinedAtBox = readonly [number];

/**
 * A join time (ms since 1970, or null) as two small integers: whole seconds since 1970 and the
 * millisecond remainder. A number of milliseconds does not fit a small integer and would cost a
 * 16-byte heap number. Null is (-1, null); a value that does not split is (-1, [value]): never a
 * non-integer number in the field, which would make V8 box the field in every guild.
 */
export function splitJoinedAt(ms: number | null): [seconds: number, rest: number | JoinedAtBox | null] {
  if (ms === null) return [-1, null];
  if (!Number.isInteger(ms) || ms < 0 || ms >= 0x7fffffff * 1000) return [-1, Object.freeze([ms]) as JoinedAtBox];
  // `| 0`: small integers in the fields, not doubles that happen to be integral.
  const seconds = Math.floor(ms / 1000) | 0;
  return [seconds, (ms - seconds * 1000) | 0];
}

/** The join time split by splitJoinedAt. */
export function joinedAtOf(seconds: number, rest: number | JoinedAtBox | null): number | null {
  if (seconds >= 0) return seconds * 1000 + (rest as number);
  return rest === null ? null : (rest as JoinedAtBox)[0];
}
