import { inspect } from 'node:util';
import type { APIRole } from 'discord-api-types/v10';
import { MaplessCollection } from '../../cache/Collection.js';
import { MissingIDError } from '../../cache/errors.js';
import { NO_PERMISSIONS } from '../../permissions/bits.js';
import type { Guild } from '../Guild.js';
import { Role } from '../Role.js';
import { applyRolePayload } from './fields.js';
import {
  fitsText,
  joinFlat,
  type NameSlot,
  readName,
  sharedRoleName,
  slotHolds,
  slotLength,
  slotStart,
  textSlot
} from './names.js';
import { DEFAULT_PACKED } from './packing.js';
import { ENTRIES, KEYS, RowIterator, VALUES } from './RowIterator.js';
import { internRare, type RoleRare } from './rare.js';
import type { RoleExtra, RoleSource } from './source.js';

/** Where the roles start in `rows`: after the head (the name text, or it and the id index). */
const BASE = 1;
/** Columns per role in `rows`: id, name (or name and rare fields), permissions, packed numbers. */
const STRIDE = 4;
const NAME = 1;
const PERMISSIONS = 2;
const PACKED = 3;

/** What a row's name column holds: a name slot (names.ts), or the name with the rare fields. */
type NameCell = NameSlot | RoleRare;

/** `rows[0]`: the name text, or for a large guild the text and its id → row index. */
type Head = string | { text: string; readonly index: Map<string, number> };
/**
 * From this many roles an id → row index is kept. Below it a scan of the ids is about as fast as a
 * hash lookup, and the index would cost more than the roles' own columns.
 */
const INDEX_FROM = 24;
/** Dead characters (renamed or deleted roles' names) the name text may hold before it is rebuilt. */
const TEXT_SLACK = 256;

/** During `load`: names collected for one join (loading is synchronous, so one buffer serves all). */
let bulkNames: string[] | null = null;
let bulkOwner: RoleStore | null = null;
let bulkLength = 0;

/**
 * A guild's roles as columns of one array, behind Eris's Collection: `rows[0]` the guild's name
 * text (names.ts; with the id index in large guilds), then per role `rows[1 + 4r]` the id (the string
 * instance members' role arrays share), `rows[2 + 4r]` the name's slot (a shared string, or a place
 * in the name text), `rows[3 + 4r]` the permission bits (the interned bigint), `rows[4 + 4r]` position, colour, booleans and flags packed into one number (packing.ts: a small
 * integer for most roles, stored in the slot itself). A role with an icon, emoji, gradient colours
 * or tags holds a RoleRare in its name column instead: its name and those fields in one frozen
 * object shared with every equal one (rare.ts; a bot's managed role is the same in all its guilds).
 * 15 roles take one array and a name string (~0.6 KB) where 15 Role objects, their names and a Map
 * took ~2.3 KB. It is a MaplessCollection: a Collection (and a Map to `instanceof`) without a
 * Map's hash table.
 *
 * Reads build a Role view over the row (src/structures/Role.ts), so identity across reads does
 * not hold (`roles.get(id) !== roles.get(id)`) but every view reads and writes the same row:
 * `role.update(data)`, `roles.update(data)` and field writes change the cache. Order is insertion
 * order, as a Map's; iteration tolerates deletes and adds while it runs, as a Map's does.
 *
 * A guild's roles are needed whole (permission math ORs them), so a RoleStore does not evict: its
 * limit stays Infinity, and setting a finite one is an error (MaplessCollection's rule; a bounded
 * `new Collection(Role, n)` from the `cache.roles` option keeps Role objects instead).
 */
export class RoleStore extends MaplessCollection<string, Role, APIRole> implements RoleSource {
  readonly guild: Guild;
  /** The head (name text, id index), then the roles' columns: one array, no more fields. */
  private rows: (Head | NameCell | bigint)[];

