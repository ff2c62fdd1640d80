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
  const fast = parseDiscordISO(value);
  if (fast >= 0) return fast;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function digits(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Discord's own form, `YYYY-MM-DDTHH:MM:SS[.f…]+00:00` (or `Z`), read digit by digit: every member
 * payload carries one (joined_at) and Date.parse costs several times more on the dispatch path.
 * Returns -1 for anything else, which then goes through Date.parse.
 */
function parseDiscordISO(text: string): number {
  const n = text.length;
  if (n < 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84) return -1;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return -1;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23) return -1;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return -1;
  let i = 19;
  let ms = 0;
  if (text.charCodeAt(i) === 46) {
    let scale = 100;
    i++;
    const start = i;
    while (i < n) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      if (scale >= 1) ms += d * scale;
      scale /= 10;
      i++;
    }
    if (i === start) return -1;
    ms = Math.floor(ms);
  }
  const rest = n - i;
  const utc = (rest === 1 && text.charCodeAt(i) === 90) || (rest === 6 && text.endsWith('+00:00'));
  if (!utc) return -1;
  // Date.UTC rolls an impossible day (Feb 30) over; Date.parse would reject it. Checked by the
  // calendar instead of building a Date per timestamp (one per member on GUILD_CREATE).
  if (day > 28 && day > daysInMonth(year, month)) return -1;
  // Years 0-99 mean 1900-1999 to Date.UTC; elsewhere the day count is plain arithmetic, cheaper
  // than the builtin call on the path of every member event.
  if (year < 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (year ≥ 0), as Date.UTC counts them. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1-12) of `year` as Date.UTC counts it (years 0-99 mean 1900-1999). */
export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1] as number;
  const y = year >= 0 && year <= 99 ? 1900 + year : year;
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
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
