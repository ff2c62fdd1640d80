/**
 * Values that only some slots of a member store have (nicknames, the rare extra fields), by slot.
 * Most guilds have a handful (the bench world's median is 4 nicknames per guild): those are kept
 * as `[slot, value, slot, value, …]` in one array and found by a scan of small integers, about
 * 16 B per value instead of a Map's hash table (~280 B for a few entries). Past PAIR_LIMIT values
 * they move to a Map, so a large guild's reads stay O(1).
 */
export type SlotValues<T> = (number | T)[] | Map<number, T>;

/** Values kept as pairs before they move to a Map. */
const PAIR_LIMIT = 16;

/** The value of `slot`, or undefined. */
export function slotValue<T>(values: SlotValues<T> | null, slot: number): T | undefined {
  if (values === null) return undefined;
  if (values instanceof Map) return values.get(slot);
  for (let i = 0; i < values.length; i += 2) if (values[i] === slot) return values[i + 1] as T;
  return undefined;
}

/** Set the value of `slot`; returns the container to keep (new when there was none, or when it became a Map). */
export function withValue<T>(values: SlotValues<T> | null, slot: number, value: T): SlotValues<T> {
  if (values === null) return [slot, value];
  if (values instanceof Map) return values.set(slot, value);
  for (let i = 0; i < values.length; i += 2) {
    if (values[i] === slot) {
      values[i + 1] = value;
      return values;
    }
  }
  const length = values.length;
  if (length < PAIR_LIMIT * 2) {
    // A new array of exactly one more pair: push would grow the backing store by 1.5× + 16 slots.
    const next = new Array<number | T>(length + 2);
    for (let i = 0; i < length; i++) next[i] = values[i] as number | T;
    next[length] = slot;
    next[length + 1] = value;
    return next;
  }
  const map = new Map<number, T>();
  for (let i = 0; i < values.length; i += 2) map.set(values[i] as number, values[i + 1] as T);
  return map.set(slot, value);
}

/** Drop the value of `slot`; returns the container to keep (null once empty). */
export function withoutValue<T>(values: SlotValues<T> | null, slot: number): SlotValues<T> | null {
  if (values === null) return null;
  if (values instanceof Map) {
    values.delete(slot);
    return values.size === 0 ? null : values;
  }
  for (let i = 0; i < values.length; i += 2) {
    if (values[i] === slot) {
      const last = values.length - 2;
      if (last === 0) return null;
      // Order does not matter: the last pair takes this one's place, in an array of exactly the pairs left.
      values[i] = values[last] as number;
      values[i + 1] = values[last + 1] as T;
      return values.slice(0, last);
    }
  }
  return values;
}

/** The same values under the slots a compaction moved them to (`moved[old]` is the new slot). */
export function renumbered<T>(values: SlotValues<T> | null, moved: Int32Array): SlotValues<T> | null {
  if (values === null) return null;
  if (values instanceof Map) {
    const map = new Map<number, T>();
    for (const [slot, value] of values) map.set(moved[slot] as number, value);
    return map;
  }
  for (let i = 0; i < values.length; i += 2) values[i] = moved[values[i] as number] as number;
  return values;
}