  static {
    // MaplessCollection's constructor assigns these two; as accessors on the prototype they take
    // no slot in each store (16 B per guild). This store never evicts, so `eviction` stays null.
    Object.defineProperties(RoleStore.prototype, {
      baseObject: { configurable: true, get: () => Role, set: ignoreWrite },
      eviction: { configurable: true, get: () => null, set: ignoreWrite }
    });
  }

  constructor(guild: Guild) {
    super(Role);
    this.guild = guild;
    this.rows = [''];
  }

  /** Roles held. */
  private get count(): number {
    return (this.rows.length - BASE) / STRIDE;
  }

  /** The names not shared across guilds, end to end (names.ts). */
  private get text(): string {
    const head = this.rows[0] as Head;
    return typeof head === 'string' ? head : head.text;
  }

  private set text(value: string) {
    const head = this.rows[0] as Head;
    if (typeof head === 'string') this.rows[0] = value;
    else head.text = value;
  }

  /** id → row, for large guilds only (see INDEX_FROM). */
  private get index(): Map<string, number> | null {
    const head = this.rows[0] as Head;
    return typeof head === 'string' ? null : head.index;
  }

  private set index(index: Map<string, number> | null) {
    const text = this.text;
    this.rows[0] = index === null ? text : { text, index };
  }

  // ---- RoleSource: rows by number ------------------------------------------------------------

  /** The row of `id`, or -1. */
  private rowByID(id: string): number {
    if (this.index !== null) return this.index.get(id) ?? -1;
    const rows = this.rows;
    for (let at = BASE; at < rows.length; at += STRIDE) if (rows[at] === id) return (at - BASE) / STRIDE;
    return -1;
  }

  rowOf(id: string, hint: number): number {
    return hint >= 0 && this.rows[BASE + hint * STRIDE] === id ? hint : this.rowByID(id);
  }

  idAt(row: number): string {
    return this.rows[BASE + row * STRIDE] as string;
  }

  nameAt(row: number): string {
    const cell = this.rows[BASE + row * STRIDE + NAME] as NameCell;
    return typeof cell === 'object' ? cell.name : readName(cell, this.text);
  }

  setNameAt(row: number, name: string): void {
    const at = BASE + row * STRIDE + NAME;
    const cell = this.rows[at] as NameCell;
    if (typeof cell === 'object') {
      if (cell.name !== name) this.rows[at] = internRare(name, cell);
      return;
    }
    // GUILD_ROLE_UPDATE carries the name every time: an unchanged one appends nothing.
    if (bulkOwner !== this && slotHolds(cell, this.text, name)) return;
    this.rows[at] = this.nameSlot(name);
    if (typeof cell === 'number') this.releaseName(cell);
  }

  /**
   * A name slot no longer used: taken back off the end of the text when it was the last name
   * added (a role's name is set before its rare fields move it into a RoleRare), else left as dead
   * characters for `compactNames`.
   */
  private releaseName(slot: number): void {
    if (bulkOwner === this && bulkNames !== null) {
      if (this.isLastBulkName(slot)) bulkLength -= (bulkNames.pop() as string).length;
      return;
    }
    if (slotStart(slot) + slotLength(slot) === this.text.length) this.text = this.text.slice(0, slotStart(slot));
    this.compactNames();
  }

  /** Where a name goes: the shared string, else the end of the name text (else its own string). */
  private nameSlot(name: string): NameSlot {
    const shared = sharedRoleName(name);
    if (shared !== undefined) return shared;
    if (bulkOwner === this && bulkNames !== null) {
      const start = this.text.length + bulkLength;
      if (!fitsText(name, start)) return name;
      bulkNames.push(name);
      bulkLength += name.length;
      return textSlot(start, name.length);
    }
    const start = this.text.length;
    if (!fitsText(name, start)) return name;
    this.text = joinFlat(this.text, name);
    return textSlot(start, name.length);
  }

