import { inspect } from 'node:util';
import type { APIEmoji } from 'discord-api-types/v10';
import { MaplessCollection } from '../../cache/Collection.js';
import { MissingIDError } from '../../cache/errors.js';
import { ID_UNPACKED, packedEquals, packedLow, packHigh, unpackID } from '../compactID.js';
import { Emoji, type EmojiChange, type EmojiFields, emojiChangeOf, emojiFieldsOf } from '../Emoji.js';
import type { Guild } from '../Guild.js';
import { EMPTY_STRINGS, internName } from '../intern.js';
import { ENTRIES, KEYS, RowIterator, VALUES } from '../roles/RowIterator.js';
import type { User } from '../User.js';

/** Columns per emoji in `rows`: id high word, id low word, name, meta. */
const STRIDE = 4;
const HIGH = 0;
const LOW = 1;
const NAME = 2;
const META = 3;
/** Below this many columns a new row copies the array at its exact length (no push slack). */
const EXACT_UP_TO = 64 * STRIDE;

/** An emoji's role list and creator, for the few emojis that have one. */
interface EmojiRare {
  readonly bits: number;
  readonly roles: readonly string[];
  readonly user: User | undefined;
}

/** The meta column: the boolean bits, or (roles or a user) the bits with them. */
type Meta = number | EmojiRare;

function metaOf(bits: number, roles: readonly string[], user: User | undefined): Meta {
  return roles.length === 0 && user === undefined ? bits : Object.freeze({ bits, roles, user });
}

/**
 * A guild's emojis as rows of one array, behind Eris's Collection (the default `cache.emojis`):
 * per emoji the id as two words (compactID.ts: no 40-byte id string), the name (shared across
 * guilds once seen twice: intern.ts), and the boolean bits, a small integer, or for an emoji
 * limited to roles or carrying its creator a frozen object with them. Two emojis take one array
 * (~110 B) and their names, where a Collection took a Map (~190 B), two Emoji objects (~140 B)
 * and two id strings (80 B). It is a MaplessCollection: a Collection (and a Map to `instanceof`)
 * without a Map's hash table.
 *
 * Reads build an Emoji from the row (src/structures/Emoji.ts): identity across reads does not
 * hold, an emoji read is a copy of the row at the time, and its writes go back to the row. Order
 * is insertion order, as a Map's; iteration tolerates deletes and adds while it runs. Lookups
 * scan the rows (a guild has at most a few hundred emojis, and the library looks none up).
 * Emojis are not evicted: the limit stays Infinity (MaplessCollection's rule).
 */
export class EmojiStore extends MaplessCollection<string, Emoji, APIEmoji> {
  readonly guild: Guild;
  private rows: (number | string | Meta)[];

  static {
    // MaplessCollection's constructor assigns these two; as accessors on the prototype they take
    // no slot in each store (16 B per guild). This store never evicts, so `eviction` stays null.
    Object.defineProperties(EmojiStore.prototype, {
      baseObject: { configurable: true, get: () => Emoji, set: ignoreWrite },
      eviction: { configurable: true, get: () => null, set: ignoreWrite }
    });
  }

  constructor(guild: Guild) {
    super(Emoji);
    this.guild = guild;
    this.rows = [];
  }

  // ---- rows ------------------------------------------------------------------------------------

  /** The row of `id`, or -1. */
  private rowByID(id: string): number {
    if (typeof id !== 'string') return -1;
    const rows = this.rows;
    const high = packHigh(id) | 0;
    if (high === ID_UNPACKED) {
      for (let at = 0; at < rows.length; at += STRIDE) {
        if (rows[at + HIGH] === ID_UNPACKED && rows[at + LOW] === id) return at / STRIDE;
      }
      return -1;
    }
    const low = packedLow();
    for (let at = 0; at < rows.length; at += STRIDE) {
      if (rows[at + HIGH] === high && rows[at + LOW] === low) return at / STRIDE;
    }
    return -1;
  }

