import { inspect } from 'node:util';
import { CacheBudget } from '../../cache/CacheBudget.js';
import { MaplessCollection } from '../../cache/Collection.js';
import { MissingIDError } from '../../cache/errors.js';
import type { SlotClock, SlotOwner } from '../../cache/SlotClock.js';
import type { Identified, PayloadOf } from '../../cache/types.js';
import { AthenaError, InvalidOptionError } from '../../util/errors.js';
import { slabWords } from '../channels/wordSlab.js';
import type { Guild } from '../Guild.js';
import { EMPTY_STRINGS } from '../intern.js';
import { Member, type MemberPayload, MemberRow, resolveUser, sameIDs } from '../Member.js';
import type { User } from '../User.js';
import { joinedMs, joinSeconds, type MemberExtra, nextExtra, PAYLOAD_MASK, packBits, patchBits } from './packing.js';
import {
  findRoleSet,
  holdRoleSet,
  insertRoleSet,
  internedSet,
  type RoleSets,
  releaseRoleSet,
  roleIDs,
  roleSetAt,
  withRoom
} from './RoleSetTable.js';
import { StoredMember } from './StoredMember.js';
import {
  deleteSlot,
  deleteSlotByScan,
  findSlot,
  hashID,
  insertSlot,
  MAX_LOAD,
  MAX_SLOTS,
  renumberSlots,
  tableSizeFor
} from './slotIndex.js';
import { renumbered, type SlotValues, slotValue, withoutValue, withValue } from './slotValues.js';

/** Markers in a slot's bits (above the payload's bits): whether the nickname or extra pairs hold something for it. */
const HAS_NICK = 1 << 26;
const HAS_EXTRA = 1 << 27;
/** Int32 columns per slot, interleaved in one array (one typed array object per guild, not three). */
const STRIDE = 3;
/** Under a budget, a fourth column: the slot's frame in the budget's ring (`SlotClock`). */
const BUDGET_STRIDE = 4;
const JOINED = 0;
const BITS = 1;
const ROLES = 2;
const FRAME = 3;
const MIN_SLOTS = 4;
/** A compaction instead of growth when at least this share of the slots are holes. */
const HOLE_SHARE = 0.25;
const NO_INTS = new Int32Array(0);
const NO_USERS: (User | undefined)[] = [];
/** Stores of at least this many slots shrink when three quarters of their slots are empty. */
const SHRINK_FROM = 16;
/** `removeSlot`'s hash argument for "not at hand: scan the table for the slot". */
const NO_HASH = -1;
/** Tables up to this many entries are scanned for an evicted slot rather than probed by its id's hash. */
const SCAN_TABLE = 128;
/** Old slot → new slot during a compaction (shared: compactions are synchronous); kept up to SCRATCH_KEPT. */
let movedScratch = new Int32Array(64);
const SCRATCH_KEPT = 4096;
/** The store entering a member under a budget right now: evictions from it must not move its slots. */
let inserting: MemberStore | null = null;
/** Scratch row a member is built from; filled and consumed synchronously. */
const scratch = new MemberRow();

/**
 * The default members collection of a guild (also under `cache.memberBudget`): Eris's
 * `Collection<string, Member>` to the type system and to callers (`instanceof Collection` and
 * `instanceof Map` hold), but the members are kept in columns instead of one Member object and one
 * Map entry each; built on `MaplessCollection`, so it carries no (empty) Map hash table either.
 *
 * Per slot: the shared User (whose `id` is the key), and in one Int32Array the join time (seconds),
 * the packed deaf/mute/pending/flags/join-milliseconds bits, and the index of the member's role set
 * in the guild's `RoleSetTable`. Nicknames and the rare extra fields (boost, timeout, guild avatar…)
 * sit in slot → value pairs (`slotValues.ts`) that only members having them enter. Ids find their
 * slot through an open-addressing table (`slotIndex.ts`) in the same Int32Array, after the slot
 * columns, that compares against `users[slot].id`; a store of at most 8 slots scans `users` instead.
 *
 * Reads build a Member from the columns (`get`, `values`, `find`…): **two reads of the same member
 * return different objects**, each a snapshot; `member.update(data)` and this collection's `update`
 * write to the columns, plain field assignments on a read copy do not. Iteration follows insertion
 * order, as a Map's: removal leaves a hole that a later compaction (instead of growing the arrays)
 * closes up, and a member that leaves and joins again goes to the end.
 *
 * `limit` stays unbounded: a per-guild bounded hot set is a Map-based `Collection` (see
 * `cache.members`). Under a `CacheBudget` (`cache.memberBudget`) the store's members count in the
 * budget's ring (`SlotClock`), one frame number per slot in a fourth int32 column: `get`, `update`,
 * `set` and a replacing `add` mark the member as used (`peek`, `has` and iteration do not), a
 * removal gives its frame back, and when the budget is full the least recently used members
 * (second-chance order) across every guild are evicted, as by a budgeted `Collection`.
 */