  /** Rebuild the name text from the live names once replaced ones take more than half of it. */
  private compactNames(): void {
    const rows = this.rows;
    let live = 0;
    for (let at = BASE + NAME; at < rows.length; at += STRIDE) {
      const slot = rows[at];
      if (typeof slot === 'number') live += slotLength(slot);
    }
    const dead = this.text.length - live;
    if (dead <= TEXT_SLACK || dead * 2 <= this.text.length) return;
    const parts: string[] = [];
    let start = 0;
    for (let at = BASE + NAME; at < rows.length; at += STRIDE) {
      const slot = rows[at];
      if (typeof slot !== 'number') continue;
      const length = slotLength(slot);
      parts.push(this.text.slice(slotStart(slot), slotStart(slot) + length));
      rows[at] = textSlot(start, length);
      start += length;
    }
    this.text = parts.join('');
  }

  permissionsAt(row: number): bigint {
    return this.rows[BASE + row * STRIDE + PERMISSIONS] as bigint;
  }

  setPermissionsAt(row: number, bits: bigint): void {
    this.rows[BASE + row * STRIDE + PERMISSIONS] = bits;
  }

  packedAt(row: number): number {
    return this.rows[BASE + row * STRIDE + PACKED] as number;
  }

  setPackedAt(row: number, packed: number): void {
    this.rows[BASE + row * STRIDE + PACKED] = packed;
  }

  /** The row's rare fields (a shared frozen RoleRare: not to be written), or undefined. */
  extraAt(row: number): RoleExtra | undefined {
    const cell = this.rows[BASE + row * STRIDE + NAME] as NameCell;
    return typeof cell === 'object' ? cell : undefined;
  }

  setExtraAt(row: number, extra: RoleExtra | undefined): void {
    const at = BASE + row * STRIDE + NAME;
    const cell = this.rows[at] as NameCell;
    if (extra === undefined) {
      if (typeof cell === 'object') this.rows[at] = this.nameSlot(cell.name);
      return;
    }
    if (cell === extra) return;
    this.rows[at] = internRare(typeof cell === 'object' ? cell.name : this.readSlot(cell), extra);
    if (typeof cell === 'number') this.releaseName(cell);
  }

  /** The name in a slot, also while `load` collects names (not in the text yet). */
  private readSlot(slot: NameSlot): string {
    if (typeof slot === 'string' || bulkOwner !== this || bulkNames === null) return readName(slot, this.text);
    if (this.isLastBulkName(slot)) return bulkNames[bulkNames.length - 1] as string;
    const text = bulkNames.join('');
    bulkNames = [text];
    return readName(slot, text);
  }

  /** Whether `load` collected this slot's name last (so it can still be taken back). */
  private isLastBulkName(slot: number): boolean {
    if (bulkNames === null || bulkNames.length < 2) return false;
    const last = bulkNames[bulkNames.length - 1] as string;
    return slotStart(slot) + slotLength(slot) === this.text.length + bulkLength && last.length === slotLength(slot);
  }

  // ---- reads that build no Role -----------------------------------------------------------------

  /** The permission bits of a role, or undefined when it is not cached (for the permission math). */
  permissionsOf(id: string): bigint | undefined {
    const row = this.rowByID(id);
    return row < 0 ? undefined : (this.rows[BASE + row * STRIDE + PERMISSIONS] as bigint);
  }

  /** The stored instance of a role id (members' role arrays share it), or undefined. */
  storedID(id: string): string | undefined {
    const row = this.rowByID(id);
    return row < 0 ? undefined : (this.rows[BASE + row * STRIDE] as string);
  }

