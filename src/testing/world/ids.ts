/**
 * How the world's snowflakes encode what they name, so an id alone finds its guild without any
 * index in memory: the timestamp part is KIND_BASE + index (index of the guild, or of the user),
 * the low 22 bits carry a slot within the guild (channel number, role number, ...).
 */
import { isSnowflake } from '../../util/snowflake.js';

export const IdKind = {
  Guild: 0,
  Channel: 1,
  Role: 2,
  Emoji: 3,
  Message: 4,
  StageInstance: 5,
  User: 6,
  Application: 7
} as const;
export type IdKind = (typeof IdKind)[keyof typeof IdKind];

/** 2017-01-01 in milliseconds since the Discord epoch: all world ids are from after it. */
const BASE_MS = 63_158_400_000;
/** Milliseconds reserved per kind: up to two billion guilds or users. */
const KIND_SPAN = 2_000_000_000;
const LOW_MASK = 0x3fffff;

export function encodeID(kind: IdKind, index: number, low = 0): string {
  const ms = BASE_MS + kind * KIND_SPAN + index;
  return ((BigInt(ms) << 22n) | BigInt(low & LOW_MASK)).toString();
}

export interface DecodedID {
  kind: IdKind;
  index: number;
  low: number;
}

/** Decode a world id; undefined for anything the world did not make (or a malformed string). */
export function decodeID(id: unknown): DecodedID | undefined {
  if (!isSnowflake(id)) return undefined;
  const value = BigInt(id);
  const offset = Number(value >> 22n) - BASE_MS;
  if (offset < 0) return undefined;
  const kind = Math.floor(offset / KIND_SPAN);
  if (kind > IdKind.Application) return undefined;
  return { kind: kind as IdKind, index: offset % KIND_SPAN, low: Number(value & BigInt(LOW_MASK)) };
}

/** Guild index of any guild-scoped id (guild, channel, role, emoji, message, stage instance). */
export function guildIndexOf(id: unknown, kind: IdKind): number | undefined {
  const decoded = decodeID(id);
  return decoded && decoded.kind === kind ? decoded.index : undefined;
}

/** The shard of the guild with this index, without BigInt: its timestamp part is BASE + index. */
export function shardOfGuildIndex(index: number, shardCount: number): number {
  return (BASE_MS + IdKind.Guild * KIND_SPAN + index) % shardCount;
}