export class MemberStore extends MaplessCollection<string, Member, MemberPayload> implements SlotOwner {
  readonly guild: Guild;
  /** The budget's ring this store's members count in, or null when unbounded. */
  private readonly clock: SlotClock | null;
  /** Slot to User (undefined for a hole); its length is the slot capacity (grown with `ints`). */
  private users: (User | undefined)[] = NO_USERS;
  /**
   * The slot columns (`stride` int32 per slot: join seconds, bits, role set index, and under a
   * budget the frame), then from `tableAt` to the end the id → slot table (`slotIndex.ts`): one
   * typed array per guild. A store of at most SCAN_SLOTS slots has no table (it scans `users`).
   */
  private ints: Int32Array = NO_INTS;
  /** Entries of the table live or deleted (tombstones count towards its load). */
  private tableUsed = 0;
  /** Slots in use, holes included. */
  private length = 0;
  private live = 0;
  private nicks: SlotValues<string> | null = null;
  private extras: SlotValues<MemberExtra> | null = null;
  /** The guild's distinct role sets (`RoleSetTable.ts`), made with the first member holding roles. */
  private roleSets: RoleSets | null = null;
  /** Bumped whenever slots move, so iterators can find their place again. */
  private epoch = 0;

  static {
    // MaplessCollection's constructor assigns these two; as accessors on the prototype they take
    // no slot in each store (16 B per guild: a process holds one store per guild, most of them
    // small or, under a budget, empty). A store never evicts by itself, so `eviction` stays null.
    Object.defineProperties(MemberStore.prototype, {
      baseObject: { configurable: true, get: () => Member, set: ignore },
      eviction: { configurable: true, get: () => null, set: ignore }
    });
  }

  /**
   * @param guild the guild whose members these are
   * @param budget a process-wide bound shared with other guilds' stores (`cache.memberBudget`): the
   *   least recently used members across all of them are evicted to stay within it
   */
  constructor(guild: Guild, budget?: CacheBudget) {
    super(Member);
    this.guild = guild;
    if (budget !== undefined && !(budget instanceof CacheBudget)) {
      throw new InvalidOptionError('MemberStore.budget', 'a CacheBudget or undefined', budget);
    }
    this.clock = budget === undefined ? null : budget.slots;
  }

  /** Int32 columns per slot (derived, not a field: most stores are many and small). */
  private get stride(): number {
    return this.clock === null ? STRIDE : BUDGET_STRIDE;
  }

  /** Where the table starts in `ints`: the slot capacity (the users array's length) times the stride. */
  private get tableAt(): number {
    return this.users.length * (this.clock === null ? STRIDE : BUDGET_STRIDE);
  }

  /** The process-wide bound this store counts against, if any. */
  override get budget(): CacheBudget | undefined {
    return this.clock?.budget;
  }

  /** Always unbounded by itself (a budget bounds it with others); a finite limit is refused. */
  override get limit(): number {
    return Number.POSITIVE_INFINITY;
  }

  override set limit(value: number | undefined) {
    if (value === undefined || value === null || value === Number.POSITIVE_INFINITY) return;
    throw new InvalidOptionError(
      'MemberStore.limit',
      'unbounded (give cache.members a Collection with a limit, or set cache.memberBudget)',
      value
    );
  }

  /** Whether this store counts its members in a process-wide budget (`cache.memberBudget`). */
  get budgeted(): boolean {
    return this.clock !== null;
  }

  override get size(): number {
    return this.live;
  }

  // ------------------------------------------------------------------ Collection (Eris) methods