  /**
   * Add a GUILD_CREATE's roles (as `add` each: a duplicate id keeps the first) without building a
   * Role per role, then trim the columns.
   */
  load(payloads: readonly APIRole[]): void {
    bulkNames = [this.text];
    bulkOwner = this;
    bulkLength = 0;
    try {
      for (const data of payloads) {
        const id = roleID(data);
        if (this.rowByID(id) >= 0) continue;
        applyRolePayload(this, this.appendRow(id), data);
      }
    } finally {
      this.text = bulkNames.join('');
      bulkNames = null;
      bulkOwner = null;
    }
    this.trim();
  }

  /** Trim the columns to their length (pushes leave up to half again as slack). */
  trim(): void {
    this.rows = this.rows.slice();
  }

  // ---- rows added and removed -------------------------------------------------------------------

  /** A new row for `id` holding the defaults (no name, no permissions, zeros). */
  private appendRow(id: string): number {
    const row = this.count;
    // @everyone's id is the guild's: keep the guild's string instead of a second copy.
    this.rows.push(id === this.guild.id ? this.guild.id : id, '', NO_PERMISSIONS, DEFAULT_PACKED);
    if (this.index !== null) this.index.set(id, row);
    else if (row + 1 >= INDEX_FROM) this.reindex();
    return row;
  }

  /** Reset a row to the defaults (a replaced role keeps its place, as in a Map). */
  private resetRow(row: number): void {
    const name = this.rows[BASE + row * STRIDE + NAME];
    this.rows[BASE + row * STRIDE + NAME] = '';
    if (typeof name === 'number') this.compactNames();
    this.rows[BASE + row * STRIDE + PERMISSIONS] = NO_PERMISSIONS;
    this.rows[BASE + row * STRIDE + PACKED] = DEFAULT_PACKED;
  }

  private deleteRow(row: number): void {
    const name = this.rows[BASE + row * STRIDE + NAME];
    this.rows.splice(BASE + row * STRIDE, STRIDE);
    if (typeof name === 'number') this.compactNames();
    if (this.index !== null) this.reindex();
  }

  /** Rebuild the id → row index (rows after a deleted one moved), or drop it for a small guild. */
  private reindex(): void {
    const count = this.count;
    if (count < INDEX_FROM) {
      this.index = null;
      return;
    }
    const index = new Map<string, number>();
    const rows = this.rows;
    for (let row = 0; row < count; row++) index.set(rows[BASE + row * STRIDE] as string, row);
    this.index = index;
  }

  // ---- Collection -----------------------------------------------------------------------------

  /**
   * Eris `add`: a payload becomes a row (returned as a view); a Role is copied into a row, and one
   * that held its own row (`new Role(...)`) reads and writes the cache from then on.
   */
  override add(obj: Role | APIRole, _extra?: unknown, replace?: boolean): Role {
    const id = roleID(obj);
    let row = this.rowByID(id);
    if (row >= 0 && !replace) return Role.ofRow(this, row, this.guild);
    if (row < 0) row = this.appendRow(id);
    if (obj instanceof Role) {
      // Every field is copied (no reset first: `obj` may be a view of this very row).
      obj.copyTo(this, row);
      if (obj.attachIfOwn(this, row)) return obj;
    } else {
      this.resetRow(row);
      applyRolePayload(this, row, obj);
    }
    return Role.ofRow(this, row, this.guild);
  }

  /** Eris `update`: apply a (partial) payload to the role's row, or add it when absent. */
  override update(obj: Role | APIRole | (Partial<APIRole> & { id: string }), extra?: unknown, replace?: boolean): Role {
    const id = roleID(obj);
    const row = this.rowByID(id);
    if (row < 0) return this.add(obj as APIRole, extra, replace);
    if (obj instanceof Role) return this.add(obj, extra, true);
    applyRolePayload(this, row, obj);
    return Role.ofRow(this, row, this.guild);
  }

  /** Eris `remove`: the removed role as a snapshot holding its values, or null when absent. */
  override remove(obj: { id: string }): Role | null {
    const row = typeof obj?.id === 'string' ? this.rowByID(obj.id) : -1;
    if (row < 0) return null;
    const snapshot = Role.copyOfRow(this, row, this.guild);
    this.deleteRow(row);
    return snapshot;
  }

