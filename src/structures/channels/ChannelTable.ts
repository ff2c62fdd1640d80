/**
 * Columnar storage for guild channels: what a guild's ChannelStore (or one detached channel)
 * holds instead of one object per channel.
 *
 * Per channel (a slot): its name and topic end to end in the table's text (one string per table:
 * a separate string costs a 16-byte header, padding and a pointer; here a name costs its
 * characters), and everything else common in one Int32Array row of nine words (position and flags
 * as 16-bit halves of one word, where the overwrite run starts, a word of small fields (overwrite
 * count, nsfw, type, parent slot), last message id as two words, where the name and topic start and their
 * lengths, and the channel's own id as two words: no id string per channel, the string is built on
 * read). Everything else (slowmode, bitrate and user limit when not at their defaults, thread
 * metadata, forum tags, RTC region, a position or flags past 16 bits…) sits in a per-slot side object made on the first non-default
 * write (an id that is not a snowflake too). Past SCAN_SLOTS slots the same Int32Array also holds
 * an open-addressing id index (slot + 1 per bucket), so there is no Map table per guild.
 *
 * Removed channels leave a tombstone (their data stays readable through views still held) until
 * the table is full: it then compacts (tombstones dropped, live slots renumbered in order) before
 * growing. Views (channel objects) find their slot again by id when it moved.
 */
import type { Collection } from '../../cache/Collection.js';
import { EMPTY_RUN, OverwritePool, type PackedOverwrites } from '../../permissions/overwrites.js';
import { hashPacked, ID_NONE, ID_UNPACKED, idString, packedLow, packHigh, unpackID } from '../compactID.js';
import type { Guild } from '../Guild.js';
import { hashID } from '../idHash.js';
import type { Message, MessagePayload } from '../Message.js';
import { slabWords } from './wordSlab.js';

/** Column numbers in a slot's Int32Array row. */
export const Col = {
  /**
   * Position (bits 0–15) and flags (bits 16–31), each 0…0xfffe; all ones: in the side object
   * (`#position`, `#flags`: a negative, larger or non-integer value).
   */
  Small: 0,
  OverwriteStart: 1,
  /**
   * Overwrite count (bits 0–7; all ones: the run is in the side object as `#run`), nsfw (bit 8),
   * tombstone (bit 9), type (bits 10–17; all ones: in the side object), parent (bits 18–31: its
   * slot in this table, PARENT_NONE, or PARENT_ASIDE for an id kept in the side object).
   */
  Bits: 2,
  LastHigh: 3,
  LastLow: 4,
  /** Start of the name in the text heap; the topic follows it. */
  TextStart: 5,
  /** Name length (bits 0–15), topic length (bits 16–30), has a topic (bit 31); all ones: in the side object. */
  TextLengths: 6,
  /** The channel id packed (compactID.ts); IdHigh is ID_UNPACKED for an id kept in the side object (`#id`). */
  IdHigh: 7,
  IdLow: 8
} as const;
/** Words per row. */
export const STRIDE = 9;
/** Side-object keys of a parent kept aside: its packed id (high; ID_UNPACKED: low is the id string). */
const PARENT_HIGH = '#parentHigh';
const PARENT_LOW = '#parentLow';
/** A 16-bit half of the Small word whose value is in the side object. */
const HALF_ASIDE = 0xffff;
const POSITION_SHIFT = 0;
const FLAGS_SHIFT = 16;
const NAME_ASIDE = 0xffff;
const TOPIC_ASIDE = 0x7fff;
const HAS_TOPIC = 1 << 31;
/** parentField values besides a slot. */
const NO_PARENT = -1;
const PARENT_ELSEWHERE = -2;
const COUNT_MASK = 0xff;
const NSFW = 1 << 8;
const DEAD = 1 << 9;
const TYPE_SHIFT = 10;
const TYPE_ASIDE = 0xff;
const PARENT_SHIFT = 18;
/** The parent bits: a slot below PARENT_ASIDE, or one of the two markers. */
const PARENT_NONE = 0x3fff;
const PARENT_ASIDE = 0x3ffe;
const RUN_SCALE = 65536;

/** The side object of a slot: rarely set fields by name. */
export type ChannelRare = Record<string, unknown>;

// The id last looked up, packed, and its hash (adding a channel looks its id up two or three times in a row).
let lastID: string | null = null;
let idHigh = 0;
let idLow = 0;
let idHash = 0;

function locate(id: string): void {
  if (id === lastID) return;
  idHigh = packHigh(id);
  if (idHigh === ID_UNPACKED) {
    idLow = 0;
    idHash = hashID(id);
  } else {
    idLow = packedLow();
    idHash = hashPacked(idHigh, idLow);
  }
  lastID = id;
}

