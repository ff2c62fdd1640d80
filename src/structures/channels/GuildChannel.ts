import { Collection } from '../../cache/Collection.js';
import {
  type ChannelPermissionOptions,
  channelPermissions,
  type MemberPermissionInput
} from '../../permissions/compute.js';
import {
  EMPTY_RUN,
  type OverwritePool,
  overwriteAt,
  overwriteCount,
  overwritesToAPI,
  type PackedOverwrites
} from '../../permissions/overwrites.js';
import { ID_UNPACKED, packedLow, packHigh } from '../compactID.js';
import type { Guild } from '../Guild.js';
import type { Member } from '../Member.js';
import type { Message, MessagePayload } from '../Message.js';
import { Permission } from '../Permission.js';
import { PermissionOverwrite } from '../PermissionOverwrite.js';
import { Channel } from './Channel.js';
import { ChannelTable, Col, STRIDE } from './ChannelTable.js';
import { UncachedMemberError } from './errors.js';
import type { ChannelPayload, TextableChannel } from './types.js';

/** The payload a store passes to a constructor to make a view of an existing slot (see `bindChannel`). */
const BIND: ChannelPayload = { id: '', type: 0 };
let bindTable: ChannelTable | null = null;
let bindSlot = 0;

/**
 * @internal A view of slot `slot` of `table`, of class `Class` (what a ChannelStore hands out on
 * read). `id`: the slot's id when the caller has it as a string (a lookup's key), else it is built.
 */
export function bindChannel<C extends GuildChannel>(
  Class: new (data: ChannelPayload, guild: Guild) => C,
  table: ChannelTable,
  slot: number,
  id?: string
): C {
  bindTable = table;
  bindSlot = slot;
  BIND.id = id ?? table.idAt(slot);
  return new Class(BIND, table.guild);
}

/**
 * A channel in a guild: a view of one slot of a channel table (ChannelTable.ts). A guild's
 * ChannelStore makes these on read; every field is an accessor on the table, so reads see the
 * cache and writes (including `update`) go to it. A channel built with `new` (outside a store)
 * gets a one-slot table of its own; added to a store, it moves into the store's table.
 *
 * Overwrites live in the guild's overwrite pool (permissions/overwrites.ts) and are read through
 * `overwrites` (a handle) or `permissionOverwrites` (Eris's Collection, built on read).
 */
export class GuildChannel extends Channel {
  /** @internal The table holding this channel, and its slot there. */
  declare _table: ChannelTable;
  /** @internal */
  declare _slot: number;
  /** @internal The id packed as the table keeps it (compactID.ts), so finding the slot again parses nothing. */
  declare _idHigh: number;
  /** @internal */
  declare _idLow: number;

  constructor(data: ChannelPayload, guild: Guild) {
    super(data);
    if (data === BIND && bindTable !== null) {
      this._table = bindTable;
      this._slot = bindSlot;
      this._idHigh = bindTable.words[bindSlot * STRIDE + Col.IdHigh]!;
      this._idLow = bindTable.words[bindSlot * STRIDE + Col.IdLow]!;
      bindTable = null;
      return;
    }
    this._idHigh = packHigh(data.id);
    this._idLow = this._idHigh === ID_UNPACKED ? 0 : packedLow();
    const table = new ChannelTable(guild, 1, true);
    this._table = table;
    this._slot = table.insert(data.id, data.type);
    this.fill(data);
  }

  /** Write a whole payload into this channel's fresh slot: defaults first, then its fields. @internal */
  fill(data: ChannelPayload): void {
    this.initDefaults();
    this.update(data);
  }

  /** Column defaults that are not zero for this kind of channel (see ThreadChannel and `init`). */
  protected initDefaults(): void {
    (this.constructor as typeof GuildChannel).init(this.t(), this._slot);
  }

  /** This channel's slot, found again by id when the table moved it; a removed channel reads its last values. */
  protected at(): number {
    const table = this._table;
    const slot = this._slot;
    const holds = table.holds(slot, this._idHigh, this._idLow, this.id);
    if (holds && !table.isDead(slot)) return slot;
    const moved = table.slotOf(this.id);
    if (moved >= 0) return (this._slot = moved);
    if (holds) return slot;
    // Removed and its slot reused: what is left is an empty channel of this id.
    this._table = new ChannelTable(table.guild, 1);
    this._slot = this._table.insert(this.id, 0);
    return this._slot;
  }

