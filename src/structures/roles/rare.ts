/**
 * Sharing of roles' rare fields across guilds. The roles that have one are mostly the same few
 * kinds in every guild: a bot's managed role (named after the bot, `tags: { bot_id }`), the
 * booster role (`tags: { premium_subscriber: null }`), an integration's role. A RoleStore keeps
 * such a role's name and rare fields in one frozen RoleRare shared by every row (of any guild)
 * holding equal ones, where each guild held an extra object, a tags object and the bot id string.
 *
 * Only tags are shared (icons and gradient colours are a guild's own), and only once seen twice:
 * like role names (intern.ts), a value seen once is only remembered in a small direct-mapped
 * table, so the many values that never repeat (an integration's tags name its guild's
 * integration) cost no lasting entry and cannot fill the bounded shared tables before the common
 * ones reach them. Past the bound a row holds its own object, which reads the same. A RoleRare
 * found under the same key has every field checked before it is shared, so no key collision can
 * give a row another role's values.
 */
import type { APIRoleTags } from 'discord-api-types/v10';
import { internName } from '../intern.js';
import type { RoleExtra } from './source.js';

/** A role's name with its rare fields: what a RoleStore row holds for a role that has any. */
export interface RoleRare extends RoleExtra {
  readonly name: string;
}

const SHARED_LIMIT = 4096;
const SEEN_ONCE_SLOTS = 1024;

/** Values by key, shared from their second sighting on (bounded). */
class SharedOnceSeenTwice<T> {
  private readonly shared = new Map<string, T>();
  /** Per slot the last key seen once and its value (the one shared if the key comes again). */
  private readonly seenKeys: (string | undefined)[] = new Array(SEEN_ONCE_SLOTS).fill(undefined);
  private readonly seenValues: (T | undefined)[] = new Array(SEEN_ONCE_SLOTS).fill(undefined);

  /**
   * The shared value of `key`, or (its second sighting) the value of its first sighting, now
   * shared, or else `make()`, remembered as seen once.
   */
  share(key: string, make: () => T, accept: (found: T) => boolean = () => true): T {
    const shared = this.shared.get(key);
    if (shared !== undefined) return accept(shared) ? shared : make();
    const slot = slotOf(key);
    const first = this.seenValues[slot];
    if (this.seenKeys[slot] === key && first !== undefined && accept(first)) {
      this.seenKeys[slot] = undefined;
      this.seenValues[slot] = undefined;
      if (this.shared.size < SHARED_LIMIT) this.shared.set(key, first);
      return first;
    }
    const made = make();
    this.seenKeys[slot] = key;
    this.seenValues[slot] = made;
    return made;
  }
}

/** FNV-1a over the key's characters (keys are short), folded to a slot. */
function slotOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) & (SEEN_ONCE_SLOTS - 1);
}

const sharedTags = new SharedOnceSeenTwice<APIRoleTags>();
const sharedRares = new SharedOnceSeenTwice<RoleRare>();
/** Tags objects internTags made (plain values only, so their JSON is their key). */
const madeTags = new WeakSet<object>();

/**
 * A frozen copy of a role's tags, the shared one once such tags were seen twice. Tags whose values
 * are not all strings, nulls or booleans (Discord sends no others) are kept as they are.
 */
export function internTags(tags: APIRoleTags): APIRoleTags {
  if (tags === null || typeof tags !== 'object' || madeTags.has(tags)) return tags;
  const entries = Object.entries(tags);
  for (const [, value] of entries) {
    if (value !== null && typeof value !== 'string' && typeof value !== 'boolean') return tags;
  }
  // JSON keeps the key order, which `role.tags` shows, and tells null, booleans and strings apart.
  return sharedTags.share(JSON.stringify(tags), () => {
    const copy = Object.freeze(Object.fromEntries(entries)) as APIRoleTags;
    madeTags.add(copy);
    return copy;
  });
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
 * The RoleRare for a name and rare fields: the shared one when an equal one is shared, else a new
 * frozen object. Only a role whose one rare field is its tags (interned by internTags) is shared:
 * the cross-guild kinds above.
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
  const tagsOnly =
    tags !== undefined &&
    madeTags.has(tags) &&
    extra.icon === null &&
    extra.unicodeEmoji === null &&
    extra.secondaryColor === null &&
    extra.tertiaryColor === null &&
    extra.wide === null;
  if (!tagsOnly) return made();
  // The name's length first: no name can run into the tags' JSON.
  const key = `${sharedName.length}:${sharedName}${JSON.stringify(tags)}`;
  return sharedRares.share(key, made, (found) => sameRare(found, sharedName, { ...extra, tags }));
}