/** Tables of up to this many slots have no id index (see indexSizeFor). */
const SCAN_SLOTS = 16;

/** Whole-text joins are batched past this many appends in a bulk load. */
const BULK_JOIN = 4096;

const isInt32 = (value: unknown): value is number => typeof value === 'number' && (value | 0) === value;

/** What few tables need, kept out of every table's fields (see `ChannelTable.aux`). */
interface TableAux {
  /** A one-channel table of a channel made with `new` (see the constructor). */
  solo: boolean;
  /** Overwrite pool of a detached table (null: the guild's pool). */
  ownPool: OverwritePool | null;
  /** Messages collections by channel id, made on a channel's first use of `messages`. */
  messages: Map<string, Collection<string, Message, MessagePayload>> | null;
  /** Channels of a bulk load (`reserve`) still to come. */
  bulkRemaining: number;
  /** See ChannelTable.textDead. */
  textDead: number;
}

export class ChannelTable {
  /** The guild the channels belong to. */
  readonly guild: Guild;
  /**
   * Rarely set state (solo, own pool, messages, a bulk load under way) in one object made when
   * needed: four fields less on the table of every guild.
   */
  private aux: TableAux | null = null;
  /**
   * Names and topics end to end, addressed by (start, length); during a bulk load (`reserve`) the
   * parts appended, joined once at its end (or by the first read).
   */
  private text: string | string[] = '';
  /** Characters stored (live and dead). */
  private textSize = 0;
  rare: (ChannelRare | undefined)[] | null = null;
  /** Rows (capacity × STRIDE words), then the id index (indexSize words). */
  words: Int32Array;
  capacity: number;
  /** Slots written (live and tombstones), and live ones. */
  used = 0;
  live = 0;

  /**
   * @param solo - a one-channel table of a channel made outside a store (a store adding that channel
   *   takes its data and empties this table)
   */
  constructor(guild: Guild, capacity = 0, solo = false) {
    this.guild = guild;
    if (solo) this.auxOf().solo = true;
    this.capacity = capacity;
    this.words = new Int32Array(capacity * STRIDE + indexSizeFor(capacity));
  }

  /** Buckets of the id index (a function of the capacity: one field less per table). */
  private get indexSize(): number {
    return indexSizeFor(this.capacity);
  }

  /** Characters of replaced names and topics in the text (reclaimed by a rebuild); kept in aux, as few tables rename. */
  private get textDead(): number {
    return this.aux === null ? 0 : this.aux.textDead;
  }

  private set textDead(value: number) {
    if (value === 0 && this.aux === null) return;
    this.auxOf().textDead = value;
    this.trimAux();
  }

  /** Words the rows and the id index take at the start of `words` (the rest may be an overwrite pool's). */
  get span(): number {
    return this.capacity * STRIDE + this.indexSize;
  }

  /** Whether this is a one-channel table of a channel made outside a store (a store adding it takes its data). */
  get solo(): boolean {
    return this.aux?.solo === true;
  }

  /** Messages collections by channel id, made on a channel's first use of `messages`. */
  get messages(): Map<string, Collection<string, Message, MessagePayload>> | null {
    return this.aux === null ? null : this.aux.messages;
  }

  set messages(value: Map<string, Collection<string, Message, MessagePayload>> | null) {
    if (value === null && this.aux === null) return;
    this.auxOf().messages = value;
    this.trimAux();
  }

  /** Overwrite pool of a detached table (null: the guild's pool). */
  private get ownPool(): OverwritePool | null {
    return this.aux === null ? null : this.aux.ownPool;
  }

  private auxOf(): TableAux {
    return (this.aux ??= { solo: false, ownPool: null, messages: null, bulkRemaining: 0, textDead: 0 });
  }

  /** Drop the aux object once it holds nothing. */
  private trimAux(): void {
    const aux = this.aux;
    if (
      aux !== null &&
      !aux.solo &&
      aux.ownPool === null &&
      aux.messages === null &&
      aux.bulkRemaining === 0 &&
      aux.textDead === 0
    ) {
      this.aux = null;
    }
  }

  /** Whether this is a detached channel's own table (with its own overwrite pool). */
  get detached(): boolean {
    return this.ownPool !== null;
  }

  /** The pool the overwrite runs refer to. */
  get pool(): OverwritePool {
    return this.ownPool ?? this.guild.overwritePool;
  }

  /** Room for `count` more channels in one allocation (a GUILD_CREATE's channels). */
  reserve(count: number): void {
    if (this.used + count > this.capacity) this.resize(this.used + count);
    if (count <= 0) return;
    if (typeof this.text === 'string') this.text = this.text.length === 0 ? [] : [this.text];
    this.auxOf().bulkRemaining = count;
  }

