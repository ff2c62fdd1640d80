/**
 * Which role a reaction gives. The bot is configured with emoji → role name, and finds the role by
 * name in the guild. This matches the simulator's reaction-role message (src/testing/world:
 * REACTION_EMOJIS[i] gives the role named REACTION_ROLE_NAMES[i]), which is also what its traffic
 * driver records as the expected role of each reaction.
 */
import type { Guild } from '../../src/index.js';

export const ROLE_NAME_BY_EMOJI: Readonly<Record<string, string>> = {
  '🔴': 'Red',
  '🟢': 'Green',
  '🔵': 'Blue',
  '🟡': 'Yellow',
  '🟣': 'Purple'
};

/** The role name a reaction with `emojiName` gives, or undefined for other emojis. */
export function roleNameFor(emojiName: string | null): string | undefined {
  return emojiName !== null && Object.hasOwn(ROLE_NAME_BY_EMOJI, emojiName) ? ROLE_NAME_BY_EMOJI[emojiName] : undefined;
}

/** The id of the role named `name` in a cached guild. */
export function roleIDByName(guild: Guild, name: string): string | undefined {
  for (const role of guild.roles.values()) if (role.name === name) return role.id;
  return undefined;
}
