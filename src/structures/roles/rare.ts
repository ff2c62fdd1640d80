/**
 * Sharing of roles' rare fields across guilds. The roles that have one are mostly the same few
 * kinds in every guild: a bot's managed role (named after the bot, `tags: { bot_id }`), the
 * booster role (`tags: { premium_subscriber: null }`), an integration's role. A RoleStore keeps
 * such a role's name and rare fields in one frozen RoleRare shared by every row (of any guild)
 * holding equal ones, where each guild held an extra object, a tags object and the bot id string.
 *
 * Both tables are bounded (hostile or unusual input cannot grow them); past the bound a row holds
 * its own object, which reads the same. A lookup that finds an object under the same key checks
 * every field before sharing it, so no key collision can give a row another role's values.
 */
import type { APIRoleTags } from 'discord-api-types/v10';
import { internName } from '../intern.js';
import type { RoleExtra } from './source.js';

/** A role's name with its rare fields: what a RoleStore row holds for a role that has any. */
export interface RoleRare extends RoleExtra {
  readonly name: string;
}

const TAGS_LIMIT = 4096;
const RARE_LIMIT = 4096;
const sharedTags = new Map<string, APIRoleTags>();
const sharedRares = new Map<string, RoleRare>();
/** Tags objects internTags made (plain values only, so their JSON is their key). */
const madeTags = new WeakSet<object>();

/**
 * The shared frozen copy of a role's tags. Tags whose values are not all strings, nulls or
 * booleans (Discord sends no others) are kept as they are.
 */
export function internTags(tags: APIRoleTags): APIRoleTags {
  if (tags === null || typeof tags !== 'object') return tags;
  const entries = Object.entries(tags);
  for (const [, value] of entries) {
    if (value !== null && typeof value !== 'string' && typeof value !== 'boolean') return tags;
  }
  // JSON keeps the key order, which `role.tags` shows, and tells null, booleans and strings apart.
  const key = JSON.stringify(tags);
  const shared = sharedTags.get(key);
  if (shared !== undefined) return shared;
  const copy = Object.freeze(Object.fromEntries(entries)) as APIRoleTags;
  madeTags.add(copy);
  if (sharedTags.size < TAGS_LIMIT) sharedTags.set(key, copy);
  return copy;
}

function part(value: string | number | null): string {
  if (value === null) return '-';
  return typeof value === 'number' ? `#${value}` : `"${value.length}:${value}`;
}

function sameRare(a: RoleRare, name: string, extra: RoleExtra): boolean {
  return (
    a.name === name &&
    a.icon === extra.icon &&
    a.unicodeEmoji === extra.unicodeEmoji &&
    a.secondaryColor === extra.secondaryColor &&
    a.tertiaryColor === extra.tertiaryColor &&
    a.tags === extra.tags &&
    a.wide === null &&
    extra.wide === null
  );
}

/**
 * The RoleRare for a name and rare fields: a shared one when an equal one exists (or is made now
 * and the table has room), else a new frozen object. Numbers that do not fit the packed form
 * (`wide`) are per role: such objects are not shared, nor are odd tags.
 */
export function internRare(name: string, extra: RoleExtra): RoleRare {
  const sharedName = internName(name);
  const tags = extra.tags === undefined ? undefined : internTags(extra.tags);
  const made = (): RoleRare =>
    Object.freeze({
      name: sharedName,
      icon: extra.icon,
      unicodeEmoji: extra.unicodeEmoji,
      secondaryColor: extra.secondaryColor,
      tertiaryColor: extra.tertiaryColor,
      tags,
      wide: extra.wide === null ? null : Object.freeze({ ...extra.wide })
    });
  // Tags internTags kept as they were (odd values) are not shared either.
  if (extra.wide !== null || (tags !== undefined && !madeTags.has(tags))) return made();
  const key = [
    part(sharedName),
    part(extra.icon),
    part(extra.unicodeEmoji),
    part(extra.secondaryColor),
    part(extra.tertiaryColor),
    tags === undefined ? 'u' : JSON.stringify(tags)
  ].join('\u0000');
  const shared = sharedRares.get(key);
  const wanted = { ...extra, tags };
  if (shared !== undefined && sameRare(shared, sharedName, wanted)) return shared;
  const rare = made();
  if (shared === undefined && sharedRares.size < RARE_LIMIT) sharedRares.set(key, rare);
  return rare;
}