  /**
   * Add a member payload (with `id`) or a Member. Returns the existing member when the id is
   * present, unless `replace`. The returned Member is built from the columns (not `obj` itself).
   */
  override add(obj: Member | PayloadOf<MemberPayload>, _extra?: unknown, replace?: boolean): Member {
    const id = idOf(obj);
    const hash = hashID(id);
    let slot = this.slotOf(id, hash);
    if (slot >= 0 && !replace) return this.build(slot);
    if (slot >= 0) this.touch(slot);
    if (obj instanceof Member) {
      if (slot >= 0) this.writeMember(slot, obj, false);
      else slot = this.insertMember(hash, obj);
    } else if (slot >= 0) {
      // Resolved first: a bad user payload throws before the slot is cleared.
      const user = resolveUser(this.guild, id, (obj as MemberPayload).user);
      this.clearSlot(slot);
      this.users[slot] = user;
      this.writePayload(slot, obj as MemberPayload);
    } else {
      slot = this.insertPayload(id, hash, obj as MemberPayload);
    }
    return this.build(slot);
  }

  /** Apply a (partial) payload to the stored member, or add it when absent; a Member replaces. */
  override update(
    obj: Member | PayloadOf<MemberPayload> | (Partial<MemberPayload> & Identified),
    extra?: unknown,
    replace?: boolean
  ): Member {
    if (obj instanceof Member) return this.add(obj, extra, true);
    return this.upsertPayload(idOf(obj), obj as MemberPayload, replace);
  }

  /**
   * `update` of a payload stored under `id`, its user's id (a dispatch handler's member payload,
   * which carries no `id` of its own).
   * @internal
   */
  upsertPayload(id: string, data: MemberPayload, replace?: boolean): Member {
    if (typeof id !== 'string' || id.length === 0) throw new MissingIDError('Member');
    const hash = hashID(id);
    const slot = this.slotOf(id, hash);
    if (slot < 0) return this.build(this.insertPayload(id, hash, data, replace));
    this.patch(slot, data, id, hash);
    return this.build(slot);
  }

  /** Remove by `{ id }` (or a Member). Returns the removed member, or null when absent (Eris). */
  override remove(obj: Identified): Member | null {
    const id = obj?.id;
    if (typeof id !== 'string') return null;
    const hash = hashID(id);
    const slot = this.slotOf(id, hash);
    if (slot < 0) return null;
    const member = this.build(slot);
    this.removeSlot(slot, hash);
    return member;
  }

  /** The member with this id, built from the columns (a new object on every read); under a budget, marks it as used. */
  override get(key: string): Member | undefined {
    const slot = this.slotOf(key, hashID(key));
    if (slot < 0) return undefined;
    if (this.clock !== null) this.touch(slot);
    return this.build(slot);
  }

  /** As `get`, without marking the member as used. */
  override peek(key: string): Member | undefined {
    const slot = this.slotOf(key, hashID(key));
    return slot < 0 ? undefined : this.build(slot);
  }

  override has(key: string): boolean {
    return this.slotOf(key, hashID(key)) >= 0;
  }

  /** Store a Member under its own id (a different key is refused: the key is always the user's id). */
  override set(key: string, value: Member): this {
    if (!(value instanceof Member)) throw new InvalidOptionError('MemberStore.set', 'a Member', value);
    if (value.id !== key)
      throw new InvalidOptionError('MemberStore.set', `a Member whose id is the key ${key}`, value.id);
    const hash = hashID(key);
    const slot = this.slotOf(key, hash);
    if (slot >= 0) {
      this.touch(slot);
      this.writeMember(slot, value, false);
    } else this.insertMember(hash, value);
    return this;
  }

  /** Remove the member with this id; whether it was there. */
  override delete(key: string): boolean {
    const hash = hashID(key);
    const slot = this.slotOf(key, hash);
    if (slot < 0) return false;
    this.removeSlot(slot, hash);
    return true;
  }

  override clear(): void {
    const clock = this.clock;
    if (clock !== null) {
      for (let slot = 0; slot < this.length; slot++) {
        if (this.users[slot] !== undefined) clock.release(this.ints[slot * BUDGET_STRIDE + FRAME] as number);
      }
    }
    this.releaseColumns();
  }

  override keys(): MapIterator<string> {
    return this.walk((slot) => (this.users[slot] as User).id);
  }