  override get(key: string): Role | undefined {
    const row = this.rowByID(key);
    return row < 0 ? undefined : Role.ofRow(this, row, this.guild);
  }

  override peek(key: string): Role | undefined {
    return this.get(key);
  }

  override has(key: string): boolean {
    return this.rowByID(key) >= 0;
  }

  /** Map `set`: the role's fields are stored under `key` (the role itself is not kept). */
  override set(key: string, value: Role): this {
    let row = this.rowByID(key);
    if (row < 0) row = this.appendRow(key);
    // Every field is copied (no reset first: `value` may be a view of this very row).
    value.copyTo(this, row);
    return this;
  }

  override delete(key: string): boolean {
    const row = this.rowByID(key);
    if (row < 0) return false;
    this.deleteRow(row);
    return true;
  }

  override clear(): void {
    this.rows = [''];
  }

  override get size(): number {
    return this.count;
  }

  /**
   * The row to visit after `row` (whose id was `id`), allowing for rows deleted meanwhile.
   * @internal
   */
  rowAfter(row: number, id: string): number {
    if (this.rows[BASE + row * STRIDE] === id) return row + 1;
    const now = this.rowByID(id);
    // Deleted: the rows after it moved up one, so the next one is where it was.
    return now >= 0 ? now + 1 : row;
  }

  /**
   * A Role reading and writing `row`.
   * @internal
   */
  viewAt(row: number): Role {
    return Role.ofRow(this, row, this.guild);
  }

  override keys(): MapIterator<string> {
    return new RowIterator<string>(this, KEYS);
  }

  override values(): MapIterator<Role> {
    return new RowIterator<Role>(this, VALUES);
  }

  override entries(): MapIterator<[string, Role]> {
    return new RowIterator<[string, Role]>(this, ENTRIES);
  }

  override [Symbol.iterator](): MapIterator<[string, Role]> {
    return this.entries();
  }

  override forEach(callback: (value: Role, key: string, map: Map<string, Role>) => void, thisArg?: unknown): void {
    for (let row = 0; row < this.count; ) {
      const id = this.idAt(row);
      callback.call(thisArg, this.viewAt(row), id, this);
      row = this.rowAfter(row, id);
    }
  }

  // The helpers below are Collection's, as plain loops over the rows: a for-of over an iterator
  // object costs ~12 ns a step that a loop does not (same order, same tolerance of changes).

  override find(func: (value: Role) => unknown): Role | undefined {
    for (let row = 0; row < this.count; ) {
      const id = this.idAt(row);
      const role = this.viewAt(row);
      if (func(role)) return role;
      row = this.rowAfter(row, id);
    }
    return undefined;
  }

  override filter(func: (value: Role) => unknown): Role[] {
    const out: Role[] = [];
    this.forEach((role) => {
      if (func(role)) out.push(role);
    });
    return out;
  }

  override map<R>(func: (value: Role) => R): R[] {
    const out: R[] = [];
    this.forEach((role) => {
      out.push(func(role));
    });
    return out;
  }

  override some(func: (value: Role) => unknown): boolean {
    return this.find(func) !== undefined;
  }

  override every(func: (value: Role) => unknown): boolean {
    return this.find((role) => !func(role)) === undefined;
  }

  /** console.log shows the roles (util.inspect sees no Map entries in this object). */
  [inspect.custom](): Map<string, Role> {
    return new Map(this.entries());
  }
}

function roleID(obj: unknown): string {
  const id = obj === null || typeof obj !== 'object' ? undefined : (obj as { id?: unknown }).id;
  if (typeof id === 'string' && id.length > 0) return id;
  throw new MissingIDError('Role');
}

function ignoreWrite(): void {
  // A write of a value the prototype fixes (MaplessCollection's constructor).
}
