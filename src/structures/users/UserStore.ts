import { inspect } from 'node:util';
import { MaplessCollection } from '../../cache/Collection.js';
import { MissingIDError } from '../../cache/errors.js';
import type { Identified, PayloadOf } from '../../cache/types.js';
import { InvalidOptionError } from '../../util/errors.js';
import { hashID } from '../idHash.js';
import { User, type UserPayload } from '../User.js';

/** Index entries: `slot + 1`, 0 for empty, -1 for a deleted entry (a tombstone on probe paths). */
const EMPTY = 0;
const DELETED = -1;
/** Live plus deleted entries may fill this share of the index before it is rebuilt. */
const MAX_LOAD = 0.7;
const MIN_SLOTS = 8;
/** A compaction instead of growth when at least this share of the slots are holes. */
const HOLE_SHARE = 0.25;
/** Slots a store may use: `slot + 1` must be a positive int32. */
const MAX_SLOTS = 0x7ffffffe;

const NO_USERS: (User | undefined)[] = [];
const NO_INDEX = new Int32Array(1);

/**
 * The client's default users collection: one `User` per id, as a `Collection<string, User>` (Eris's
 * `client.users`; `instanceof Collection` and `instanceof Map` hold), but without a Map. The User
 * objects themselves are kept (every member of a user in every guild points at the same one, and
 * `users.get(id)` returns it), in one array by slot, found through an open-addressing Int32Array of
 * `slot + 1` keyed by the id's hash that compares against `users[slot].id`. That is ~14 bytes per user
 * (the array slot and ~1.4 index entries) where a Map entry costs ~35 (key, value, chain link and its
 * share of the bucket array, at a Map's usual fill).
 *
 * Order is insertion order, as a Map's: a removed user leaves a hole that a later compaction (instead
 * of growing) closes up. The store does not evict: a finite `limit` is an InvalidOptionError (a
 * bounded users cache is `cache.users: () => new Collection(User, n)`).
 */
export class UserStore extends MaplessCollection<string, User, UserPayload> {
  /** Slot to User (undefined for a hole); its length is the capacity. */
  private users: (User | undefined)[] = NO_USERS;
  /** id → slot + 1 (see above). */
  private index: Int32Array = NO_INDEX;
  /** Live and deleted entries of `index`. */
  private indexUsed = 0;
  /** Slots in use, holes included. */
  private length = 0;
  private live = 0;
  /** Bumped whenever slots move, so iterators can find their place again. */
  private epoch = 0;

  constructor() {
    super(User);
  }

  /** Always unbounded; a finite limit is refused (use `new Collection(User, n)` for a bounded users cache). */
  override get limit(): number {
    return Number.POSITIVE_INFINITY;
  }

  override set limit(value: number | undefined) {
    if (value === undefined || value === null || value === Number.POSITIVE_INFINITY) return;
    throw new InvalidOptionError('UserStore.limit', 'unbounded (give cache.users a Collection with a limit)', value);
  }

  override get size(): number {
    return this.live;
  }

  // ------------------------------------------------------------------ Collection (Eris) methods
  // find, filter, map, some, every, reduce and toJSON are Collection's own, over values()/entries().

  /** Add a user payload or a User; the existing user is returned when the id is present, unless `replace`. */
  override add(obj: User | PayloadOf<UserPayload>, _extra?: unknown, replace?: boolean): User {
    const id = idOf(obj);
    const hash = hashID(id);
    const slot = this.slotOf(id, hash);
    if (slot >= 0 && !replace) return this.users[slot] as User;
    const user = obj instanceof User ? obj : new User(obj as UserPayload);
    if (slot >= 0) this.users[slot] = user;
    else this.insert(hash, user);
    return user;
  }

  /** Apply a (partial) payload to the cached user through `User.update`, or add it when absent; a User replaces. */
  override update(
    obj: User | PayloadOf<UserPayload> | (Partial<UserPayload> & Identified),
    extra?: unknown,
    replace?: boolean
  ): User {
    if (obj instanceof User) return this.add(obj, extra, true);
    const id = idOf(obj);
    const slot = this.slotOf(id, hashID(id));
    if (slot < 0) return this.add(obj as UserPayload, extra, replace);
    const user = this.users[slot] as User;
    user.update(obj as Partial<UserPayload>);
    return user;
  }