  /**
   * A channel of a bulk load (see `reserve`) is written: after the last one the names and topics
   * added are joined once (reads join early if they come first).
   */
  filled(): void {
    const aux = this.aux;
    if (aux !== null && aux.bulkRemaining > 0 && --aux.bulkRemaining === 0) {
      this.seal();
      this.trimAux();
    }
  }

  /** Slot of a live channel, or -1. */
  slotOf(id: string): number {
    locate(id);
    if (this.indexSize === 0) return this.scan(id);
    const mask = this.indexSize - 1;
    const base = this.capacity * STRIDE;
    const words = this.words;
    for (let b = idHash & mask; ; b = (b + 1) & mask) {
      const entry = words[base + b]!;
      if (entry === 0) return -1;
      const row = (entry - 1) * STRIDE;
      if (words[row + Col.IdHigh] !== idHigh || (words[row + Col.Bits]! & DEAD) !== 0) continue;
      if (idHigh === ID_UNPACKED ? this.rare?.[entry - 1]?.['#id'] === id : words[row + Col.IdLow] === idLow) {
        return entry - 1;
      }
    }
  }

  /** slotOf for a table without an index: a scan of the rows (as fast as hashing for a few). */
  private scan(id: string): number {
    const words = this.words;
    for (let slot = 0, row = 0; slot < this.used; slot++, row += STRIDE) {
      if (words[row + Col.IdLow] !== idLow || words[row + Col.IdHigh] !== idHigh) continue;
      if ((words[row + Col.Bits]! & DEAD) !== 0) continue;
      if (idHigh !== ID_UNPACKED || this.rare?.[slot]?.['#id'] === id) return slot;
    }
    return -1;
  }

  /**
   * Whether `slot` (live or a tombstone) holds the channel `id`, packed by the caller as
   * (high, low) (a view keeps its id packed: no parse per field read).
   */
  holds(slot: number, high: number, low: number, id: string): boolean {
    if (slot >= this.used) return false;
    const row = slot * STRIDE;
    if (this.words[row + Col.IdHigh] !== high) return false;
    return high === ID_UNPACKED ? this.rare?.[slot]?.['#id'] === id : this.words[row + Col.IdLow] === low;
  }

  /** The id of a slot (built from its two words). */
  idAt(slot: number): string {
    const row = slot * STRIDE;
    const high = this.words[row + Col.IdHigh]!;
    if (high === ID_UNPACKED) return this.rare?.[slot]?.['#id'] as string;
    return idString(high, this.words[row + Col.IdLow]!);
  }

  /** Whether a slot is a tombstone. */
  isDead(slot: number): boolean {
    return (this.words[slot * STRIDE + Col.Bits]! & DEAD) !== 0;
  }

  /** A new slot for `id`, with every column at its default. */
  insert(id: string, type: number): number {
    if (this.used === this.capacity) this.makeRoom();
    const slot = this.used++;
    this.live++;
    if (this.rare !== null) this.rare[slot] = undefined;
    const row = slot * STRIDE;
    this.words.fill(0, row, row + STRIDE);
    this.setType(slot, type);
    this.setParentField(slot, NO_PARENT);
    this.words[row + Col.LastHigh] = ID_NONE;
    this.words[row + Col.TextStart] = this.textSize;
    locate(id);
    this.words[row + Col.IdHigh] = idHigh;
    this.words[row + Col.IdLow] = idLow;
    if (idHigh === ID_UNPACKED) this.rareOf(slot)['#id'] = id;
    this.indexSlot(slot, idHash);
    return slot;
  }

  /**
   * Mark a slot removed (a tombstone: views still held read its last values; its messages are
   * dropped). Its overwrite run is copied out of the guild's pool first, since the pool reuses the run.
   */
  kill(slot: number): void {
    const run = this.overwriteRun(slot);
    if (run !== EMPTY_RUN && this.ownPool === null) {
      this.rareOf(slot)['#overwrites'] = this.pool.detach(run);
      this.pool.release(run);
      this.setRun(slot, EMPTY_RUN);
    }
    this.words[slot * STRIDE + Col.Bits] = this.words[slot * STRIDE + Col.Bits]! | DEAD;
    this.live--;
    // By id: a channel added again under this id starts without them (as a new Eris channel would).
    if (this.messages !== null) this.messages.delete(this.idAt(slot));
  }

  /** Every slot removed (views held read defaults once their slot is reused). */
  reset(): void {
    if (this.ownPool === null) {
      for (let slot = 0; slot < this.used; slot++) if (!this.isDead(slot)) this.pool.release(this.overwriteRun(slot));
    }
    this.resetText();
    this.rare = null;
    this.used = 0;
    this.live = 0;
    // Only the rows and the index: an overwrite pool may share the array's tail (see shareBuffer).
    this.words.fill(0, 0, this.span);
    this.messages = null;
  }

