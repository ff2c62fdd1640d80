import { internName } from '../intern.js';

/**
 * Role names as stored: through the cache-wide name table (intern.ts), so "@everyone" and the
 * names real guilds repeat are one string for all guilds.
 */
export function internRoleName(name: string): string {
  return internName(name);
}
