import { inspect } from 'node:util';
import { MaplessCollection } from '../../cache/Collection.js';
import { MissingIDError } from '../../cache/errors.js';
import type { Identified, PayloadOf, StructureClass } from '../../cache/types.js';
import type { Guild } from '../Guild.js';
import { ChannelTable } from './ChannelTable.js';
import { guildChannelClass } from './factory.js';
import { bindChannel, GuildChannel } from './GuildChannel.js';
import type { AnyGuildChannel, ChannelPayload } from './types.js';

/**
 * A guild's channels (or threads) as a Collection whose entries live in a ChannelTable: a
 * MaplessCollection (a Collection and a Map to `instanceof`, without a Map's hash table), every Map
 * and Collection method served from the table.
 * Reads (`get`, `values`, `find`…) build a channel object (a view of its slot) each time, so two
 * reads give equal but not identical objects; writes through a view, `update` and the Collection
 * methods all go to the table. `remove` returns a channel detached from the table (a copy of its
 * last state, overwrites and messages included). Always unbounded: `limit` and budgets do not apply.
 */
export class ChannelStore<V extends GuildChannel = AnyGuildChannel> extends MaplessCollection<
  string,
  V,
  ChannelPayload
> {
  /**
   * The columns, made on the first channel (a guild's threads store may never hold one); until
   * then the guild (one field for both).
   */
  private _table: ChannelTable | Guild;

  constructor(guild: Guild, baseObject: StructureClass<V, ChannelPayload> = GuildChannel as never) {
    super(baseObject);
    this._table = guild;
  }

  /** @internal The columns. */
  get table(): ChannelTable {
    const table = this._table;
    if (table instanceof ChannelTable) return table;
    return (this._table = new ChannelTable(table));
  }

  /** Slot of a live channel, or -1 (without making the table). */
  private slotOf(id: string): number {
    return this._table instanceof ChannelTable ? this._table.slotOf(id) : -1;
  }

  /** Room for `count` more channels in one allocation (a GUILD_CREATE's). */
  reserve(count: number): void {
    if (count > 0) this.table.reserve(count);
  }

  /** A new channel from a payload (any existing entry of that id is replaced). */
  create(data: ChannelPayload): V {
    const table = this.table;
    const existing = table.slotOf(data.id);
    if (existing >= 0) table.kill(existing);
    return this.view(this.write(table, data), data.id);
  }

  /**
   * @internal A GUILD_CREATE's channel, as `Guild.addChannel` takes it but building no channel
   * object: an existing channel of that id is updated, a new one written straight into the table.
   */
  load(data: ChannelPayload): void {
    const table = this.table;
    const existing = table.slotOf(data.id);
    if (existing >= 0) this.view(existing, data.id).update(data);
    else this.write(table, data);
  }

  /** A payload into a new slot (defaults first, then its fields, as its kind's class writes them); the slot. */
  private write(table: ChannelTable, data: ChannelPayload): number {
    const slot = table.insert(data.id, data.type);
    const Class = guildChannelClass(table.type(slot)) as unknown as typeof GuildChannel;
    Class.init(table, slot);
    Class.write(table, slot, data);
    table.filled();
    return slot;
  }

  /** A channel object for a slot (`id`: its id when the caller has the string). */
  private view(slot: number, id?: string): V {
    return bindChannel(guildChannelClass(this.table.type(slot)), this.table, slot, id) as V;
  }

  /** A payload becomes a channel in the table; a channel object moves into it (keeping its identity). */
  override add(obj: V | PayloadOf<ChannelPayload>, _extra?: unknown, replace?: boolean): V {
    const id = idOf(obj);
    const slot = this.slotOf(id);
    if (slot >= 0 && !replace) return this.view(slot);
    if (obj instanceof GuildChannel) return this.adopt(obj as V);
    return this.create(obj as ChannelPayload);
  }

  /** Apply a (partial) payload to the channel in place, or add it when absent. */
  override update(obj: V | PayloadOf<ChannelPayload> | (Partial<ChannelPayload> & Identified), extra?: unknown): V {
    const slot = this.slotOf(idOf(obj));
    if (slot < 0 || obj instanceof GuildChannel) return this.add(obj as V, extra, true);
    const channel = this.view(slot);
    channel.update(obj as Partial<ChannelPayload>);
    return channel;
  }

  /** Take a channel object into the table (copying its slot) and point it at its new slot. */
  private adopt(channel: V): V {
    const table = this.table;
    let from = channel._table;
    let fromSlot = from.slotOf(channel.id);
    if (from === table) {
      if (fromSlot >= 0) {
        channel._slot = fromSlot;
        return channel;
      }
      // A deleted channel of this store added back: copy its tombstone out first (making room may compact it away).
      from = from.detach(channel._slot);
      fromSlot = 0;
    } else if (fromSlot < 0) fromSlot = channel._slot;
    const existing = table.slotOf(channel.id);
    if (existing >= 0) table.kill(existing);
    const messages = from.messages?.get(channel.id);
    const slot = table.insert(channel.id, from.type(fromSlot));
    table.copyFrom(from, fromSlot, slot);
    if (messages !== undefined) (table.messages ??= new Map()).set(channel.id, messages);
    // A channel of its own (made with new) gives its run back; another store keeps its copy.
    if (from.solo && !from.detached && !from.isDead(fromSlot)) from.kill(fromSlot);
    channel._table = table;
    channel._slot = slot;
    return channel;
  }

  /** Remove by instance or `{ id }`: the channel returned is detached (its last state, kept apart). */
  override remove(obj: Identified): V | null {
    const slot = this.slotOf(obj.id);
    if (slot < 0) return null;
    const channel = this.view(slot);
    channel.detach();
    this.table.kill(slot);
    this.table.messages?.delete(obj.id);
    return channel;
  }

  override get(key: string): V | undefined {
    const slot = this.slotOf(key);
    return slot < 0 ? undefined : this.view(slot, key);
  }

  override peek(key: string): V | undefined {
    return this.get(key);
  }

  override has(key: string): boolean {
    return this.slotOf(key) >= 0;
  }

  /** Store a channel object (its id is the key): its data is copied into the table. */
  override set(_key: string, value: V): this {
    this.adopt(value);
    return this;
  }

  /** Remove the channel with this id; whether it was there. */
  override delete(key: string): boolean {
    const slot = this.slotOf(key);
    if (slot < 0) return false;
    this.table.kill(slot);
    return true;
  }

  override clear(): void {
    if (this._table instanceof ChannelTable) this._table.reset();
  }

  override get size(): number {
    return this._table instanceof ChannelTable ? this._table.live : 0;
  }

  override keys(): MapIterator<string> {
    return this.slots((slot) => this.table.idAt(slot)) as MapIterator<string>;
  }

  override values(): MapIterator<V> {
    return this.slots((slot) => this.view(slot)) as MapIterator<V>;
  }

  override entries(): MapIterator<[string, V]> {
    return this.slots((slot): [string, V] => {
      const id = this.table.idAt(slot);
      return [id, this.view(slot, id)];
    }) as MapIterator<[string, V]>;
  }

  /** `[id, channel]` pairs in insertion order (as `entries()`). */
  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  override forEach(callback: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  /** console.log shows the channels (the Map itself is empty). */
  [inspect.custom](): Map<string, V> {
    return new Map(this.entries());
  }

  /** Live slots in insertion order, mapped (a channel added while iterating is visited too, as with a Map). */
  private *slots<T>(map: (slot: number) => T): Generator<T, undefined, unknown> {
    const table = this._table;
    if (!(table instanceof ChannelTable)) return undefined;
    for (let slot = 0; slot < table.used; slot++) if (!table.isDead(slot)) yield map(slot);
    return undefined;
  }
}

function idOf(obj: unknown): string {
  const id = obj === null || typeof obj !== 'object' ? undefined : (obj as { id?: unknown }).id;
  if (typeof id === 'string' && id.length > 0) return id;
  throw new MissingIDError('GuildChannel');
}
