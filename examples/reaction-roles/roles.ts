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

/** The role id a reaction with `emojiName` maps to in `guild`, or undefined. */
export function roleForReaction(guild: Guild, emojiName: string | null): string | undefined {
  if (emojiName === null || !Object.hasOwn(ROLE_NAME_BY_EMOJI, emojiName)) return undefined;
  const name = ROLE_NAME_BY_EMOJI[emojiName];
  for (const role of guild.roles.values()) if (role.name === name) return role.id;
  return undefined;
}