  /**
   * Copy a slot of another table (or this one) into a new table of its own for one channel:
   * what a channel removed from its store keeps, out of the guild's pool and slot reuse.
   */
  detach(slot: number): ChannelTable {
    const table = new ChannelTable(this.guild, 1);
    table.auxOf().ownPool = new OverwritePool();
    const id = this.idAt(slot);
    const to = table.insert(id, 0);
    table.copyFrom(this, slot, to);
    const messages = this.messages?.get(id);
    if (messages !== undefined) (table.messages = new Map()).set(id, messages);
    return table;
  }

  /** Copy a slot of `from` into slot `to` (overwrites into this table's pool, parent by id). */
  copyFrom(from: ChannelTable, slot: number, to: number): void {
    const row = slot * STRIDE;
    // The same id in both (kept as the slot's own words).
    for (let c = 0; c < Col.IdHigh; c++) this.words[to * STRIDE + c] = from.words[row + c]!;
    this.words[to * STRIDE + Col.Bits] = from.words[row + Col.Bits]! & ~DEAD & ~COUNT_MASK;
    this.words[to * STRIDE + Col.OverwriteStart] = 0;
    this.words[to * STRIDE + Col.TextLengths] = 0;
    const rare = from.rare?.[slot];
    if (this.rare !== null) this.rare[to] = undefined;
    if (rare !== undefined) {
      const copy = { ...rare };
      delete copy['#overwrites'];
      this.rareColumn()[to] = copy;
    }
    if (this.words[to * STRIDE + Col.IdHigh] === ID_UNPACKED) this.rareOf(to)['#id'] = from.idAt(slot);
    this.writeText(to, from.name(slot), from.topic(slot));
    this.setParentID(to, from.parentID(slot));
    const overwrites = from.overwrites(slot);
    if (overwrites.count > 0) {
      const raw = [];
      for (let i = 0; i < overwrites.count; i++) {
        const at = overwrites.start + i;
        const pool = overwrites.pool;
        raw.push({
          id: pool.idAt(at),
          type: pool.typeAt(at),
          allow: pool.allowAt(at).toString(),
          deny: pool.denyAt(at).toString()
        });
      }
      this.setRun(to, this.pool.add(raw));
    }
  }

  // ------------------------------------------------------------ columns

  position(slot: number): number {
    return this.half(slot, POSITION_SHIFT, '#position');
  }

  setPosition(slot: number, value: number): void {
    this.setHalf(slot, POSITION_SHIFT, '#position', value);
  }

  flags(slot: number): number {
    return this.half(slot, FLAGS_SHIFT, '#flags');
  }

  setFlags(slot: number, value: number): void {
    this.setHalf(slot, FLAGS_SHIFT, '#flags', value);
  }

  /** A 16-bit half of the Small word, or the side object's value when it is set aside. */
  private half(slot: number, shift: number, key: string): number {
    const value = (this.words[slot * STRIDE + Col.Small]! >>> shift) & HALF_ASIDE;
    return value === HALF_ASIDE ? (this.rare?.[slot]?.[key] as number) : value;
  }

  /** Write a half; anything but an integer 0…0xfffe goes to the side object. */
  private setHalf(slot: number, shift: number, key: string, value: number): void {
    const at = slot * STRIDE + Col.Small;
    const inline = isInt32(value) && value >= 0 && value < HALF_ASIDE;
    if (((this.words[at]! >>> shift) & HALF_ASIDE) === HALF_ASIDE) delete this.rareOf(slot)[key];
    if (!inline) this.rareOf(slot)[key] = value;
    this.words[at] = (this.words[at]! & ~(HALF_ASIDE << shift)) | ((inline ? value : HALF_ASIDE) << shift);
  }

  /** The channel type (a byte of the Bits word; larger or odd values in the side object). */
  type(slot: number): number {
    const type = (this.words[slot * STRIDE + Col.Bits]! >>> TYPE_SHIFT) & TYPE_ASIDE;
    return type === TYPE_ASIDE ? (this.rare?.[slot]?.['#type'] as number) : type;
  }

  setType(slot: number, value: number): void {
    const at = slot * STRIDE + Col.Bits;
    const inline = isInt32(value) && value >= 0 && value < TYPE_ASIDE;
    if (((this.words[at]! >>> TYPE_SHIFT) & TYPE_ASIDE) === TYPE_ASIDE) delete this.rareOf(slot)['#type'];
    if (!inline) this.rareOf(slot)['#type'] = value;
    this.words[at] = (this.words[at]! & ~(TYPE_ASIDE << TYPE_SHIFT)) | ((inline ? value : TYPE_ASIDE) << TYPE_SHIFT);
  }

