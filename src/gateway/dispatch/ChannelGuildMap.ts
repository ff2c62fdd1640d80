/**
 * The client's channel-to-guild map (`client.channelGuildMap`, Eris's API) without a Map entry and
 * a key string per channel: a Map to callers (`instanceof Map`, every Map method, insertion-order
 * iteration), stored in typed arrays.
 *
 * A snowflake key is packed into two int32 words (compactID.ts) and its value (a guild id) becomes
 * a small number into a table of the distinct values: a record is three words, kept in insertion
 * order, and an open-addressing index (record + 1 per bucket) finds it. About 22 bytes per channel
 * instead of ~40 for a Map entry, and no id string kept alive for the key (channel stores build
 * their id strings on read). Keys that are not snowflakes, and values that are not strings, go to
 * an ordinary Map, iterated after the packed entries (so a key whose value changes between a string
 * and something else changes place in the iteration order; a Map would keep its place).
 *
 * Deleting marks the record dead; a set that finds the records full drops dead records first
 * (renumbering the live ones, in order, and the values they use), then grows by half.
 *
 * It is an index derived from the guilds' channel stores, so a GUILD_CREATE does not write its
 * channels in at once: it `defer`s a fill that maps whatever the guild's stores hold when it runs,
 * and the fills run in the order they were deferred, either all at once when the map is first used
 * (any method, `size` included) or, once no fill has been deferred for `idleMs`, a few milliseconds'
 * worth at a time from timers (unref'd: they keep no process alive). A burst of GUILD_CREATEs on
 * connect then does not pay for the map (bench/guild-load), and a cluster of 25,000 guilds does not
 * pay for all of it in one stall at its first CHANNEL_CREATE either.
 */
import { inspect } from 'node:util';
import { hashPacked, ID_UNPACKED, packedLow, packHigh, unpackID } from '../../structures/compactID.js';
import { hashID } from '../../structures/idHash.js';

/** Quiet time after the last `defer` before deferred fills start running in the background. */
const IDLE_MS = 1000;
/** How long one background run of deferred fills may take before it yields to the event loop. */
const SLICE_MS = 4;

export interface ChannelGuildMapOptions {
  /** Quiet time (ms) after the last deferred fill before fills run in the background (default 1000). */
  idleMs?: number;
}

/** Words per record: key high, key low, value number (DEAD when deleted). */
const RECORD = 3;
const DEAD = -1;
const EMPTY = new Int32Array(0);

/** Channel (and thread) id to guild id, as a Map; see the top of this file for how it is stored. */
export class ChannelGuildMap extends Map<string, string> {
  /** Records in insertion order (RECORD words each); its length / RECORD is the capacity. */
  private records: Int32Array = EMPTY;
  /** Open-addressing index over the records: record + 1 per bucket, 0 empty. Power-of-two size. */
  private index: Int32Array = EMPTY;
  /** Records written (live and dead), and live ones. */
  private used = 0;
  private live = 0;
  /** Distinct values by number, and their open-addressing index (number + 1 per bucket). */
  private valueList: string[] = [];
  private valueIndex: Int32Array = EMPTY;
  /** Entries whose key or value does not pack. */
  private other: Map<string, string> | null = null;
  /** Bumped when records are renumbered, so live iterators find their place again. */
  private epoch = 0;
  /** Fills deferred by `defer`, by owner, in the order they are to run; null when there are none. */
  private deferred: Map<object, (map: ChannelGuildMap, owner: never) => void> | null = null;
  /** The timer that runs deferred fills in the background; null when none is armed. */
  private drainTimer: NodeJS.Timeout | null = null;
  private readonly idleMs: number;

  /** An empty map, or one holding `entries` (as `new Map(entries)`). */
  constructor(entries?: Iterable<readonly [string, string]> | null, options: ChannelGuildMapOptions = {}) {
    super();
    this.idleMs = options.idleMs ?? IDLE_MS;
    if (entries) for (const [key, value] of entries) this.set(key, value);
  }