  override values(): MapIterator<Member> {
    return this.walk((slot) => this.build(slot));
  }

  override entries(): MapIterator<[string, Member]> {
    return this.walk((slot): [string, Member] => [(this.users[slot] as User).id, this.build(slot)]);
  }

  /** `[id, member]` pairs in insertion order (as `entries()`). */
  override [Symbol.iterator](): MapIterator<[string, Member]> {
    return this.entries();
  }

  override forEach(callback: (value: Member, key: string, map: Map<string, Member>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  // find, filter, map, some, every, reduce and toJSON are Collection's own, over values()/entries().

  /** A uniformly random member, or undefined when empty: a random slot, drawn again on a hole. */
  override random(): Member | undefined {
    if (this.live === 0) return undefined;
    for (let tries = 0; tries < 32; tries++) {
      const slot = Math.floor(Math.random() * this.length);
      if (this.users[slot] !== undefined) return this.build(slot);
    }
    let index = Math.floor(Math.random() * this.live);
    for (const value of this.values()) if (index-- === 0) return value;
    return undefined;
  }

  /** console.log shows the members (util.inspect reads a Map's own entries, and this one's Map is empty). */
  [inspect.custom](): Map<string, Member> {
    return new Map(this.entries());
  }

  // ------------------------------------------------------------------ bulk load (GUILD_CREATE)

  /**
   * Enter a GUILD_CREATE's member payloads straight into the columns (no copy of each payload, no
   * Member per member). Entries without `user.id` are skipped; an id already present keeps its
   * member (as `add` does).
   */
  load(members: readonly unknown[]): void {
    this.reserve(members.length);
    // The key is the user's id, so insertPayload's re-derivation is skipped, and the id's hash
    // serves the users collection's probe too (one hash per member).
    for (let i = 0; i < members.length; i++) {
      const data = members[i] as MemberPayload | null;
      const id = data?.user?.id;
      if (typeof id !== 'string' || id.length === 0) continue;
      const hash = hashID(id);
      if (this.live > 0 && this.slotOf(id, hash) >= 0) continue;
      this.appendPayload(id, hash, data as MemberPayload);
    }
  }

  /** Make room for `count` more members without growing step by step (the table grows with the slots). */
  reserve(count: number): void {
    const slots = Math.min(MAX_SLOTS, this.length + count);
    // Unbounded, a GUILD_CREATE's columns mostly stay as sized here: carved from a shared slab
    // (no ArrayBuffer of their own). Under a budget stores empty and refill all the time, and a
    // slab lives as long as any of its views, so they get arrays of their own.
    if (slots * this.stride > this.tableAt) this.resize(slots, this.clock === null);
  }

  // ------------------------------------------------------------------ for StoredMember (write-through)

  /**
   * The slot of a member read earlier from `slot`: that one if it still holds this id, else wherever
   * the id is now (slots move on compaction), or -1 when the member has left.
   * @internal
   */
  locate(id: string, slot: number): number {
    if (slot < this.length && this.users[slot]?.id === id) return slot;
    return this.slotOf(id, hashID(id));
  }

  /**
   * Apply a partial payload to a slot's columns (Member.update's rules).
   * @internal
   */
  patch(slot: number, data: MemberPayload, key?: string, hash = NO_HASH): void {
    const users = this.users;
    const user = users[slot] as User;
    const payloadUser = data.user;
    if (payloadUser !== undefined && payloadUser.username !== undefined) {
      // Named by the slot's own id (`key`, whose hash is at hand): the users collection is probed
      // with that hash, and this slot's User is compared by identity before any id string is read.
      const next =
        key !== undefined && payloadUser.id === key
          ? resolveUser(this.guild, key, payloadUser, hash, user)
          : resolveUser(this.guild, user.id, payloadUser);
      // The slot's id is its index key: a payload naming another user cannot move it.
      if (next !== user && next.id === user.id) users[slot] = next;
    }
    if (this.clock !== null) this.touch(slot);
    const ints = this.ints;
    const base = slot * this.stride;
    if (data.roles !== undefined) {
      const held = ints[base + ROLES] as number;
      if (!sameIDs(this.rolesOf(held), data.roles)) {
        ints[base + ROLES] = this.acquireRoles(data.roles);
        releaseRoleSet(this.roleSets, held);
      }
    }
    let bits = ints[base + BITS] as number;
    if (data.nick !== undefined) bits = this.setNick(slot, bits, data.nick);
    let joined: number | null = null;
    if (data.joined_at !== undefined) {
      joined = joinedMs(data);
      ints[base + JOINED] = joinSeconds(joined);
    }
    bits = patchBits(bits, data, joined);
    const held = (bits & HAS_EXTRA) !== 0 ? (slotValue(this.extras, slot) ?? null) : null;
    const extra = nextExtra(held, data);
    if (extra !== held) bits = this.setExtra(slot, bits, extra);
    ints[base + BITS] = bits;
  }

  /**
   * A read copy's `user` assignment: kept when it is the same user id (the slot's key cannot move).
   * @internal
   */
  writeUser(slot: number, user: User): void {
    if (user instanceof Object && user.id === (this.users[slot] as User).id) this.users[slot] = user;
  }

  /**
   * A read copy's `roles` assignment.
   * @internal
   */
  writeRoles(slot: number, roles: readonly string[]): void {
    const base = slot * this.stride;
    const held = this.ints[base + ROLES] as number;
    const ids = Array.isArray(roles) ? roles.filter((id): id is string => typeof id === 'string') : [];
    this.ints[base + ROLES] = this.acquireRoleSet(ids);
    releaseRoleSet(this.roleSets, held);
  }

  /**
   * A read copy's `nick` assignment.
   * @internal
   */
  writeNick(slot: number, nick: string | null): void {
    const base = slot * this.stride;
    this.ints[base + BITS] = this.setNick(slot, this.ints[base + BITS] as number, nick ?? null);
  }

  /**
   * The slot's fields, in a scratch row valid until the next read of this or any store.
   * @internal
   */
  readRow(slot: number): MemberRow {
    const ints = this.ints;
    const base = slot * this.stride;
    const bits = ints[base + BITS] as number;
    const row = scratch;
    row.user = this.users[slot] as User;
    row.roles = this.rolesOf(ints[base + ROLES] as number);
    row.nick = (bits & HAS_NICK) !== 0 ? (slotValue(this.nicks, slot) ?? null) : null;
    row.joined = ints[base + JOINED] as number;
    row.bits = bits & PAYLOAD_MASK;
    row.extra = (bits & HAS_EXTRA) !== 0 ? (slotValue(this.extras, slot) ?? null) : null;
    return row;
  }

  /**
   * Called by the budget: drop the member in `slot`, which it chose for eviction.
   * @internal
   */
  evictSlot(slot: number): void {
    const user = slot < this.length ? this.users[slot] : undefined;
    if (user === undefined) return;
    // A small table is scanned for the slot instead (NO_HASH): hashing the id would read the User
    // and its id string, two cache misses on every eviction.
    this.removeSlot(slot, this.ints.length - this.tableAt <= SCAN_TABLE ? NO_HASH : hashID(user.id));
  }

  // ------------------------------------------------------------------ columns

  /** Mark a slot's member as used (under a budget; a no-op otherwise). */
  private touch(slot: number): void {
    this.clock?.touch(this.ints[slot * BUDGET_STRIDE + FRAME] as number);
  }

  private build(slot: number): Member {
    return new StoredMember(this.readRow(slot), this.guild, this, slot);
  }

  private slotOf(id: string, hash: number): number {
    if (this.live === 0) return -1;
    const ints = this.ints;
    const at = this.tableAt;
    if (at < ints.length) return findSlot(ints, at, ints.length - at, this.users, id, hash);
    const users = this.users;
    for (let slot = 0; slot < this.length; slot++) if (users[slot]?.id === id) return slot;
    return -1;
  }

  private rolesOf(index: number): readonly string[] {
    return index === 0 || this.roleSets === null ? EMPTY_STRINGS : roleSetAt(this.roleSets, index);
  }

  /** The index of a payload's role ids (non-strings ignored), counting one more holder; 0 for none. */
  private acquireRoles(ids: readonly unknown[] | null | undefined): number {
    if (!Array.isArray(ids) || ids.length === 0) return 0;
    // Looked up as they came first: a set held matches only ids that are all strings.
    const known = findRoleSet(this.roleSets, ids);
    if (known > 0) return holdRoleSet(this.roleSets as RoleSets, known);
    const clean = roleIDs(ids);
    if (clean === null) return 0;
    if (clean !== ids) {
      const again = findRoleSet(this.roleSets, clean);
      if (again > 0) return holdRoleSet(this.roleSets as RoleSets, again);
    }
    return this.insertRoles(internedSet(this.guild, clean));
  }

  /** The index of an existing set (a Member instance's `roles`), counting one more holder; 0 for none. */
  private acquireRoleSet(roles: readonly string[]): number {
    if (roles.length === 0) return 0;
    const known = findRoleSet(this.roleSets, roles);
    if (known > 0) return holdRoleSet(this.roleSets as RoleSets, known);
    return this.insertRoles(Object.isFrozen(roles) ? roles : Object.freeze([...roles]));
  }

  private insertRoles(set: readonly string[]): number {
    const sets = withRoom(this.roleSets);
    this.roleSets = sets;
    return insertRoleSet(sets, set);
  }

  /** A new slot at the end (after a compaction or growth when full). */
  private appendSlot(): number {
    const slots = this.tableAt / this.stride;
    if (this.length === slots) {
      const holes = this.length - this.live;
      if (holes > 0 && holes >= slots * HOLE_SHARE) this.compact();
      else if (slots >= MAX_SLOTS) throw new MemberStoreFullError(this.guild.id);
      else this.resize(Math.min(MAX_SLOTS, Math.max(MIN_SLOTS, Math.ceil(slots * 1.5))));
    }
    return this.length++;
  }

  /**
   * Enter a slot's id into the table (the slot's user and columns already written), and under a
   * budget count it there: that may evict other members, of this store too, never this one, and
   * moves no slot of this store (`inserting` holds off its shrinking), so `slot` stays valid for the
   * caller.
   */
  private index(hash: number, slot: number): void {
    this.live++;
    const ints = this.ints;
    const at = this.tableAt;
    const size = ints.length - at;
    if (size > 0) {
      // Sized for every slot: only deleted entries can fill it; a rebuild clears them (this slot included).
      if (this.tableUsed + 1 > size * MAX_LOAD) this.rebuildTable();
      else {
        insertSlot(ints, at, size, hash, slot);
        this.tableUsed++;
      }
    }
    const clock = this.clock;
    if (clock !== null) {
      // Written before the claim so that a frame is never read unset; the claim's evictions leave this slot alone.
      this.ints[slot * BUDGET_STRIDE + FRAME] = -1;
      const outer = inserting;
      inserting = this;
      try {
        this.ints[slot * BUDGET_STRIDE + FRAME] = clock.claim(this, slot);
      } finally {
        inserting = outer;
      }
    }
  }

  private insertPayload(key: string, hash: number, data: MemberPayload, replace?: boolean): number {
    // Stored under the user's id, as a Member built from this payload would be.
    const id = data.user?.id ?? data.id ?? key;
    if (typeof id !== 'string') throw new MissingIDError('Member');
    if (id !== key) {
      const slot = this.slotOf(id, hashID(id));
      if (slot >= 0) {
        if (replace) this.add({ ...data, id }, undefined, true);
        else this.patch(slot, data);
        return slot;
      }
      hash = hashID(id);
    }
    return this.appendPayload(id, hash, data);
  }

  /** A new slot for a payload stored under `id` (`hash` is its hash, `data.user`'s id when it has a user); the slot. */
  private appendPayload(id: string, hash: number, data: MemberPayload): number {
    // Resolved first: a bad user payload throws before a slot is taken.
    const user = resolveUser(this.guild, id, data.user, hash);
    const slot = this.appendSlot();
    this.users[slot] = user;
    this.writePayload(slot, data);
    this.index(hash, slot);
    return slot;
  }

  private insertMember(hash: number, member: Member): number {
    const slot = this.appendSlot();
    this.users[slot] = member.user;
    this.writeMember(slot, member, true);
    this.index(hash, slot);
    return slot;
  }

  /** Every column of a slot from a full payload (its user already written, its old values cleared). */
  private writePayload(slot: number, data: MemberPayload): void {
    const ints = this.ints;
    const base = slot * this.stride;
    const joined = joinedMs(data);
    ints[base + JOINED] = joinSeconds(joined);
    const roles = data.roles;
    ints[base + ROLES] = this.acquireRoles(roles);
    let bits = packBits(data, joined);
    const nick = data.nick;
    if (nick !== undefined && nick !== null) bits = this.setNick(slot, bits, nick);
    const extra = nextExtra(null, data);
    if (extra !== null) bits = this.setExtra(slot, bits, extra);
    ints[base + BITS] = bits;
  }

  /** Every column of a slot from a Member instance (a new slot, or one whose values are replaced). */
  private writeMember(slot: number, member: Member, fresh: boolean): void {
    if (!fresh) this.clearSlot(slot);
    const row = member.toRow(scratch);
    const ints = this.ints;
    const base = slot * this.stride;
    this.users[slot] = row.user;
    ints[base + JOINED] = row.joined;
    ints[base + ROLES] = this.acquireRoleSet(row.roles);
    let bits = row.bits & PAYLOAD_MASK;
    if (row.nick !== null) bits = this.setNick(slot, bits, row.nick);
    if (row.extra !== null) bits = this.setExtra(slot, bits, row.extra);
    ints[base + BITS] = bits;
  }

  /** Release what a slot holds outside its own columns (role set, nickname, extra). */
  private clearSlot(slot: number): void {
    const base = slot * this.stride;
    const bits = this.ints[base + BITS] as number;
    releaseRoleSet(this.roleSets, this.ints[base + ROLES] as number);
    this.ints[base + ROLES] = 0;
    if ((bits & HAS_NICK) !== 0) this.nicks = withoutValue(this.nicks, slot);
    if ((bits & HAS_EXTRA) !== 0) this.extras = withoutValue(this.extras, slot);
    this.ints[base + BITS] = 0;
  }

  private setNick(slot: number, bits: number, nick: string | null): number {
    if (nick === null) {
      if ((bits & HAS_NICK) === 0) return bits;
      this.nicks = withoutValue(this.nicks, slot);
      return bits & ~HAS_NICK;
    }
    // The same nickname again (every reaction carries it) keeps the stored string: writing the
    // event's fresh copy would promote it to the old generation on every event.
    if ((bits & HAS_NICK) !== 0 && slotValue(this.nicks, slot) === nick) return bits;
    this.nicks = withValue(this.nicks, slot, nick);
    return bits | HAS_NICK;
  }

  private setExtra(slot: number, bits: number, extra: MemberExtra | null): number {
    if (extra === null) {
      if ((bits & HAS_EXTRA) === 0) return bits;
      this.extras = withoutValue(this.extras, slot);
      return bits & ~HAS_EXTRA;
    }
    this.extras = withValue(this.extras, slot, extra);
    return bits | HAS_EXTRA;
  }

  /** Empty a slot; `hash` is its id's hash, or NO_HASH to find its table entry by a scan. */
  private removeSlot(slot: number, hash: number): void {
    if (this.clock !== null) this.clock.release(this.ints[slot * BUDGET_STRIDE + FRAME] as number);
    this.clearSlot(slot);
    const at = this.tableAt;
    const size = this.ints.length - at;
    if (size > 0) {
      const left =
        hash === NO_HASH ? deleteSlotByScan(this.ints, at, size, slot) : deleteSlot(this.ints, at, size, hash, slot);
      if (left === 0) this.tableUsed--;
    }
    this.users[slot] = undefined;
    this.live--;
    if (this.live === 0) {
      // Nothing left: an empty store holds no arrays (a budget empties many guilds' stores). Not
      // reached while this store enters a member (that member is live).
      this.releaseColumns();
      return;
    }
    // A hole at the end is simply given back.
    while (this.length > 0 && this.users[this.length - 1] === undefined) this.length--;
    // A slot given back can be taken again by an add: an open iterator must look again where it is.
    if (this.length <= slot) this.epoch++;
    const slots = this.tableAt / this.stride;
    // Not while a member is being entered (a budget evicting from this store to make room): slots must not move.
    if (inserting !== this && slots >= SHRINK_FROM && this.live * 4 <= slots) {
      // Mostly empty (members left, or a budget evicted them): close the holes into smaller arrays.
      this.compact();
      this.resize(Math.max(MIN_SLOTS, Math.ceil(this.live * 1.5)));
    }
  }

  /** Drop every array (the store's state when it never held a member). */
  private releaseColumns(): void {
    this.users = NO_USERS;
    this.ints = NO_INTS;
    this.tableUsed = 0;
    this.length = 0;
    this.live = 0;
    this.nicks = null;
    this.extras = null;
    this.roleSets = null;
    this.epoch++;
  }

  /**
   * New columns for `slots` slots, with a table sized for them (none for a few slots); the users
   * array too: sized here, not by V8's own growth. `shared`: the columns are a view into a slab (wordSlab.ts).
   */
  private resize(slots: number, shared = false): void {
    const at = slots * this.stride;
    const words = at + tableSizeFor(slots);
    const ints = shared ? slabWords(words) : new Int32Array(words);
    ints.set(this.ints.subarray(0, this.length * this.stride));
    this.ints = ints;
    const users = new Array<User | undefined>(slots);
    const old = this.users;
    for (let slot = 0; slot < this.length; slot++) users[slot] = old[slot];
    this.users = users;
    this.rebuildTable();
  }

  /** Enter every slot with a user into a cleared table (dropping deleted entries); nothing without a table. */
  private rebuildTable(): void {
    const ints = this.ints;
    const at = this.tableAt;
    const size = ints.length - at;
    this.tableUsed = 0;
    if (size === 0) return;
    ints.fill(0, at);
    const users = this.users;
    for (let slot = 0; slot < this.length; slot++) {
      const user = users[slot];
      if (user !== undefined) insertSlot(ints, at, size, hashID(user.id), slot);
    }
    this.tableUsed = this.live;
  }

  /** Close the holes, keeping order; the nickname and extra pairs and the table follow the moved slots. */
  private compact(): void {
    const users = this.users;
    const ints = this.ints;
    const stride = this.stride;
    const clock = this.clock;
    // Old slot → new slot, for the table's entries and the nickname and extra pairs.
    const length = this.length;
    if (length > movedScratch.length) movedScratch = new Int32Array(Math.max(length, movedScratch.length * 2));
    const moved = movedScratch;
    let to = 0;
    for (let from = 0; from < length; from++) {
      const user = users[from];
      if (user === undefined) continue;
      moved[from] = to;
      if (from !== to) {
        users[to] = user;
        ints.copyWithin(to * stride, from * stride, from * stride + stride);
        clock?.move(ints[to * stride + FRAME] as number, to);
      }
      to++;
    }
    users.fill(undefined, to, length);
    ints.fill(0, to * stride, length * stride);
    this.length = to;
    this.nicks = renumbered(this.nicks, moved);
    this.extras = renumbered(this.extras, moved);
    const at = this.tableAt;
    const size = ints.length - at;
    // Entries sit where their ids' hashes put them: renumbered in place, no id hashed again.
    if (size > 0) renumberSlots(ints, at, size, moved);
    // A large scratch is not kept for the process's lifetime.
    if (moved.length > SCRATCH_KEPT) movedScratch = new Int32Array(SCRATCH_KEPT);
    this.epoch++;
  }

  /**
   * Slots in order, each mapped by `pick`. Live like a Map iterator: members removed meanwhile are
   * skipped, members added meanwhile are reached. If slots move (a compaction while iterating),
   * iteration resumes after the last member it returned.
   */
  private *walk<T>(pick: (slot: number) => T): Generator<T, undefined, undefined> {
    let epoch = this.epoch;
    for (let slot = 0; slot < this.length; slot++) {
      const user = this.users[slot];
      if (user === undefined) continue;
      yield pick(slot);
      if (this.epoch !== epoch) {
        epoch = this.epoch;
        const now = this.slotOf(user.id, hashID(user.id));
        if (now >= 0) slot = now;
        else slot = Math.min(slot, this.length) - 1;
      }
    }
    return undefined;
  }
}

/** A guild's member store holds as many members as its id index can name (33,554,430). */
export class MemberStoreFullError extends AthenaError {
  override name = 'MemberStoreFullError';
  constructor(readonly guildID: string) {
    super(`guild ${guildID}: the member store is full (${MAX_SLOTS} members)`);
  }
}

function ignore(): void {
  // A write of a value the prototype fixes.
}

function idOf(obj: unknown): string {
  const id = obj === null || typeof obj !== 'object' ? undefined : (obj as { id?: unknown }).id;
  if (typeof id === 'string' && id.length > 0) return id;
  throw new MissingIDError('Member');
}