  nsfw(slot: number): boolean {
    return (this.words[slot * STRIDE + Col.Bits]! & NSFW) !== 0;
  }

  setNsfw(slot: number, value: boolean): void {
    const at = slot * STRIDE + Col.Bits;
    this.words[at] = value ? this.words[at]! | NSFW : this.words[at]! & ~NSFW;
  }

  parentID(slot: number): string | null {
    const parent = this.parentField(slot);
    if (parent === NO_PARENT) return null;
    if (parent === PARENT_ELSEWHERE) {
      // Packed in the side object (a thread's parent is in the channels table, not this one).
      const rare = this.rare?.[slot];
      const high = rare?.[PARENT_HIGH] as number;
      const low = rare?.[PARENT_LOW] as number | string;
      return high === ID_UNPACKED ? (low as string) : idString(high, low as number);
    }
    return this.idAt(parent);
  }

  /**
   * The parent as a slot when it is in this table, else its id packed in the side object (two small
   * integers instead of a 40-byte string; the string itself when it does not pack).
   */
  setParentID(slot: number, id: string | null): void {
    if (id === null) {
      this.setParentField(slot, NO_PARENT);
      return;
    }
    const parent = this.slotOf(id);
    if (parent >= 0 && parent < PARENT_ASIDE) this.setParentField(slot, parent);
    else {
      this.setParentField(slot, PARENT_ELSEWHERE);
      const high = packHigh(id);
      this.setParentAside(slot, high, high === ID_UNPACKED ? id : packedLow());
    }
  }

  /** The parent's slot when it is in this table (live or a tombstone), else a negative number. */
  parentSlot(slot: number): number {
    return this.parentField(slot);
  }

  /** The parent bits: a slot, NO_PARENT or PARENT_ELSEWHERE. */
  private parentField(slot: number): number {
    const bits = this.words[slot * STRIDE + Col.Bits]! >>> PARENT_SHIFT;
    return bits === PARENT_NONE ? NO_PARENT : bits === PARENT_ASIDE ? PARENT_ELSEWHERE : bits;
  }

  /** Write the parent bits (`value`: a slot below PARENT_ASIDE, NO_PARENT or PARENT_ELSEWHERE). */
  private setParentField(slot: number, value: number): void {
    const bits = value === NO_PARENT ? PARENT_NONE : value === PARENT_ELSEWHERE ? PARENT_ASIDE : value;
    const at = slot * STRIDE + Col.Bits;
    this.words[at] = (this.words[at]! & ((1 << PARENT_SHIFT) - 1)) | (bits << PARENT_SHIFT);
  }

  /** A parent kept in the side object; both fields are overwritten, never deleted (deleting would make it a dictionary). */
  private setParentAside(slot: number, high: number, low: number | string): void {
    const rare = this.rareOf(slot);
    rare[PARENT_HIGH] = high;
    rare[PARENT_LOW] = low;
  }

  /** The run number of a slot's overwrites in `pool` (EMPTY_RUN for none or when kept aside). */
  overwriteRun(slot: number): number {
    const count = this.words[slot * STRIDE + Col.Bits]! & COUNT_MASK;
    if (count === 0) return EMPTY_RUN;
    // 255 overwrites or more: the whole run number in the side object.
    if (count === COUNT_MASK) return this.rare?.[slot]?.['#run'] as number;
    return this.words[slot * STRIDE + Col.OverwriteStart]! * RUN_SCALE + count;
  }

  setRun(slot: number, run: number): void {
    const at = slot * STRIDE + Col.Bits;
    const count = run % RUN_SCALE;
    this.words[slot * STRIDE + Col.OverwriteStart] = Math.floor(run / RUN_SCALE);
    if (count >= COUNT_MASK) this.rareOf(slot)['#run'] = run;
    this.words[at] = (this.words[at]! & ~COUNT_MASK) | Math.min(count, COUNT_MASK);
  }

  /** A read handle on a slot's overwrites. */
  overwrites(slot: number): PackedOverwrites {
    const aside = this.rare?.[slot]?.['#overwrites'] as PackedOverwrites | undefined;
    return aside ?? this.pool.view(this.overwriteRun(slot));
  }

  name(slot: number): string {
    const lengths = this.words[slot * STRIDE + Col.TextLengths]!;
    const length = lengths & NAME_ASIDE;
    if (length === NAME_ASIDE) return this.rare?.[slot]?.name as string;
    return this.readText(this.words[slot * STRIDE + Col.TextStart]!, length);
  }

  setName(slot: number, name: string): void {
    const lengths = this.words[slot * STRIDE + Col.TextLengths]!;
    const length = lengths & NAME_ASIDE;
    if (length !== NAME_ASIDE && this.textEquals(this.words[slot * STRIDE + Col.TextStart]!, length, name)) return;
    this.writeText(slot, name, this.topic(slot));
  }

