/**
 * How a guild's roles keep their names. A name shared across guilds (intern.ts: "@everyone" and
 * names seen twice) is stored as the shared string; any other is kept in the guild's name text
 * (all its unshared names end to end in one string) and its slot is a number: start × 128 + length.
 * A separate string would cost a 16-byte header, padding to 8 bytes and its characters; in the
 * text a name costs its characters. Reading such a name slices the text (a new string each read).
 */
import { sharedName } from '../intern.js';

/** A name's slot: the shared string, or its place in the name text. */
export type NameSlot = string | number;

const LENGTH_SPAN = 128;
/** Past this the text stores no more (a slot must stay a small integer); names become strings. */
const TEXT_LIMIT = 1 << 22;

/** The shared string of a name, if it is one (counting this sighting). */
export function sharedRoleName(name: string): string | undefined {
  return sharedName(name);
}

/** Whether a name (not shared) goes into the text at `start`, rather than being kept as a string. */
export function fitsText(name: string, start: number): boolean {
  return name.length > 0 && name.length < LENGTH_SPAN && start + name.length <= TEXT_LIMIT;
}

export function textSlot(start: number, length: number): number {
  return start * LENGTH_SPAN + length;
}

export function slotStart(slot: number): number {
  return Math.floor(slot / LENGTH_SPAN);
}

export function slotLength(slot: number): number {
  return slot % LENGTH_SPAN;
}

/** The name a slot holds. */
export function readName(slot: NameSlot, text: string): string {
  if (typeof slot === 'string') return slot;
  const start = slotStart(slot);
  return text.slice(start, start + slotLength(slot));
}

/** Whether a slot holds `name`, without building the name. */
export function slotHolds(slot: NameSlot, text: string, name: string): boolean {
  if (typeof slot === 'string') return slot === name;
  return slotLength(slot) === name.length && text.startsWith(name, slotStart(slot));
}

/** `a` and `b` as one flat string (`a + b` would make a rope V8 flattens on first read). */
export function joinFlat(a: string, b: string): string {
  return [a, b].join('');
}