  /**
   * @internal Run `fill(this, owner)` (which writes entries through `set`/`setPacked`) later
   * instead of now: at the map's first use, or in the background once deferring has stopped for
   * `idleMs`. `owner` names it for `cancel`; deferring again for the same owner replaces the fill
   * and keeps its place. A module-level `fill` keeps the cost at one Map entry per owner (no closure).
   */
  defer<T extends object>(owner: T, fill: (map: ChannelGuildMap, owner: T) => void): void {
    (this.deferred ??= new Map()).set(owner, fill as (map: ChannelGuildMap, owner: never) => void);
    // Pushed back by every defer: the background runs start once a GUILD_CREATE burst is over.
    if (this.drainTimer === null) this.drainTimer = setTimeout(this.drainSome, this.idleMs).unref();
    else this.drainTimer.refresh();
  }

  /** @internal Drop the fill deferred for `owner`; false when there was none (it ran, or never was). */
  cancel(owner: object): boolean {
    const deferred = this.deferred;
    if (deferred === null || !deferred.delete(owner)) return false;
    if (deferred.size === 0) {
      this.deferred = null;
      this.stopDrain();
    }
    return true;
  }

  /** Run every deferred fill now; every public method calls this first (directly or through `entries`). */
  private settle(): void {
    if (this.deferred === null) return;
    this.stopDrain();
    this.runDeferred(Number.POSITIVE_INFINITY);
  }

  /** A background run: the oldest deferred fills for up to SLICE_MS, then again from a timer if any are left. */
  private readonly drainSome = (): void => {
    this.drainTimer = null;
    try {
      if (this.runDeferred(performance.now() + SLICE_MS)) this.drainTimer = setTimeout(this.drainSome, 0).unref();
    } catch {
      // Not thrown from a timer (that would end the process): what is left stays deferred, and the
      // map's next use runs it, throwing to that caller.
    }
  };

  /** Run deferred fills, oldest first, until `deadline` (performance.now()); true when some are left. */
  private runDeferred(deadline: number): boolean {
    const deferred = this.deferred;
    if (deferred === null) return false;
    // Detached while fills run, so that their own writes (set/setPacked) do not run the rest.
    this.deferred = null;
    try {
      for (const [owner, fill] of deferred) {
        deferred.delete(owner);
        fill(this, owner as never);
        if (performance.now() >= deadline) break;
      }
    } finally {
      // Fills only write entries (they defer nothing), so what is left is all that is deferred.
      if (deferred.size > 0) this.deferred = deferred;
    }
    return deferred.size > 0;
  }

  private stopDrain(): void {
    if (this.drainTimer === null) return;
    clearTimeout(this.drainTimer);
    this.drainTimer = null;
  }

  /** Record of a live packed key (high from packHigh, low from packedLow), or -1. */
  private find(high: number, low: number): number {
    const index = this.index;
    if (index.length === 0) return -1;
    const mask = index.length - 1;
    const records = this.records;
    for (let b = hashPacked(high, low) & mask; ; b = (b + 1) & mask) {
      const entry = index[b]!;
      if (entry === 0) return -1;
      const at = (entry - 1) * RECORD;
      if (records[at] === high && records[at + 1] === low && records[at + 2] !== DEAD) return entry - 1;
    }
  }

  override get(key: string): string | undefined {
    this.settle();
    const high = typeof key === 'string' ? packHigh(key) : ID_UNPACKED;
    if (high === ID_UNPACKED) return this.other?.get(key);
    const record = this.find(high, packedLow());
    // A snowflake key may sit with the others when its value is not a string.
    if (record < 0) return this.other === null ? undefined : this.other.get(key);
    return this.valueList[this.records[record * RECORD + 2]!];
  }

  override has(key: string): boolean {
    this.settle();
    const high = typeof key === 'string' ? packHigh(key) : ID_UNPACKED;
    if (high === ID_UNPACKED) return this.other?.has(key) ?? false;
    return this.find(high, packedLow()) >= 0 || this.other?.has(key) === true;
  }