  topic(slot: number): string | null {
    const lengths = this.words[slot * STRIDE + Col.TextLengths]!;
    if ((lengths & HAS_TOPIC) === 0) return null;
    const length = (lengths >>> 16) & TOPIC_ASIDE;
    if (length === TOPIC_ASIDE) return this.rare?.[slot]?.topic as string;
    const nameLength = lengths & NAME_ASIDE;
    const start = this.words[slot * STRIDE + Col.TextStart]! + (nameLength === NAME_ASIDE ? 0 : nameLength);
    return this.readText(start, length);
  }

  setTopic(slot: number, topic: string | null): void {
    const lengths = this.words[slot * STRIDE + Col.TextLengths]!;
    if (topic === null && (lengths & HAS_TOPIC) === 0) return;
    if (topic !== null && (lengths & HAS_TOPIC) !== 0 && this.topic(slot) === topic) return;
    this.writeText(slot, this.name(slot), topic);
  }

  /**
   * Store a slot's name and topic end to end in the text heap (the previous pair becomes dead
   * space); a string too long for its length field goes to the side object instead.
   */
  private writeText(slot: number, name: string, topic: string | null): void {
    const at = slot * STRIDE + Col.TextLengths;
    const stored = this.storedTextLength(this.words[at]!);
    const storedStart = this.words[slot * STRIDE + Col.TextStart]!;
    // The last text written (a channel's name, then its topic, as a payload fills them): taken back, not left dead.
    if (stored > 0 && storedStart + stored === this.textSize) this.truncateText(storedStart);
    else this.textDead += stored;
    const nameLength = Math.min(name.length, NAME_ASIDE);
    const topicLength = topic === null ? 0 : Math.min(topic.length, TOPIC_ASIDE);
    const rare = this.rare?.[slot];
    if (rare !== undefined) {
      delete rare.name;
      delete rare.topic;
    }
    if (nameLength === NAME_ASIDE) this.rareOf(slot).name = name;
    if (topicLength === TOPIC_ASIDE) this.rareOf(slot).topic = topic;
    const start = this.append(nameLength === NAME_ASIDE ? '' : name);
    if (topic !== null && topicLength !== TOPIC_ASIDE) this.append(topic);
    this.words[slot * STRIDE + Col.TextStart] = start;
    this.words[at] = nameLength | (topicLength << 16) | (topic === null ? 0 : HAS_TOPIC);
    if (this.wasteful) this.rebuildText();
  }

  /** Characters a slot holds in the text heap. */
  private storedTextLength(lengths: number): number {
    const name = lengths & NAME_ASIDE;
    const topic = (lengths & HAS_TOPIC) === 0 ? 0 : (lengths >>> 16) & TOPIC_ASIDE;
    return (name === NAME_ASIDE ? 0 : name) + (topic === TOPIC_ASIDE ? 0 : topic);
  }

  /** Rewrite the text heap with only the strings slots use (tombstones included). */
  private rebuildText(): void {
    const parts: string[] = [];
    let size = 0;
    for (let slot = 0; slot < this.used; slot++) {
      const row = slot * STRIDE;
      const length = this.storedTextLength(this.words[row + Col.TextLengths]!);
      const start = this.words[row + Col.TextStart]!;
      parts.push(this.readText(start, length));
      this.words[row + Col.TextStart] = size;
      size += length;
    }
    this.resetText(parts.join(''));
  }

  // ------------------------------------------------------------ text

  /** Whether more than half the characters (and a few hundred) belong to replaced strings. */
  private get wasteful(): boolean {
    return this.textDead > 256 && this.textDead * 2 > this.textSize;
  }

  /** Join the parts of a bulk load. */
  private seal(): void {
    if (typeof this.text !== 'string') this.text = this.text.join('');
  }

  /** Store `value` at the end of the text; returns its start. Outside a bulk load each append joins at once (edits are rare). */
  private append(value: string): number {
    const start = this.textSize;
    if (value.length === 0) return start;
    this.textSize += value.length;
    const text = this.text;
    // After a truncation the string may run past textSize: only what is below it is kept.
    if (typeof text === 'string') this.text = [text.length === start ? text : text.slice(0, start), value].join('');
    else {
      text.push(value);
      // A bulk load that never ends (fewer channels than reserved) still joins now and then.
      if (text.length > BULK_JOIN) this.text = [text.join('')];
    }
    return start;
  }