  /** @internal The table, after making sure `_slot` is this channel's slot there (read `_slot` after calling it). */
  protected t(): ChannelTable {
    this.at();
    return this._table;
  }

  get guild(): Guild {
    return this._table.guild;
  }

  get type(): number {
    return this.t().type(this._slot);
  }

  set type(value: number) {
    this.t().setType(this._slot, value);
  }

  get name(): string {
    return this.t().name(this._slot);
  }

  set name(value: string) {
    this.t().setName(this._slot, value);
  }

  get position(): number {
    return this.t().position(this._slot);
  }

  set position(value: number) {
    this.t().setPosition(this._slot, value);
  }

  /** Category (or, for a thread, parent channel) id, or null. */
  get parentID(): string | null {
    return this.t().parentID(this._slot);
  }

  set parentID(value: string | null) {
    this.t().setParentID(this._slot, value);
  }

  get nsfw(): boolean {
    return this.t().nsfw(this._slot);
  }

  set nsfw(value: boolean) {
    this.t().setNsfw(this._slot, value);
  }

  get flags(): number {
    return this.t().flags(this._slot);
  }

  set flags(value: number) {
    this.t().setFlags(this._slot, value);
  }

  /**
   * @internal Write a (partial) payload's fields into slot `slot` of `table` (what `update` does, with
   * no channel object): name, position, parent, overwrites, nsfw, flags; each kind adds its own
   * fields. Absent fields are kept.
   */
  static write(table: ChannelTable, slot: number, data: Partial<ChannelPayload>): void {
    if (data.type !== undefined) table.setType(slot, data.type);
    if (data.name !== undefined) table.setName(slot, data.name ?? '');
    if (data.position !== undefined) table.setPosition(slot, data.position);
    if (data.parent_id !== undefined) table.setParentID(slot, data.parent_id);
    if (data.permission_overwrites !== undefined) storeOverwrites(table, slot, data.permission_overwrites);
    if (data.nsfw !== undefined) table.setNsfw(slot, data.nsfw === true);
    if (typeof data.flags === 'number') table.setFlags(slot, data.flags);
  }

  /** @internal Column defaults that are not zero for this kind of channel, written into a fresh slot. */
  static init(_table: ChannelTable, _slot: number): void {}

  /** Apply a CHANNEL_UPDATE payload in place (the fields of this kind of channel); absent fields kept. */
  override update(data: Partial<ChannelPayload>): void {
    // The slot found once (each accessor would check it again).
    const table = this.t();
    (this.constructor as typeof GuildChannel).write(table, this._slot, data);
  }

  /** @internal This channel's run in its pool (the pool's compaction rewrites it). */
  get overwriteRun(): number {
    return this.t().overwriteRun(this._slot);
  }

  set overwriteRun(run: number) {
    this.t().setRun(this._slot, run);
  }

  /**
   * Move this channel onto a copy of its data of its own (overwrites included), for a channel that
   * is not, or no longer, held by its guild's collection: the table and pool reuse its slot and run.
   */
  detach(): void {
    const slot = this.at();
    const table = this._table;
    if (table.detached) return;
    const copy = table.detach(slot);
    if (copy.guild.overwritePool === table.pool) table.pool.release(table.overwriteRun(slot));
    this._table = copy;
    this._slot = 0;
  }

  /** This channel's overwrites (a read handle; read `permissionOverwrites` for objects). */
  get overwrites(): PackedOverwrites {
    return this.t().overwrites(this._slot);
  }

  /** Eris's Collection of PermissionOverwrite, built from the packed form on each read. */
  get permissionOverwrites(): Collection<string, PermissionOverwrite> {
    const collection = new Collection<string, PermissionOverwrite>(PermissionOverwrite);
    const packed = this.overwrites;
    for (let i = 0; i < overwriteCount(packed); i++) collection.add(new PermissionOverwrite(overwriteAt(packed, i)));
    return collection;
  }