  /**
   * `update` of a full or partial user payload whose id's hash (`hashID(data.id)`) the caller holds
   * already (a member store hashed the same id): one probe finds the user or the entry a new one
   * takes. `hint`, the User the caller expects (a member's), is compared by identity before its id
   * is read.
   * @internal
   */
  upsert(data: UserPayload, hash: number, hint?: User): User {
    const id = data.id;
    if (typeof id !== 'string' || id.length === 0) throw new MissingIDError('User');
    const users = this.users;
    const index = this.index;
    const size = index.length;
    let at = hash % size;
    // The first deleted entry on the path, else the empty one ending it: where enter() would put it.
    let free = -1;
    if (this.live > 0) {
      for (;;) {
        const entry = index[at] as number;
        if (entry === EMPTY) break;
        if (entry > 0) {
          const user = users[entry - 1] as User;
          if (user === hint || user.id === id) {
            user.update(data);
            return user;
          }
        } else if (free < 0) free = at;
        if (++at === size) at = 0;
      }
    }
    const user = new User(data);
    if (this.length === users.length) this.makeRoom();
    const slot = this.length++;
    this.users[slot] = user;
    this.live++;
    if ((this.indexUsed + 1) / this.index.length > MAX_LOAD) this.rebuildIndex();
    else {
      // A compaction to make room rebuilt the index: the probed entry is not this one's any more.
      if (this.index === index) index[free < 0 ? at : free] = slot + 1;
      else enter(this.index, hash, slot);
      this.indexUsed++;
    }
    return user;
  }

  /** Remove by `{ id }` (or a User). Returns the removed user, or null when absent (Eris). */
  override remove(obj: Identified): User | null {
    const id = obj?.id;
    if (typeof id !== 'string') return null;
    const hash = hashID(id);
    const slot = this.slotOf(id, hash);
    if (slot < 0) return null;
    const user = this.users[slot] as User;
    this.removeSlot(slot, hash);
    return user;
  }

  override get(key: string): User | undefined {
    const slot = this.slotOf(key, hashID(key));
    return slot < 0 ? undefined : this.users[slot];
  }

  /** Same as `get` (an unbounded store has no recency to leave alone). */
  override peek(key: string): User | undefined {
    return this.get(key);
  }

  override has(key: string): boolean {
    return this.slotOf(key, hashID(key)) >= 0;
  }

  /** Store a User under its own id (another key is refused: the key is always the user's id). */
  override set(key: string, value: User): this {
    if (!(value instanceof User)) throw new InvalidOptionError('UserStore.set', 'a User', value);
    if (value.id !== key) throw new InvalidOptionError('UserStore.set', `a User whose id is the key ${key}`, value.id);
    this.add(value, undefined, true);
    return this;
  }

  /** Remove the user with this id; whether it was there. */
  override delete(key: string): boolean {
    const hash = hashID(key);
    const slot = this.slotOf(key, hash);
    if (slot < 0) return false;
    this.removeSlot(slot, hash);
    return true;
  }

  override clear(): void {
    this.users = NO_USERS;
    this.index = NO_INDEX;
    this.indexUsed = 0;
    this.length = 0;
    this.live = 0;
    this.epoch++;
  }

  override keys(): MapIterator<string> {
    return this.walk((user) => user.id);
  }

  override values(): MapIterator<User> {
    return this.walk((user) => user);
  }

  override entries(): MapIterator<[string, User]> {
    return this.walk((user): [string, User] => [user.id, user]);
  }

  /** `[id, user]` pairs in insertion order (as `entries()`). */
  override [Symbol.iterator](): MapIterator<[string, User]> {
    return this.entries();
  }

  override forEach(callback: (value: User, key: string, map: Map<string, User>) => void, thisArg?: unknown): void {
    for (const user of this.values()) callback.call(thisArg, user, user.id, this);
  }

  /** A uniformly random user, or undefined when empty: a random slot, drawn again on a hole. */
  override random(): User | undefined {
    if (this.live === 0) return undefined;
    for (let tries = 0; tries < 32; tries++) {
      const user = this.users[Math.floor(Math.random() * this.length)];
      if (user !== undefined) return user;
    }
    let index = Math.floor(Math.random() * this.live);
    for (const user of this.values()) if (index-- === 0) return user;
    return undefined;
  }

  /** console.log shows the users (util.inspect reads a Map's own entries, and this object has none). */
  [inspect.custom](): Map<string, User> {
    return new Map(this.entries());
  }

  // ------------------------------------------------------------------ slots and index

