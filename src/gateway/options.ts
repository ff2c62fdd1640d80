/**
 * Gateway options as users write them (Eris names), validated and resolved once at construction.
 * A wrong type or value throws `InvalidOptionError` naming the option, so mistakes surface at
 * `new Client(...)` rather than as a close code minutes later.
 */
import { type IntentName, Intents, PRIVILEGED_INTENTS } from '../util/constants.js';
import { InvalidOptionError } from '../util/errors.js';

/** The `compress` option: `true` (zlib-stream), `false`, `'zlib-stream'` or `'zstd-stream'`. */
export type CompressOption = boolean | 'zlib-stream' | 'zstd-stream';
/** The transport compression a shard negotiates, or null for none. */
export type TransportCompression = 'zlib-stream' | 'zstd-stream' | null;

/** A presence status. */
export type PresenceStatus = 'online' | 'dnd' | 'idle' | 'invisible' | 'offline';

/** Bots may set only name, state, type and url on an activity. */
export interface PresenceActivity {
  name: string;
  type: number;
  state?: string;
  url?: string | null;
}

/** A presence update as users write it (status, activities, afk, since). */
export interface Presence {
  status?: PresenceStatus;
  activities?: PresenceActivity[];
  afk?: boolean;
  since?: number | null;
}

/** The presence exactly as op 2 / op 3 carry it. */
export interface GatewayPresence {
  status: PresenceStatus;
  activities: PresenceActivity[];
  afk: boolean;
  since: number | null;
}

/** Gateway options of a Client (Eris names): intents, shards, compression, events, presence, timing. */
export interface GatewayOptions {
  /** A bitfield or a list of `Intents` names. Default: every non-privileged intent. */
  intents?: number | IntentName[];
  /** Total shard count, or 'auto' for the recommendation of GET /gateway/bot. Default 'auto'. */
  maxShards?: 'auto' | number;
  /** First shard this process runs. Default 0. */
  firstShardID?: number;
  /** Last shard this process runs. Default maxShards - 1. */
  lastShardID?: number;
  /** Identify concurrency, or 'auto' for session_start_limit.max_concurrency. Default 'auto'. */
  shardConcurrency?: 'auto' | number;
  /** Transport compression; `true` means zlib-stream. Default false. */
  compress?: CompressOption;
  /** Identify large_threshold, 50..250. Default 250. */
  largeThreshold?: number;
  /** Dispatch events not to parse nor deliver: a list of names or a record name → true. */
  disableEvents?: string[] | Record<string, boolean>;
  /** Reconnect after non-fatal disconnects. Default true. */
  autoreconnect?: boolean;
  /** Milliseconds from opening a socket to READY/RESUMED before giving up on that attempt. Default 30000. */
  connectionTimeout?: number;
  /** Milliseconds to wait for a shard's lazy GUILD_CREATEs (reset by each one). Default 2000. */
  guildCreateTimeout?: number;
  /** Presence sent with every identify. */
  presence?: Presence;
  /** Request every member of large guilds (op 8) as their GUILD_CREATE arrives. Default false. */
  getAllUsers?: boolean;
  /** Delay before reconnect attempt n (1-based). Default: jittered exponential, 1 s doubling to 30 s. */
  reconnectDelay?: (attempt: number) => number;
  /** [min, max] milliseconds to wait before re-identifying after op 9 d:false. Default [1000, 5000]. */
  invalidSessionDelay?: [number, number];
  /** Identify window per bucket in ms (Discord: 5000). Only lower it against a simulator. */
  identifyWindow?: number;
  /** Default timeout of requestGuildMembers in ms. Default 15000. */
  requestTimeout?: number;
}

/** Gateway options after validation, with every default filled in. */
export interface ResolvedGatewayOptions {
  intents: number;
  maxShards: 'auto' | number;
  firstShardID: number;
  lastShardID: number | null;
  shardConcurrency: 'auto' | number;
  compress: TransportCompression;
  largeThreshold: number;
  disableEvents: ReadonlySet<string>;
  autoreconnect: boolean;
  connectionTimeout: number;
  guildCreateTimeout: number;
  presence: GatewayPresence;
  getAllUsers: boolean;
  /**
   * Milliseconds to wait before reconnect attempt n (1-based): the option, or the jittered exponential
   * default.
   */
  reconnectDelay: (attempt: number) => number;
  invalidSessionDelay: [number, number];
  identifyWindow: number;
  requestTimeout: number;
}