  /** Drop the text from `size` on (the tail a slot is rewriting). */
  private truncateText(size: number): void {
    const text = this.text;
    if (typeof text !== 'string') {
      let total = this.textSize;
      while (total > size) {
        const part = text.pop() as string;
        total -= part.length;
        if (total < size) {
          text.push(part.slice(0, size - total));
          total = size;
        }
      }
    }
    // A string is cut by the next append (see there); reads never go past textSize.
    this.textSize = size;
  }

  private readText(start: number, length: number): string {
    if (length === 0) return '';
    this.seal();
    return (this.text as string).slice(start, start + length);
  }

  /** Whether the string at (start, length) is `value`, without building it. */
  private textEquals(start: number, length: number, value: string): boolean {
    if (length !== value.length) return false;
    this.seal();
    return (this.text as string).startsWith(value, start);
  }

  /** Start over with `text` (holding only live strings). */
  private resetText(text = ''): void {
    this.text = text;
    this.textSize = text.length;
    this.textDead = 0;
  }

  lastMessageID(slot: number): string | null {
    const high = this.words[slot * STRIDE + Col.LastHigh]!;
    if (high === ID_NONE) return null;
    if (high === ID_UNPACKED) return (this.rare?.[slot]?.lastMessageRaw as string | undefined) ?? null;
    return unpackID(high, this.words[slot * STRIDE + Col.LastLow]!);
  }

  /** lastMessageID as two words (compactID.ts), the string itself only when it does not pack. */
  setLastMessageID(slot: number, value: string | null | undefined): void {
    const row = slot * STRIDE;
    if (typeof value !== 'string') {
      this.words[row + Col.LastHigh] = ID_NONE;
      return;
    }
    const high = packHigh(value);
    this.words[row + Col.LastHigh] = high;
    this.words[row + Col.LastLow] = packedLow();
    if (high === ID_UNPACKED) this.rareOf(slot).lastMessageRaw = value;
  }

  /**
   * A rarely set id field (a thread's owner) kept packed in the side object under `key` + High/Low:
   * two small integers instead of a 40-byte string (the string itself when it does not pack). Null
   * when never set.
   */
  rareID(slot: number, key: string): string | null {
    const rare = this.rare?.[slot];
    if (rare === undefined) return null;
    const high = rare[`${key}High`];
    if (typeof high !== 'number' || high === ID_NONE) return null;
    const low = rare[`${key}Low`];
    return high === ID_UNPACKED ? (low as string) : idString(high, low as number);
  }

  /** Set a packed id field (null: none; writing null to a slot without a side object allocates nothing). */
  setRareID(slot: number, key: string, id: string | null): void {
    if (id === null && this.rare?.[slot] === undefined) return;
    const rare = this.rareOf(slot);
    // Anything but a string or null (bad input) is kept as it is, as an unpacked id.
    const high = typeof id === 'string' ? packHigh(id) : id === null ? ID_NONE : ID_UNPACKED;
    rare[`${key}High`] = high;
    rare[`${key}Low`] = high === ID_UNPACKED ? id : high === ID_NONE ? 0 : packedLow();
  }

  /** A rarely set field, or `fallback` when the slot never set it. */
  rareGet<T>(slot: number, key: string, fallback: T): T {
    const rare = this.rare?.[slot];
    return rare !== undefined && key in rare ? (rare[key] as T) : fallback;
  }

  /** Set a rarely set field; writing the default to a field never set stores nothing. */
  rareSet(slot: number, key: string, value: unknown, fallback: unknown): void {
    const rare = this.rare?.[slot];
    // The default is what an absent key reads: not added (a property less), nor deleted when there.
    if (value === fallback && (rare === undefined || !(key in rare))) return;
    this.rareOf(slot)[key] = value;
  }

  /** Overwrite runs of every live slot moved by `move` (the pool compacting). */
  relocateRuns(move: (run: number) => number): void {
    for (let slot = 0; slot < this.used; slot++) {
      if (!this.isDead(slot)) this.setRun(slot, move(this.overwriteRun(slot)));
    }
  }

  // ------------------------------------------------------------ growth

  private rareOf(slot: number): ChannelRare {
    const column = this.rareColumn();
    let rare = column[slot];
    if (rare === undefined) {
      rare = {};
      column[slot] = rare;
    }
    return rare;
  }

  private rareColumn(): (ChannelRare | undefined)[] {
    if (this.rare === null) this.rare = new Array<ChannelRare | undefined>(this.capacity);
    return this.rare;
  }

  /** Enter a slot in the id index (`hash`: of its id, from `locate`, or computed from its words). */
  private indexSlot(slot: number, hash = this.hashOf(slot)): void {
    if (this.indexSize === 0) return;
    const mask = this.indexSize - 1;
    const base = this.capacity * STRIDE;
    let b = hash & mask;
    while (this.words[base + b] !== 0) b = (b + 1) & mask;
    this.words[base + b] = slot + 1;
  }

