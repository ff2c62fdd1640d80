/**
 * Sharing of repeated low-cardinality values across the whole cache: locales, guild feature
 * strings and feature lists. JSON.parse makes a fresh string per occurrence; 25,000 guilds each
 * holding their own "en-US" and their own copy of the same feature list is waste. Bounded so that
 * hostile or unusual input cannot grow the tables without limit (unshared values stay correct).
 */

const STRING_LIMIT = 4096;
const LIST_LIMIT = 2048;
const strings = new Map<string, string>();
const lists = new Map<string, readonly string[]>();

export const EMPTY_STRINGS: readonly string[] = Object.freeze([]);

export function internString(value: string): string {
  const shared = strings.get(value);
  if (shared !== undefined) return shared;
  if (strings.size < STRING_LIMIT) strings.set(value, value);
  return value;
}

/** A frozen shared copy of a list of short strings (guild features). Non-strings are dropped. */
export function internStringList(values: unknown): readonly string[] {
  if (!Array.isArray(values) || values.length === 0) return EMPTY_STRINGS;
  const clean = values.filter((v): v is string => typeof v === 'string');
  const key = clean.join('\u0000');
  const shared = lists.get(key);
  if (shared !== undefined) return shared;
  const list = Object.freeze(clean.map(internString));
  if (lists.size < LIST_LIMIT) lists.set(key, list);
  return list;
}

/**
 * Names that repeat across guilds (roles: "@everyone", "Moderator", "Muted", "Nitro Booster"; channels:
 * "general", "rules") shared once seen twice. A name seen once is only remembered, in a small
 * direct-mapped table (a slot per cheap hash, overwritten on collision), so the many names that
 * never repeat cost no lasting slot, cannot fill the shared table before the common ones reach it,
 * and cost no Map insert.
 */
const NAME_LIMIT = 4096;
const SEEN_ONCE_SLOTS = 1024;
const names = new Map<string, string>([['@everyone', '@everyone']]);
const seenOnce: (string | undefined)[] = new Array(SEEN_ONCE_SLOTS).fill(undefined);

/** A cheap slot for a name: its length and three of its characters (no full string hash). */
function seenOnceSlot(value: string): number {
  const n = value.length;
  if (n === 0) return 0;
  const mixed = n * 31 + value.charCodeAt(0) * 7 + value.charCodeAt(n >> 1) * 131 + value.charCodeAt(n - 1) * 1031;
  return mixed & (SEEN_ONCE_SLOTS - 1);
}

/** The shared instance of a name (see above), or the name itself while it is not shared. */
export function internName(value: string): string {
  return sharedName(value) ?? value;
}

/**
 * The shared instance of a name when it is shared (this sighting counted: a name seen for the
 * second time becomes shared now), else undefined: for owners that store unshared names more
 * compactly themselves (a guild's role names end to end in one string).
 */
export function sharedName(value: string): string | undefined {
  const shared = names.get(value);
  if (shared !== undefined) return shared;
  if (names.size >= NAME_LIMIT) return undefined;
  const slot = seenOnceSlot(value);
  const first = seenOnce[slot];
  if (first === value) {
    seenOnce[slot] = undefined;
    names.set(first, first);
    return first;
  }
  seenOnce[slot] = value;
  return undefined;
}