  // Fields several kinds share, kept in the table's columns; the kinds that have them expose them.

  /** Id of the last message (TextChannel, VoiceChannel, ForumChannel, threads), packed in two words. */
  protected get lastMessageIDValue(): string | null {
    return this.t().lastMessageID(this._slot);
  }

  protected set lastMessageIDValue(value: string | null) {
    this.t().setLastMessageID(this._slot, value);
  }

  /** The channel's messages collection, kept by the table by channel id and made on first use. */
  protected messagesCollection(): Collection<string, Message, MessagePayload> {
    const table = this._table;
    const messages = (table.messages ??= new Map());
    let collection = messages.get(this.id);
    if (collection === undefined) {
      collection = this.guild.context.cache.messages(this as unknown as TextableChannel);
      messages.set(this.id, collection);
    }
    return collection;
  }

  /** A field kept in the slot's side object (made only for channels that set one), or `fallback`. */
  protected rareGet<T>(key: string, fallback: T): T {
    return this.t().rareGet(this._slot, key, fallback);
  }

  /** Write a side-object field; writing `fallback` to a channel without a side object allocates none. */
  protected rareSet(key: string, value: unknown, fallback: unknown): void {
    this.t().rareSet(this._slot, key, value, fallback);
  }

  /**
   * A member's permissions in this channel: guild base, overwrites in Discord's order, then the
   * timeout and implicit rules (pass `{ implicit: false }` for the raw overwrite result, as Eris
   * returns it). Throws UncachedMemberError for an id the cache does not hold.
   */
  permissionsOf(memberOrID: Member | string, options?: ChannelPermissionOptions): Permission {
    return new Permission(this.permissionBitsOf(memberOrID, options));
  }

  /** As permissionsOf, as a bigint. */
  permissionBitsOf(memberOrID: Member | string, options?: ChannelPermissionOptions): bigint {
    const input = this.memberInput(memberOrID);
    return channelPermissions(input, { type: this.type, overwrites: this.overwrites }, options);
  }

  /**
   * The permission input of a cached member (by instance or id); throws UncachedMemberError when the id is
   * not cached.
   */
  protected memberInput(memberOrID: Member | string): MemberPermissionInput {
    const member = typeof memberOrID === 'string' ? this.guild.members.get(memberOrID) : memberOrID;
    if (member === undefined) throw new UncachedMemberError(this.guild.id, memberOrID as string);
    return this.guild.permissionInputOf(member);
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    const json = super.toJSON(['flags', 'name', 'nsfw', 'parentID', 'position', ...props]);
    json.permissionOverwrites = overwritesToAPI(this.overwrites);
    return json;
  }
}

/**
 * Store overwrites as a new run of the table's pool, or share the parent category's run when the
 * set is identical, as it is for every channel synced with its category.
 */
function storeOverwrites(table: ChannelTable, slot: number, raw: ChannelPayload['permission_overwrites']): void {
  const pool = table.pool;
  const next = pool.add(raw, parentRun(table, slot, pool));
  // Read after add: a compaction inside it may have moved this channel's run.
  pool.release(table.overwriteRun(slot));
  table.setRun(slot, next);
}

/** The parent channel's run in `pool`, when it has one there (EMPTY_RUN otherwise). */
function parentRun(table: ChannelTable, slot: number, pool: OverwritePool): number {
  // In the same table (a guild's store) and live: read its run without building its id or the parent.
  const parentSlot = table.parentSlot(slot);
  if (parentSlot >= 0 && !table.isDead(parentSlot))
    return table.pool === pool ? table.overwriteRun(parentSlot) : EMPTY_RUN;
  const parentID = table.parentID(slot);
  if (parentID === null) return EMPTY_RUN;
  const found = table.slotOf(parentID);
  if (found >= 0) return table.pool === pool ? table.overwriteRun(found) : EMPTY_RUN;
  const parent = table.guild.channels.peek(parentID);
  return parent === undefined || parent._table.pool !== pool ? EMPTY_RUN : parent.overwriteRun;
}
