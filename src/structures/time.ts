/**
 * Timestamps in the cheapest form. Discord sends ISO 8601 strings; structures keep numbers.
 * Milliseconds since 1970 exceed a small integer and would each cost a 16-byte heap number, so
 * hot fields (a member's join time) are kept as seconds since the Discord epoch (a small integer
 * until 2049) plus the millisecond remainder packed elsewhere.
 */
import { DISCORD_EPOCH } from '../util/snowflake.js';

/** ms since 1970 from an ISO string; null for null, absent or unparsable input. */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Seconds since the Discord epoch for a ms timestamp (or -1 for null). */
export function toEpochSeconds(ms: number | null): number {
  return ms === null || ms < DISCORD_EPOCH ? -1 : Math.floor((ms - DISCORD_EPOCH) / 1000);
}

/** Millisecond remainder (0–999) of a ms timestamp. */
export function msRemainder(ms: number | null): number {
  return ms === null || ms < DISCORD_EPOCH ? 0 : (ms - DISCORD_EPOCH) % 1000;
}

/** Back to ms since 1970, or null for the -1 sentinel. */
export function fromEpochSeconds(seconds: number, remainder = 0): number | null {
  return seconds < 0 ? null : DISCORD_EPOCH + seconds * 1000 + remainder;
}

/** ISO string for a ms timestamp, in Discord's `+00:00` form. */
export function toISO(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace('Z', '+00:00');
}