  override set(key: string, value: string): this {
    this.settle();
    const high = typeof key === 'string' ? packHigh(key) : ID_UNPACKED;
    if (high === ID_UNPACKED || typeof value !== 'string') {
      // A snowflake key with an odd value: it leaves the packed records (a key lives in one place).
      if (high !== ID_UNPACKED) this.deletePacked(high, packedLow());
      (this.other ??= new Map()).set(key, value);
      return this;
    }
    this.setPacked(high, packedLow(), value);
    return this;
  }

  /**
   * @internal `set` for a key already packed (compactID.ts: `high` is not ID_UNPACKED): a guild's
   * channel table hands its id words over on GUILD_CREATE without building and re-parsing each id
   * string.
   */
  setPacked(high: number, low: number, value: string): void {
    this.settle();
    // A key lives in one place: one kept with the others (an odd value set before) leaves them.
    if (this.other !== null && this.other.size > 0) this.other.delete(unpackID(high, low));
    const record = this.find(high, low);
    if (record >= 0) {
      this.records[record * RECORD + 2] = this.valueNumber(value);
      return;
    }
    if (this.used * RECORD === this.records.length) this.makeRoom();
    const at = this.used * RECORD;
    // After makeRoom: its compaction may renumber the values.
    const number = this.valueNumber(value);
    this.records[at] = high;
    this.records[at + 1] = low;
    this.records[at + 2] = number;
    // The index holds every record written (dead ones too, until a compaction): load ≤ 0.7.
    if ((this.used + 1) * 10 > this.index.length * 7) this.rebuildIndex(this.used + 1);
    this.indexRecord(this.used);
    this.used++;
    this.live++;
  }

  override delete(key: string): boolean {
    this.settle();
    const high = typeof key === 'string' ? packHigh(key) : ID_UNPACKED;
    if (high === ID_UNPACKED) return this.other?.delete(key) ?? false;
    return this.deletePacked(high, packedLow()) || this.other?.delete(key) === true;
  }

  private deletePacked(high: number, low: number): boolean {
    const record = this.find(high, low);
    if (record < 0) return false;
    // The record stays in the index as a tombstone (probes go past it) until the next compaction.
    this.records[record * RECORD + 2] = DEAD;
    this.live--;
    return true;
  }

  override clear(): void {
    this.deferred = null;
    this.stopDrain();
    this.records = EMPTY;
    this.index = EMPTY;
    this.used = 0;
    this.live = 0;
    this.valueList = [];
    this.valueIndex = EMPTY;
    this.other = null;
    this.epoch++;
  }

  override get size(): number {
    this.settle();
    return this.live + (this.other?.size ?? 0);
  }

  override keys(): MapIterator<string> {
    this.settle();
    return this.walk((record) => this.keyAt(record), 0) as MapIterator<string>;
  }

  override values(): MapIterator<string> {
    this.settle();
    return this.walk((record) => this.valueAt(record), 1) as MapIterator<string>;
  }

  override entries(): MapIterator<[string, string]> {
    this.settle();
    return this.walk((record): [string, string] => [this.keyAt(record), this.valueAt(record)], 2) as MapIterator<
      [string, string]
    >;
  }

  /** `[channel id, guild id]` pairs in insertion order (as `entries()`). */
  override [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }

  override forEach(callback: (value: string, key: string, map: Map<string, string>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  /** console.log shows the entries (the Map itself is empty). */
  [inspect.custom](): Map<string, string> {
    return new Map(this.entries());
  }

  private keyAt(record: number): string {
    return unpackID(this.records[record * RECORD]!, this.records[record * RECORD + 1]!);
  }

  private valueAt(record: number): string {
    return this.valueList[this.records[record * RECORD + 2]!] as string;
  }

  /**
   * Live records in order, mapped, then the other entries (kind 0 keys, 1 values, 2 entries). As
   * with a Map, entries added while iterating are visited and deleted ones are not; when a
   * compaction renumbers the records meanwhile, the walk resumes after the last key it gave.
   */
  private *walk<T>(map: (record: number) => T, kind: 0 | 1 | 2): Generator<T, undefined, unknown> {
    let epoch = this.epoch;
    let high = 0;
    let low = 0;
    let given = 0;
    for (let record = 0; record < this.used; record++) {
      const at = record * RECORD;
      if (this.records[at + 2] === DEAD) continue;
      high = this.records[at]!;
      low = this.records[at + 1]!;
      given++;
      yield map(record);
      if (epoch !== this.epoch) {
        epoch = this.epoch;
        const found = this.find(high, low);
        // The last key given was deleted too: the live records are still in order, so skip as many.
        record = found >= 0 ? found : Math.min(given, this.used) - 1;
      }
    }
    if (this.other === null) return undefined;
    for (const entry of this.other) yield (kind === 0 ? entry[0] : kind === 1 ? entry[1] : entry) as T;
    return undefined;
  }

  /** The number of a value, added when new. */
  private valueNumber(value: string): number {
    if (this.valueIndex.length <= this.valueList.length * 2) this.rebuildValueIndex(this.valueList.length + 1);
    const index = this.valueIndex;
    const mask = index.length - 1;
    let b = hashID(value) & mask;
    for (; ; b = (b + 1) & mask) {
      const entry = index[b]!;
      if (entry === 0) break;
      if (this.valueList[entry - 1] === value) return entry - 1;
    }
    const number = this.valueList.length;
    this.valueList.push(value);
    index[b] = number + 1;
    return number;
  }

  /** A value index for `count` values (load ≤ 1/2). */
  private rebuildValueIndex(count: number): void {
    let size = 8;
    while (size < count * 2 + 2) size *= 2;
    const index = new Int32Array(size);
    const mask = size - 1;
    for (let number = 0; number < this.valueList.length; number++) {
      let b = hashID(this.valueList[number] as string) & mask;
      while (index[b] !== 0) b = (b + 1) & mask;
      index[b] = number + 1;
    }
    this.valueIndex = index;
  }

  private indexRecord(record: number): void {
    const index = this.index;
    const mask = index.length - 1;
    const at = record * RECORD;
    let b = hashPacked(this.records[at]!, this.records[at + 1]!) & mask;
    while (index[b] !== 0) b = (b + 1) & mask;
    index[b] = record + 1;
  }

  /** Drop dead records if there are any (when they are a quarter or more), else grow by half. */
  private makeRoom(): void {
    const capacity = this.records.length / RECORD;
    if (this.live * 4 <= capacity * 3 && this.live < this.used) this.compact(capacity);
    else this.resize(Math.max(8, Math.ceil(capacity * 1.5)));
  }

  /** Records of `capacity` (the index is sized apart: by the records written, not the capacity). */
  private resize(capacity: number): void {
    const records = new Int32Array(capacity * RECORD);
    records.set(this.records.subarray(0, this.used * RECORD));
    this.records = records;
  }

  /** An index for `count` records at load ≤ 1/2 (so it is rebuilt only after as many again). */
  private rebuildIndex(count: number): void {
    let size = 8;
    while (size < count * 2) size *= 2;
    this.index = new Int32Array(size);
    for (let record = 0; record < this.used; record++) this.indexRecord(record);
  }

  /** Live records renumbered in order, values renumbered to the ones they use, indexes rebuilt. */
  private compact(capacity: number): void {
    const records = this.records;
    const values = this.valueList;
    const renumber = new Int32Array(values.length).fill(-1);
    const kept: string[] = [];
    let next = 0;
    for (let record = 0; record < this.used; record++) {
      const from = record * RECORD;
      const number = records[from + 2]!;
      if (number === DEAD) continue;
      if (renumber[number] === -1) {
        renumber[number] = kept.length;
        kept.push(values[number] as string);
      }
      const to = next * RECORD;
      records[to] = records[from]!;
      records[to + 1] = records[from + 1]!;
      records[to + 2] = renumber[number]!;
      next++;
    }
    records.fill(0, next * RECORD);
    this.used = next;
    this.valueList = kept;
    this.rebuildValueIndex(kept.length);
    this.epoch++;
    this.resize(capacity);
    this.rebuildIndex(next);
  }
}