  private slotOf(id: string, hash: number): number {
    if (this.live === 0) return -1;
    const index = this.index;
    const users = this.users;
    const size = index.length;
    let at = hash % size;
    for (;;) {
      const entry = index[at] as number;
      if (entry === EMPTY) return -1;
      if (entry > 0 && (users[entry - 1] as User).id === id) return entry - 1;
      if (++at === size) at = 0;
    }
  }

  private insert(hash: number, user: User): void {
    if (this.length === this.users.length) this.makeRoom();
    const slot = this.length++;
    this.users[slot] = user;
    this.live++;
    if ((this.indexUsed + 1) / this.index.length > MAX_LOAD) this.rebuildIndex();
    else {
      enter(this.index, hash, slot);
      this.indexUsed++;
    }
  }

  /** At capacity: close the holes when there are enough of them, else grow by half. */
  private makeRoom(): void {
    const capacity = this.users.length;
    const holes = this.length - this.live;
    if (holes > 0 && holes >= capacity * HOLE_SHARE) {
      this.compact();
      return;
    }
    if (capacity >= MAX_SLOTS) throw new InvalidOptionError('UserStore', `at most ${MAX_SLOTS} users`, capacity);
    const grown = new Array<User | undefined>(Math.min(MAX_SLOTS, Math.max(MIN_SLOTS, Math.ceil(capacity * 1.5))));
    const users = this.users;
    for (let slot = 0; slot < this.length; slot++) grown[slot] = users[slot];
    this.users = grown;
  }

  private removeSlot(slot: number, hash: number): void {
    const index = this.index;
    const size = index.length;
    let at = hash % size;
    while ((index[at] as number) !== slot + 1) if (++at === size) at = 0;
    // Followed by an empty entry, no probe path runs through it: it can be emptied outright.
    if (index[at + 1 === size ? 0 : at + 1] === EMPTY) {
      index[at] = EMPTY;
      this.indexUsed--;
    } else index[at] = DELETED;
    this.users[slot] = undefined;
    this.live--;
    if (this.live === 0) {
      this.users.fill(undefined, 0, this.length);
      this.length = 0;
      this.index.fill(EMPTY);
      this.indexUsed = 0;
      this.epoch++;
      return;
    }
    // A hole at the end is given back at once.
    while (this.length > 0 && this.users[this.length - 1] === undefined) this.length--;
    // A slot given back can be taken again by an add: an open iterator must look again where it is.
    if (this.length <= slot) this.epoch++;
  }

  /** Close the holes keeping order, then rebuild the index for the moved slots. */
  private compact(): void {
    const users = this.users;
    let to = 0;
    for (let from = 0; from < this.length; from++) {
      const user = users[from];
      if (user !== undefined) users[to++] = user;
    }
    users.fill(undefined, to, this.length);
    this.length = to;
    this.epoch++;
    this.rebuildIndex();
  }

  /** An index sized for the live users with room to grow (load ~0.5), without tombstones. */
  private rebuildIndex(): void {
    const index = new Int32Array(Math.max(16, Math.ceil((this.live + 1) * 2)));
    const users = this.users;
    for (let slot = 0; slot < this.length; slot++) {
      const user = users[slot];
      if (user !== undefined) enter(index, hashID(user.id), slot);
    }
    this.index = index;
    this.indexUsed = this.live;
  }

  /**
   * Users in slot order, each mapped by `pick`. Live like a Map iterator: users removed meanwhile
   * are skipped, users added meanwhile are reached; after a compaction it resumes after the last
   * user it returned.
   */
  private *walk<T>(pick: (user: User) => T): Generator<T, undefined, undefined> {
    let epoch = this.epoch;
    for (let slot = 0; slot < this.length; slot++) {
      const user = this.users[slot];
      if (user === undefined) continue;
      yield pick(user);
      if (this.epoch !== epoch) {
        epoch = this.epoch;
        const now = this.slotOf(user.id, hashID(user.id));
        slot = now >= 0 ? now : Math.min(slot, this.length) - 1;
      }
    }
    return undefined;
  }
}

/** Enter `slot` (whose id is known to be absent) at the first free or deleted entry of its probe path. */
function enter(index: Int32Array, hash: number, slot: number): void {
  const size = index.length;
  let at = hash % size;
  while ((index[at] as number) > 0) if (++at === size) at = 0;
  index[at] = slot + 1;
}

function idOf(obj: unknown): string {
  const id = obj === null || typeof obj !== 'object' ? undefined : (obj as { id?: unknown }).id;
  if (typeof id === 'string' && id.length > 0) return id;
  throw new MissingIDError('User');
}