const STATUSES: ReadonlySet<string> = new Set(['online', 'dnd', 'idle', 'invisible', 'offline']);
const DEFAULT_INTENTS = Object.values(Intents).reduce((a, b) => a | b, 0) & ~PRIVILEGED_INTENTS;

/** Jittered exponential backoff: 1 s, 2 s, 4 s … capped at 30 s, each scaled by a random 0.5–1. */
export function defaultReconnectDelay(attempt: number): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.5 + Math.random() * 0.5));
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function intIn(option: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!isInt(value) || value < min || value > max) {
    throw new InvalidOptionError(option, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function bool(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidOptionError(option, 'a boolean', value);
  return value;
}

/**
 * Turn the `intents` option (bitfield or names) into a bitfield; throws InvalidOptionError on a bad value.
 */
export function resolveIntents(value: unknown): number {
  if (value === undefined) return DEFAULT_INTENTS;
  if (isInt(value) && value >= 0) return value;
  if (Array.isArray(value)) {
    let bits = 0;
    for (const name of value) {
      if (typeof name !== 'string' || !Object.hasOwn(Intents, name)) {
        throw new InvalidOptionError('intents', `names from Intents (${Object.keys(Intents).join(', ')})`, name);
      }
      bits |= Intents[name as IntentName];
    }
    return bits;
  }
  throw new InvalidOptionError('intents', 'a non-negative integer bitfield or an array of intent names', value);
}

function resolveCompress(value: unknown): TransportCompression {
  if (value === undefined || value === false) return null;
  if (value === true || value === 'zlib-stream') return 'zlib-stream';
  if (value === 'zstd-stream') return 'zstd-stream';
  throw new InvalidOptionError('compress', "true, false, 'zlib-stream' or 'zstd-stream'", value);
}

function resolveDisableEvents(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  const names: string[] = [];
  if (Array.isArray(value)) {
    for (const name of value) {
      if (typeof name !== 'string') throw new InvalidOptionError('disableEvents', 'an array of event names', name);
      names.push(name);
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [name, on] of Object.entries(value)) {
      if (typeof on !== 'boolean') throw new InvalidOptionError(`disableEvents.${name}`, 'a boolean', on);
      if (on) names.push(name);
    }
  } else {
    throw new InvalidOptionError('disableEvents', 'an array of event names or a record of name → boolean', value);
  }
  for (const name of names) {
    if (!/^[A-Z0-9_]{1,64}$/.test(name)) {
      throw new InvalidOptionError('disableEvents', 'gateway event names such as "TYPING_START"', name);
    }
  }
  return new Set(names);
}

function resolvePresence(value: unknown): GatewayPresence {
  const presence: GatewayPresence = { status: 'online', activities: [], afk: false, since: null };
  if (value === undefined) return presence;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError('presence', 'an object { status, activities, afk, since }', value);
  }
  const raw = value as Record<string, unknown>;
  if (raw.status !== undefined) {
    if (typeof raw.status !== 'string' || !STATUSES.has(raw.status)) {
      throw new InvalidOptionError('presence.status', 'online, dnd, idle, invisible or offline', raw.status);
    }
    presence.status = raw.status as PresenceStatus;
  }
  if (raw.activities !== undefined) {
    if (!Array.isArray(raw.activities)) throw new InvalidOptionError('presence.activities', 'an array', raw.activities);
    presence.activities = raw.activities.map((activity, i) => resolveActivity(activity, i));
  }
  presence.afk = bool('presence.afk', raw.afk, false);
  if (raw.since !== undefined && raw.since !== null) {
    if (!isInt(raw.since) || raw.since < 0)
      throw new InvalidOptionError('presence.since', 'a timestamp or null', raw.since);
    presence.since = raw.since;
  }
  return presence;
}

function resolveActivity(value: unknown, index: number): PresenceActivity {
  const option = `presence.activities[${index}]`;
  if (value === null || typeof value !== 'object') throw new InvalidOptionError(option, 'an activity object', value);
  const raw = value as Record<string, unknown>;
  if (typeof raw.name !== 'string') throw new InvalidOptionError(`${option}.name`, 'a string', raw.name);
  const activity: PresenceActivity = { name: raw.name, type: intIn(`${option}.type`, raw.type, 0, 6, 0) };
  if (raw.state !== undefined) {
    if (typeof raw.state !== 'string') throw new InvalidOptionError(`${option}.state`, 'a string', raw.state);
    activity.state = raw.state;
  }
  if (raw.url !== undefined && raw.url !== null) {
    if (typeof raw.url !== 'string') throw new InvalidOptionError(`${option}.url`, 'a string', raw.url);
    activity.url = raw.url;
  }
  return activity;
}

/** Validate a presence for `editStatus` and fill in its defaults. */
export function resolvePresenceUpdate(value: unknown): GatewayPresence {
  return resolvePresence(value);
}

/**
 * Validate and fill in the gateway options. Unknown keys are ignored (the Client passes its whole
 * options object; other layers validate theirs).
 */
export function resolveGatewayOptions(raw: GatewayOptions = {}): ResolvedGatewayOptions {
  if (raw === null || typeof raw !== 'object') throw new InvalidOptionError('options', 'an object', raw);
  const maxShards = raw.maxShards === undefined ? 'auto' : raw.maxShards;
  if (maxShards !== 'auto' && (!isInt(maxShards) || maxShards < 1)) {
    throw new InvalidOptionError('maxShards', "'auto' or a positive integer", maxShards);
  }
  const shardConcurrency = raw.shardConcurrency === undefined ? 'auto' : raw.shardConcurrency;
  if (shardConcurrency !== 'auto' && (!isInt(shardConcurrency) || shardConcurrency < 1)) {
    throw new InvalidOptionError('shardConcurrency', "'auto' or a positive integer", shardConcurrency);
  }
  const firstShardID = intIn('firstShardID', raw.firstShardID, 0, 1_000_000, 0);
  const lastShardID =
    raw.lastShardID === undefined ? null : intIn('lastShardID', raw.lastShardID, firstShardID, 1_000_000, 0);
  if (maxShards !== 'auto' && lastShardID !== null && lastShardID >= maxShards) {
    throw new InvalidOptionError('lastShardID', `an integer below maxShards (${maxShards})`, lastShardID);
  }
  if (raw.reconnectDelay !== undefined && typeof raw.reconnectDelay !== 'function') {
    throw new InvalidOptionError('reconnectDelay', 'a function (attempt) => milliseconds', raw.reconnectDelay);
  }
  const invalidSessionDelay = raw.invalidSessionDelay ?? [1000, 5000];
  if (
    !Array.isArray(invalidSessionDelay) ||
    invalidSessionDelay.length !== 2 ||
    !invalidSessionDelay.every((n) => isInt(n) && n >= 0) ||
    invalidSessionDelay[0] > invalidSessionDelay[1]
  ) {
    throw new InvalidOptionError('invalidSessionDelay', '[min, max] milliseconds with min <= max', invalidSessionDelay);
  }
  return {
    intents: resolveIntents(raw.intents),
    maxShards,
    firstShardID,
    lastShardID,
    shardConcurrency,
    compress: resolveCompress(raw.compress),
    largeThreshold: intIn('largeThreshold', raw.largeThreshold, 50, 250, 250),
    disableEvents: resolveDisableEvents(raw.disableEvents),
    autoreconnect: bool('autoreconnect', raw.autoreconnect, true),
    connectionTimeout: intIn('connectionTimeout', raw.connectionTimeout, 1, 3_600_000, 30_000),
    guildCreateTimeout: intIn('guildCreateTimeout', raw.guildCreateTimeout, 0, 3_600_000, 2000),
    presence: resolvePresence(raw.presence),
    getAllUsers: bool('getAllUsers', raw.getAllUsers, false),
    reconnectDelay: raw.reconnectDelay ?? defaultReconnectDelay,
    invalidSessionDelay: [invalidSessionDelay[0], invalidSessionDelay[1]],
    identifyWindow: intIn('identifyWindow', raw.identifyWindow, 0, 60_000, 5000),
    requestTimeout: intIn('requestTimeout', raw.requestTimeout, 1, 3_600_000, 15_000)
  };
}