  /**
   * The id of a row (built from its words).
   * @internal
   */
  idAt(row: number): string {
    const at = row * STRIDE;
    const high = this.rows[at + HIGH] as number;
    const low = this.rows[at + LOW] as number | string;
    return typeof low === 'string' ? low : unpackID(high, low);
  }

  /** Whether `row` holds `id` (without building the row's id string). */
  private holds(row: number, id: string): boolean {
    const at = row * STRIDE;
    const low = this.rows[at + LOW] as number | string;
    return typeof low === 'string' ? low === id : packedEquals(this.rows[at + HIGH] as number, low, id);
  }

  private fieldsAt(row: number): EmojiFields {
    const at = row * STRIDE;
    const meta = this.rows[at + META] as Meta;
    const rare = typeof meta === 'object';
    return {
      id: this.idAt(row),
      name: this.rows[at + NAME] as string,
      roles: rare ? meta.roles : EMPTY_STRINGS,
      user: rare ? meta.user : undefined,
      bits: rare ? meta.bits : meta
    };
  }

  private writeRow(row: number, fields: EmojiFields): void {
    const at = row * STRIDE;
    this.rows[at + NAME] = internName(fields.name);
    this.rows[at + META] = metaOf(fields.bits, fields.roles, fields.user);
  }

  private applyChange(row: number, change: EmojiChange): void {
    const fields = this.fieldsAt(row);
    this.writeRow(row, {
      id: fields.id,
      name: change.name ?? fields.name,
      roles: change.roles ?? fields.roles,
      user: 'user' in change ? change.user : fields.user,
      bits: (fields.bits | change.setBits) & ~change.clearBits
    });
  }

  /** A new row for `id` (no name, no bits). */
  private appendRow(id: string): number {
    const row = this.rows.length / STRIDE;
    const high = packHigh(id) | 0;
    const low = high === ID_UNPACKED ? id : packedLow();
    // Most guilds have a handful of emojis: their array is kept at its exact length.
    if (this.rows.length < EXACT_UP_TO) this.rows = this.rows.concat(high, low, '', 0);
    else this.rows.push(high, low, '', 0);
    return row;
  }

  /**
   * Write a change made to an emoji read from this store to the row of its id, if any.
   * @internal
   */
  writeEmoji(id: string, change: EmojiChange): void {
    const row = this.rowByID(id);
    if (row >= 0) this.applyChange(row, change);
  }

  /**
   * An Emoji of `row` (a copy whose writes go back to the row).
   * @internal
   */
  viewAt(row: number): Emoji {
    return Emoji.ofFields(this.fieldsAt(row), this.guild);
  }

  /**
   * The row to visit after `row` (whose id was `id`), allowing for rows deleted meanwhile.
   * @internal
   */
  rowAfter(row: number, id: string): number {
    if (row < this.size && this.holds(row, id)) return row + 1;
    const now = this.rowByID(id);
    // Deleted: the rows after it moved up one, so the next one is where it was.
    return now >= 0 ? now + 1 : row;
  }

  /** Add a GUILD_CREATE's emojis (as `add` each: a duplicate id keeps the first), then trim. */
  load(payloads: readonly APIEmoji[]): void {
    const rows: (number | string | Meta)[] = this.rows.slice();
    const base = rows.length;
    this.rows = rows;
    for (const data of payloads) {
      if (typeof data?.id !== 'string' || data.id.length === 0 || this.rowByID(data.id) >= 0) continue;
      const high = packHigh(data.id) | 0;
      rows.push(high, high === ID_UNPACKED ? data.id : packedLow(), '', 0);
      this.writeRow(rows.length / STRIDE - 1, emojiFieldsOf(data, this.guild));
    }
    if (rows.length !== base) this.rows = rows.slice();
  }

  // ---- Collection -----------------------------------------------------------------------------