  private hashOf(slot: number): number {
    const row = slot * STRIDE;
    const high = this.words[row + Col.IdHigh]!;
    return high === ID_UNPACKED
      ? hashID(this.rare?.[slot]?.['#id'] as string)
      : hashPacked(high, this.words[row + Col.IdLow]!);
  }

  /** Drop tombstones if there are any, else grow by half. */
  private makeRoom(): void {
    if (this.live < this.used) this.compact();
    // From one slot: most thread tables hold one to three threads (1, 2, 3, 5, 8… fits them exactly).
    if (this.used === this.capacity) this.resize(Math.max(1, Math.ceil(this.capacity * 1.5)));
  }

  private resize(capacity: number): void {
    const old = this.words;
    this.capacity = capacity;
    this.words = new Int32Array(capacity * STRIDE + indexSizeFor(capacity));
    this.words.set(old.subarray(0, this.used * STRIDE));
    for (let slot = 0; slot < this.used; slot++) if (!this.isDead(slot)) this.indexSlot(slot);
    // Sized to the capacity: filled by appending, V8 would grow it by half and 16 slots.
    if (this.rare !== null) this.rare = sized(this.rare, capacity);
  }

  /** Renumber the live slots in order, dropping tombstones (their views then read defaults). */
  private compact(): void {
    const renumber = new Int32Array(this.used).fill(-1);
    let next = 0;
    for (let slot = 0; slot < this.used; slot++) if (!this.isDead(slot)) renumber[slot] = next++;
    // Parents that are tombstones keep their id in the side object.
    for (let slot = 0; slot < this.used; slot++) {
      if (this.isDead(slot)) continue;
      const parent = this.parentField(slot);
      if (parent < 0) continue;
      if (renumber[parent] === -1) {
        this.setParentField(slot, PARENT_ELSEWHERE);
        const row = parent * STRIDE;
        const high = this.words[row + Col.IdHigh]!;
        this.setParentAside(slot, high, high === ID_UNPACKED ? this.idAt(parent) : this.words[row + Col.IdLow]!);
      } else this.setParentField(slot, renumber[parent]!);
    }
    for (let slot = 0; slot < this.used; slot++) {
      const to = renumber[slot]!;
      if (to === -1) {
        this.textDead += this.storedTextLength(this.words[slot * STRIDE + Col.TextLengths]!);
        continue;
      }
      if (to === slot) continue;
      this.words.copyWithin(to * STRIDE, slot * STRIDE, (slot + 1) * STRIDE);
      if (this.rare !== null) this.rare[to] = this.rare[slot];
    }
    // Past `next` the side column keeps its length (see `sized`), emptied so it holds nothing.
    if (this.rare !== null) for (let slot = next; slot < this.used; slot++) this.rare[slot] = undefined;
    this.used = next;
    this.words.fill(0, next * STRIDE, this.span);
    for (let slot = 0; slot < next; slot++) this.indexSlot(slot);
    if (this.wasteful) this.rebuildText();
  }
}

/**
 * Put a table's words and an overwrite pool's words (exactly what its entries and pairs take) in one
 * Int32Array, the pool's at its end, once a GUILD_CREATE has filled both: each typed array costs a
 * view object, an ArrayBuffer object and an off-heap backing-store record besides its bytes. The
 * array is a view into a slab shared with other guilds (wordSlab.ts): no ArrayBuffer of its own.
 * Whichever grows later gets an array of its own (the other keeps the shared one).
 */
export function shareBuffer(table: ChannelTable, pool: OverwritePool): void {
  const rows = table.span;
  const overwrites = pool.usedWords;
  if (rows === 0 || overwrites === 0) {
    pool.fit();
    return;
  }
  const words = slabWords(rows + overwrites);
  words.set(table.words.subarray(0, rows));
  table.words = words;
  pool.moveTo(words, rows);
}

/** A copy of `items` in an array allocated for `capacity` elements. */
function sized<T>(items: T[], capacity: number): T[] {
  // Its length stays `capacity` (holes past the slots used): shrinking the length would trim the store.
  const out = new Array<T>(capacity);
  for (let i = 0; i < Math.min(items.length, capacity); i++) out[i] = items[i] as T;
  return out;
}

/**
 * Buckets for `capacity` slots: a power of two at least 1.5 times as many (load ≤ 2/3); none up to
 * SCAN_SLOTS (most guilds: a scan of that many rows costs what hashing the id does, and the index
 * would take 64 bytes).
 */
function indexSizeFor(capacity: number): number {
  if (capacity <= SCAN_SLOTS) return 0;
  // The power of two at or above ceil(1.5 × capacity) (> 16 here, so the shift stays below 31).
  return 1 << (32 - Math.clz32(Math.ceil(capacity * 1.5) - 1));
}
