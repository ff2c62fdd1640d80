/** Pronounceable deterministic names, so usernames can be prefix-searched like real ones. */
import type { Rng } from './random.js';

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ra',
  'ne',
  'to',
  'su',
  'vi',
  'da',
  'ze',
  'po',
  'ly',
  'qu',
  'fa',
  'go',
  'hi',
  'ju',
  'be',
  'co',
  'xa',
  'ri',
  'an',
  'el',
  'or',
  'is',
  'um',
  'yo',
  'wa',
  'ti',
  'sh'
];
const GUILD_WORDS = [
  'Club',
  'Hangout',
  'Guild',
  'Crew',
  'Lounge',
  'Society',
  'Hub',
  'Den',
  'Realm',
  'Collective',
  'Corner',
  'Squad',
  'Arcade',
  'Library',
  'Workshop',
  'Garden'
];

export function word(rng: Rng, syllables: number): string {
  let out = '';
  for (let i = 0; i < syllables; i++) out += rng.pick(SYLLABLES);
  return out;
}

export function username(rng: Rng, index: number): string {
  // The index suffix keeps usernames unique (Discord's new usernames are unique).
  return `${word(rng, rng.int(2, 4))}${index.toString(36)}`;
}

export function guildName(rng: Rng): string {
  const base = word(rng, rng.int(2, 3));
  return `${base[0].toUpperCase()}${base.slice(1)} ${rng.pick(GUILD_WORDS)}`;
}