  /**
   * Eris `add`: a payload becomes a row (returned as an Emoji); an Emoji of this guild is copied
   * into a row and returned, its writes going to the row from then on.
   */
  override add(obj: Emoji | APIEmoji, _extra?: unknown, replace?: boolean): Emoji {
    const id = emojiID(obj);
    let row = this.rowByID(id);
    if (row >= 0 && !replace) return this.viewAt(row);
    if (row < 0) row = this.appendRow(id);
    if (obj instanceof Emoji) {
      this.writeRow(row, obj.fields());
      if (obj.guild === this.guild) {
        obj.storeWrites(true);
        return obj;
      }
    } else {
      this.writeRow(row, emojiFieldsOf(obj, this.guild));
    }
    return this.viewAt(row);
  }

  /** Eris `update`: apply a (partial) payload to the emoji's row, or add it when absent. */
  override update(
    obj: Emoji | APIEmoji | (Partial<APIEmoji> & { id: string }),
    extra?: unknown,
    replace?: boolean
  ): Emoji {
    const id = emojiID(obj);
    const row = this.rowByID(id);
    if (row < 0) return this.add(obj as APIEmoji, extra, replace);
    if (obj instanceof Emoji) return this.add(obj, extra, true);
    this.applyChange(row, emojiChangeOf(obj, this.guild));
    return this.viewAt(row);
  }

  /** Eris `remove`: the removed emoji (its writes no longer go anywhere), or null when absent. */
  override remove(obj: { id: string }): Emoji | null {
    const row = this.rowByID(obj?.id);
    if (row < 0) return null;
    const removed = this.viewAt(row);
    removed.storeWrites(false);
    this.deleteRow(row);
    return removed;
  }

  private deleteRow(row: number): void {
    this.rows.splice(row * STRIDE, STRIDE);
  }

  override get(key: string): Emoji | undefined {
    const row = this.rowByID(key);
    return row < 0 ? undefined : this.viewAt(row);
  }

  override peek(key: string): Emoji | undefined {
    return this.get(key);
  }

  override has(key: string): boolean {
    return this.rowByID(key) >= 0;
  }

  /** Map `set`: the emoji's values are stored under `key` (the Emoji itself is not kept). */
  override set(key: string, value: Emoji): this {
    let row = this.rowByID(key);
    if (row < 0) row = this.appendRow(key);
    this.writeRow(row, value.fields());
    return this;
  }

  /** Remove the emoji with this id; whether it was there. */
  override delete(key: string): boolean {
    const row = this.rowByID(key);
    if (row < 0) return false;
    this.deleteRow(row);
    return true;
  }

  override clear(): void {
    this.rows = [];
  }

  override get size(): number {
    return this.rows.length / STRIDE;
  }

  override keys(): MapIterator<string> {
    return new RowIterator<string>(this, KEYS);
  }

  override values(): MapIterator<Emoji> {
    return new RowIterator<Emoji>(this, VALUES);
  }

  override entries(): MapIterator<[string, Emoji]> {
    return new RowIterator<[string, Emoji]>(this, ENTRIES);
  }

  /** `[id, emoji]` pairs in insertion order (as `entries()`). */
  override [Symbol.iterator](): MapIterator<[string, Emoji]> {
    return this.entries();
  }

  override forEach(callback: (value: Emoji, key: string, map: Map<string, Emoji>) => void, thisArg?: unknown): void {
    for (let row = 0; row < this.size; ) {
      const id = this.idAt(row);
      callback.call(thisArg, this.viewAt(row), id, this);
      row = this.rowAfter(row, id);
    }
  }

  /** console.log shows the emojis (util.inspect sees no Map entries in this object). */
  [inspect.custom](): Map<string, Emoji> {
    return new Map(this.entries());
  }
}

function emojiID(obj: unknown): string {
  const id = obj === null || typeof obj !== 'object' ? undefined : (obj as { id?: unknown }).id;
  if (typeof id === 'string' && id.length > 0) return id;
  throw new MissingIDError('Emoji');
}

function ignoreWrite(): void {
  // A write of a value the prototype fixes (MaplessCollection's constructor).
}
