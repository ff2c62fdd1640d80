/**
 * A compact store for channel permission overwrites.
 *
 * Eris keeps a Collection of PermissionOverwrite objects per channel (a Map, its entries and one
 * object per overwrite, ~200 B each). Here all the overwrites of a guild's channels sit in one
 * `OverwritePool`: an Int32Array of two words per overwrite (target and type, bitfield pair) plus
 * the guild's distinct (allow, deny) pairs, and a table of the distinct target ids. A channel keeps
 * only a run number (where its entries start, how many): no array, no object per channel or per
 * overwrite. Runs are appended; a channel whose overwrites change gets a new run, and the space of
 * dead runs is reclaimed by compacting the pool when it would otherwise have to grow.
 *
 * `PackedOverwrites` is a read handle on one run (pool, start, count), made on read; the functions
 * below decode entries from it, and `applyOverwriteBits` does the permission math on the raw words
 * without building an object or a bigint per overwrite.
 */
import type { APIOverwrite } from 'discord-api-types/v10';
import { parseBits } from './bits.js';

/** The kinds of permission overwrite, by name. */
export const OverwriteType = { Role: 0, Member: 1 } as const;
/** A permission overwrite type: role or member. */
export type OverwriteTypeValue = (typeof OverwriteType)[keyof typeof OverwriteType];

/** One overwrite, decoded. */
export interface OverwriteValue {
  id: string;
  type: OverwriteTypeValue;
  allow: bigint;
  deny: bigint;
}

/** What a pool asks of its owner: id interning, and where the live runs are when it compacts. */
export interface OverwriteRunOwner {
  /** The owner's shared instance of an overwrite target id (a role's id string, a cached user's…). */
  internOverwriteID(id: string): string;
  /** Replace every live run the owner holds by `move(run)` (called while the pool compacts). */
  relocateOverwriteRuns(move: (run: number) => number): void;
}

/** Words per entry: [target index * 2 + type, bitfield pair index]. */
const STRIDE = 2;
/** Words per bitfield pair: [allow low, allow high, deny low, deny high]. */
const PAIR = 4;
/** A run number is `start * RUN_SCALE + count`: a small integer for any realistic guild. */
const RUN_SCALE = 65536;
/** Most overwrites one run holds (Discord allows far fewer per channel). */
export const MAX_RUN_LENGTH = RUN_SCALE - 1;
/** The run of a channel without overwrites. */
export const EMPTY_RUN = 0;
/** Past this many distinct targets (or pairs) a Map indexes them (below it a scan is smaller and as fast). */
const SCAN_LIMIT = 32;
const LOW = 0xffffffffn;
const NO_WORDS = new Int32Array(0);

const runStart = (run: number) => Math.floor(run / RUN_SCALE);
const runCount = (run: number) => run % RUN_SCALE;

/**
 * All the overwrites of one owner (a guild's channels), entries addressed by run numbers.
 *
 * One Int32Array holds two regions: entries (two words: target and type, bitfield pair) from the
 * front, and the distinct (allow, deny) pairs (four words) from the back, numbered from the end so
 * growing the buffer keeps their numbers. A guild repeats a few pairs ("deny VIEW_CHANNEL",
 * "allow VIEW_CHANNEL"…) across its channels, so an overwrite costs about 8 bytes.
 */
export class OverwritePool {
  /**
   * The buffer, and the pool's region of it: [base, end). A pool fitted after a GUILD_CREATE lives
   * at the end of its guild's channel-table array (see `moveTo`): one typed array object per guild.
   */
  private words: Int32Array = NO_WORDS;
  private base = 0;
  private end = 0;
  /** Entries written (live or dead). */
  private used = 0;
  /** Pairs written. */
  private pairs = 0;
  /** Target ids by index; entries hold the index. */
  private targets: string[] = [];
  /** What only pools with churn or many targets need (see PoolAux), made then: four fields less per guild. */
  private aux: PoolAux | null = null;

  constructor(private readonly owner: OverwriteRunOwner | null = null) {}

  private get pairIndex(): Map<string, number> | null {
    return this.aux === null ? null : this.aux.pairIndex;
  }

  private set pairIndex(value: Map<string, number> | null) {
    if (value !== null || this.aux !== null) this.auxOf().pairIndex = value;
  }

  private get targetIndex(): Map<string, number> | null {
    return this.aux === null ? null : this.aux.targetIndex;
  }

  private set targetIndex(value: Map<string, number> | null) {
    if (value !== null || this.aux !== null) this.auxOf().targetIndex = value;
  }

  private get released(): number {
    return this.aux === null ? 0 : this.aux.released;
  }

  private set released(value: number) {
    if (value !== 0 || this.aux !== null) this.auxOf().released = value;
  }

  private get liveAtCompaction(): number {
    return this.aux === null ? 0 : this.aux.liveAtCompaction;
  }

  private set liveAtCompaction(value: number) {
    if (value !== 0 || this.aux !== null) this.auxOf().liveAtCompaction = value;
  }

  private auxOf(): PoolAux {
    return (this.aux ??= { pairIndex: null, targetIndex: null, released: 0, liveAtCompaction: 0 });
  }

  /** Entries written (live or dead), distinct bitfield pairs, the buffer's words, distinct targets. */
  get stats(): { used: number; pairs: number; words: number; targets: number } {
    return { used: this.used, pairs: this.pairs, words: this.end - this.base, targets: this.targets.length };
  }

  /**
   * Room for `entries` more entries (and as many new pairs) in one allocation, e.g. a GUILD_CREATE's
   * overwrites; `fit` (or `moveTo`) afterwards drops what the pairs repeated left unused.
   */
  reserve(entries: number): void {
    this.ensure(entries, true);
  }

  /**
   * Store raw overwrites as a new run and return its run number (EMPTY_RUN when there are none).
   * Entries without a usable id are skipped; malformed bitfields read as 0; a later entry with the
   * same id replaces an earlier one. When `share` is a live run with exactly the same entries, it
   * is returned instead and nothing is added (channels synced with their category share its run).
   */
  add(raw: readonly Partial<APIOverwrite>[] | undefined | null, shareRun: number = EMPTY_RUN): number {
    if (!Array.isArray(raw) || raw.length === 0) return EMPTY_RUN;
    let share = shareRun;
    const needed = Math.min(raw.length, MAX_RUN_LENGTH);
    // Compaction may move the run to share: follow it.
    const moved = this.ensure(needed, false);
    if (moved !== null && share !== EMPTY_RUN) share = moved.get(share) ?? EMPTY_RUN;
    const start = this.used;
    let count = 0;
    for (const entry of raw) {
      if (entry === null || typeof entry !== 'object' || typeof entry.id !== 'string') continue;
      const target = this.targetOf(entry.id);
      let at = start;
      while (at < start + count && this.words[this.base + at * STRIDE]! >>> 1 !== target) at++;
      if (at === start + count) {
        if (count === MAX_RUN_LENGTH) continue;
        count++;
      }
      bitfieldWords(entry.allow);
      const allowLow = wordLow;
      const allowHigh = wordHigh;
      bitfieldWords(entry.deny);
      // pairOf first: it may add a pair (a write at the region's end), never move the region.
      const pair = this.pairOf(allowLow, allowHigh, wordLow, wordHigh);
      this.words[this.base + at * STRIDE] = target * 2 + (entry.type === OverwriteType.Member ? 1 : 0);
      this.words[this.base + at * STRIDE + 1] = pair;
    }
    const shared = share !== EMPTY_RUN && runCount(share) === count && this.sameEntries(runStart(share), start, count);
    if (!shared && count > 0) this.used = start + count;
    if (count === 0) return EMPTY_RUN;
    return shared ? share : start * RUN_SCALE + count;
  }

  /** Note that a run is no longer used by its holder (its space is reclaimed at the next compaction). */
  release(run: number): void {
    this.released += runCount(run);
  }

  /** A read handle on a run. */
  view(run: number): PackedOverwrites {
    return run === EMPTY_RUN ? NO_OVERWRITES : new OverwriteRun(this, runStart(run), runCount(run));
  }

  /** A copy of a run in a pool of its own (for a channel leaving its owner, whose runs may move). */
  detach(run: number): PackedOverwrites {
    if (run === EMPTY_RUN) return NO_OVERWRITES;
    const pool = new OverwritePool();
    pool.ensure(runCount(run), true);
    pool.copyRun(this, runStart(run), runCount(run));
    return pool.view(runCount(run));
  }

  /** The id of entry `index`. */
  idAt(index: number): string {
    return this.targets[this.words[this.base + index * STRIDE]! >>> 1] as string;
  }

  /** The type of entry `index`. */
  typeAt(index: number): OverwriteTypeValue {
    return (this.words[this.base + index * STRIDE]! & 1) === 1 ? OverwriteType.Member : OverwriteType.Role;
  }

  /** The allow bits of entry `index`. */
  allowAt(index: number): bigint {
    const p = this.pairWord(index);
    return bitsOf(this.words[p]!, this.words[p + 1]!);
  }

  /** The deny bits of entry `index`. */
  denyAt(index: number): bigint {
    const p = this.pairWord(index);
    return bitsOf(this.words[p + 2]!, this.words[p + 3]!);
  }

  /** Index of the entry for `id` in [start, start + count), or -1. Linear: runs are short. */
  find(start: number, count: number, id: string): number {
    const words = this.words;
    const targets = this.targets;
    const base = this.base;
    for (let i = start; i < start + count; i++) if (targets[words[base + i * STRIDE]! >>> 1] === id) return i;
    return -1;
  }

  /**
   * Apply the entry for `id` in the run to `bits` (deny, then allow), on the 32-bit halves in
   * `halves` ([low, high]). Returns whether such an entry exists.
   */
  applyTo(halves: Int32Array, start: number, count: number, id: string): boolean {
    const at = this.find(start, count, id);
    if (at < 0) return false;
    const p = this.pairWord(at);
    halves[0] = (halves[0]! & ~this.words[p + 2]!) | this.words[p]!;
    halves[1] = (halves[1]! & ~this.words[p + 3]!) | this.words[p + 1]!;
    return true;
  }

  /** OR the allow and deny words of the entry for `id` into `acc` ([allowLo, allowHi, denyLo, denyHi]). */
  collect(acc: Int32Array, start: number, count: number, id: string): void {
    const at = this.find(start, count, id);
    if (at < 0) return;
    const p = this.pairWord(at);
    acc[0] = acc[0]! | this.words[p]!;
    acc[1] = acc[1]! | this.words[p + 1]!;
    acc[2] = acc[2]! | this.words[p + 2]!;
    acc[3] = acc[3]! | this.words[p + 3]!;
  }

  /** First word of the bitfield pair of entry `index` (pairs are numbered from the region's end). */
  private pairWord(index: number): number {
    return this.end - (this.words[this.base + index * STRIDE + 1]! + 1) * PAIR;
  }

  /** The number of a bitfield pair, added when new (the caller made room for one). */
  private pairOf(allowLow: number, allowHigh: number, denyLow: number, denyHigh: number): number {
    const words = this.words;
    const end = this.end;
    if (this.pairIndex === null) {
      for (let p = 0; p < this.pairs; p++) {
        const w = end - (p + 1) * PAIR;
        if (
          words[w] === allowLow &&
          words[w + 1] === allowHigh &&
          words[w + 2] === denyLow &&
          words[w + 3] === denyHigh
        ) {
          return p;
        }
      }
    } else {
      const known = this.pairIndex.get(`${allowLow},${allowHigh},${denyLow},${denyHigh}`);
      if (known !== undefined) return known;
    }
    const p = this.pairs++;
    const w = end - (p + 1) * PAIR;
    words[w] = allowLow;
    words[w + 1] = allowHigh;
    words[w + 2] = denyLow;
    words[w + 3] = denyHigh;
    if (this.pairIndex !== null) this.pairIndex.set(`${allowLow},${allowHigh},${denyLow},${denyHigh}`, p);
    else if (this.pairs > SCAN_LIMIT) this.indexPairs();
    return p;
  }

  private indexPairs(): void {
    const index = new Map<string, number>();
    const end = this.end;
    for (let p = 0; p < this.pairs; p++) {
      const w = end - (p + 1) * PAIR;
      index.set(`${this.words[w]},${this.words[w + 1]},${this.words[w + 2]},${this.words[w + 3]}`, p);
    }
    this.pairIndex = index;
  }

  private sameEntries(a: number, b: number, count: number): boolean {
    const words = this.words;
    const base = this.base;
    for (let i = 0; i < count * STRIDE; i++)
      if (words[base + a * STRIDE + i] !== words[base + b * STRIDE + i]) return false;
    return true;
  }

  /** Index of a target id in the table, added (interned through the owner) when new. */
  private targetOf(id: string): number {
    const targets = this.targets;
    if (this.targetIndex !== null) {
      const known = this.targetIndex.get(id);
      if (known !== undefined) return known;
    } else {
      for (let i = 0; i < targets.length; i++) if (targets[i] === id) return i;
    }
    const index = targets.length;
    const shared = this.owner === null ? id : this.owner.internOverwriteID(id);
    targets.push(shared);
    if (this.targetIndex !== null) this.targetIndex.set(shared, index);
    else if (targets.length > SCAN_LIMIT) this.targetIndex = new Map(targets.map((t, i) => [t, i]));
    return index;
  }

  /** Free words between the entries and the pairs. */
  private get free(): number {
    return this.end - this.base - this.used * STRIDE - this.pairs * PAIR;
  }

  /**
   * Room for `entries` more entries and as many new pairs. Dead runs are dropped first when the
   * buffer is short and there may be any (compaction through the owner, who rewrites its run
   * numbers; returned: old run to new run); the buffer grows only when that is not enough, by half
   * again (exactly when `exact`, as for a reservation).
   */
  private ensure(entries: number, exact: boolean): Map<number, number> | null {
    const need = entries * (STRIDE + PAIR);
    if (need <= this.free) return null;
    // Compact when runs were released, or when entries were added twice over since the last
    // compaction (runs of channels a bounded or null collection never kept are never released).
    const stale = this.released > 0 || (this.used > 0 && this.used >= 2 * this.liveAtCompaction);
    const moved = stale && this.owner !== null ? this.compact() : null;
    if (need <= this.free) return moved;
    const size = this.end - this.base;
    const taken = size - this.free;
    this.resize(exact ? taken + need : Math.max(taken + need, Math.ceil(size * 1.5), 24));
    return moved;
  }

  /** Words the entries and pairs take (the buffer's size after `fit`). */
  get usedWords(): number {
    return this.used * STRIDE + this.pairs * PAIR;
  }

  /**
   * Move the entries and pairs into `words` from `base` on, exactly `usedWords` words (the tail of
   * the guild's channel-table array: one typed array and one ArrayBuffer per guild instead of two
   * of each). Growing later gives the pool a buffer of its own again.
   */
  moveTo(words: Int32Array, base = 0): void {
    const end = base + this.usedWords;
    if (base < 0 || end > words.length) throw new RangeError('OverwritePool.moveTo: region out of bounds');
    words.set(this.words.subarray(this.base, this.base + this.used * STRIDE), base);
    words.set(this.words.subarray(this.end - this.pairs * PAIR, this.end), end - this.pairs * PAIR);
    this.words = words;
    this.base = base;
    this.end = end;
    this.targets = this.targets.slice();
  }

  /** Shrink the buffer to what is used (after a load reserved for the worst case). */
  fit(): void {
    if (this.free > 0) this.resize(this.end - this.base - this.free);
    // Filled by push, the table has room for half again and 16 more.
    this.targets = this.targets.slice();
  }

  /** A buffer of `size` words with the entries at the front and the pairs at the back, numbers kept. */
  private resize(size: number): void {
    const old = this.words;
    const next = new Int32Array(size);
    next.set(old.subarray(this.base, this.base + this.used * STRIDE));
    next.set(old.subarray(this.end - this.pairs * PAIR, this.end), size - this.pairs * PAIR);
    this.words = next;
    this.base = 0;
    this.end = size;
  }

  /** Rewrite the live runs (as the owner reports them) contiguously, shared runs once, with only the targets and pairs they use. */
  private compact(): Map<number, number> {
    const fresh = new OverwritePool();
    fresh.words = new Int32Array(this.end - this.base);
    fresh.end = fresh.words.length;
    const moved = new Map<number, number>();
    this.owner?.relocateOverwriteRuns((run) => {
      if (run === EMPTY_RUN) return EMPTY_RUN;
      let next = moved.get(run);
      if (next === undefined) {
        next = fresh.used * RUN_SCALE + runCount(run);
        fresh.copyRun(this, runStart(run), runCount(run));
        moved.set(run, next);
      }
      return next;
    });
    this.words = fresh.words;
    this.base = 0;
    this.end = fresh.end;
    this.used = fresh.used;
    this.pairs = fresh.pairs;
    this.pairIndex = fresh.pairIndex;
    this.targets = fresh.targets;
    this.targetIndex = fresh.targetIndex;
    this.released = 0;
    this.liveAtCompaction = this.used;
    return moved;
  }

  /** Append `count` entries of another pool (room made by the caller), re-indexing targets and pairs into this one. */
  private copyRun(from: OverwritePool, start: number, count: number): void {
    for (let i = 0; i < count; i++) {
      const at = start + i;
      const p = from.pairWord(at);
      const to = this.base + this.used * STRIDE;
      this.words[to] = this.targetOf(from.idAt(at)) * 2 + (from.words[from.base + at * STRIDE]! & 1);
      this.words[to + 1] = this.pairOf(from.words[p]!, from.words[p + 1]!, from.words[p + 2]!, from.words[p + 3]!);
      this.used++;
    }
  }
}

/** An OverwritePool's less used state. */
interface PoolAux {
  /** Pairs by their four words, past SCAN_LIMIT pairs. */
  pairIndex: Map<string, number> | null;
  /** Target index by id, past SCAN_LIMIT targets. */
  targetIndex: Map<string, number> | null;
  /** Entries of runs given up by `release` since the last compaction (an estimate: shared runs count each time). */
  released: number;
  /** Entries live after the last compaction: past twice as many, growing compacts first. */
  liveAtCompaction: number;
}

/** A read handle on a run of entries of a pool (made on read; hold it only briefly). */
class OverwriteRun implements PackedOverwrites {
  constructor(
    readonly pool: OverwritePool,
    readonly start: number,
    readonly count: number
  ) {}
}

/** A read handle on one channel's overwrites; treat as opaque and read it through the functions below. */
export interface PackedOverwrites {
  readonly pool: OverwritePool;
  /** First entry of the run in the pool. */
  readonly start: number;
  /** Number of overwrites. */
  readonly count: number;
}

/** Shared by every channel without overwrites. */
export const NO_OVERWRITES: PackedOverwrites = Object.freeze(new OverwriteRun(new OverwritePool(), 0, 0));

// The two words of the last bitfieldWords call (kept aside to avoid allocating a pair).
let wordLow = 0;
let wordHigh = 0;
const TWO_32 = 4294967296;

/**
 * A bitfield as two int32 words (in wordLow / wordHigh). Decimal strings of up to 15 digits (every
 * permission set Discord sends today) are read as a double, below 2^53 and so exact, without a
 * bigint; anything else goes through parseBits (its checks, and its count of malformed input).
 */
function bitfieldWords(value: unknown): void {
  if (typeof value === 'string' && value.length > 0 && value.length <= 15) {
    let digits = true;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c < 48 || c > 57) {
        digits = false;
        break;
      }
    }
    if (digits) {
      const n = Number(value);
      wordHigh = Math.floor(n / TWO_32) | 0;
      wordLow = (n - Math.floor(n / TWO_32) * TWO_32) | 0;
      return;
    }
  }
  const bits = parseBits(value);
  wordLow = Number(bits & LOW) | 0;
  wordHigh = Number(bits >> 32n) | 0;
}

function bitsOf(low: number, high: number): bigint {
  return high === 0 ? BigInt(low >>> 0) : (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}

/**
 * Pack raw overwrites into a pool of their own (a detached form, for tests and tools; guild channels
 * use their guild's pool). Entries without a usable id are skipped; malformed bitfields read as 0.
 * A later entry with the same id replaces an earlier one.
 */
export function packOverwrites(
  raw: readonly Partial<APIOverwrite>[] | undefined | null,
  internID: (id: string) => string = (id) => id
): PackedOverwrites {
  const pool = new OverwritePool({ internOverwriteID: internID, relocateOverwriteRuns: () => {} });
  return pool.view(pool.add(raw));
}

/** How many overwrites a handle holds. */
export function overwriteCount(packed: PackedOverwrites): number {
  return packed.count;
}

/** Position (0-based) of the overwrite for `id`, or -1. Linear: channels hold a handful of overwrites. */
export function findOverwrite(packed: PackedOverwrites, id: string): number {
  const at = packed.pool.find(packed.start, packed.count, id);
  return at < 0 ? -1 : at - packed.start;
}

/** The allow bits of the overwrite at `index` (see `findOverwrite`). */
export function allowAt(packed: PackedOverwrites, index: number): bigint {
  return packed.pool.allowAt(packed.start + index);
}

/** The deny bits of the overwrite at `index` (see `findOverwrite`). */
export function denyAt(packed: PackedOverwrites, index: number): bigint {
  return packed.pool.denyAt(packed.start + index);
}

/** The type (role or member) of the overwrite at `index` (see `findOverwrite`). */
export function typeAt(packed: PackedOverwrites, index: number): OverwriteTypeValue {
  return packed.pool.typeAt(packed.start + index);
}

/** Decoded overwrite at position `index` (0-based). */
export function overwriteAt(packed: PackedOverwrites, index: number): OverwriteValue {
  const at = packed.start + index;
  const pool = packed.pool;
  return { id: pool.idAt(at), type: pool.typeAt(at), allow: pool.allowAt(at), deny: pool.denyAt(at) };
}

/** All overwrites decoded, in payload order. */
export function unpackOverwrites(packed: PackedOverwrites): OverwriteValue[] {
  const out: OverwriteValue[] = [];
  for (let i = 0; i < packed.count; i++) out.push(overwriteAt(packed, i));
  return out;
}

/** The API form (bitfields as decimal strings). */
export function overwritesToAPI(packed: PackedOverwrites): APIOverwrite[] {
  return unpackOverwrites(packed).map((o) => ({
    id: o.id,
    type: o.type,
    allow: o.allow.toString(),
    deny: o.deny.toString()
  }));
}

/** Whether two handles hold the same overwrites in the same order. */
export function sameOverwrites(a: PackedOverwrites, b: PackedOverwrites): boolean {
  if (a.count !== b.count) return false;
  for (let i = 0; i < a.count; i++) {
    const x = overwriteAt(a, i);
    const y = overwriteAt(b, i);
    if (x.id !== y.id || x.type !== y.type || x.allow !== y.allow || x.deny !== y.deny) return false;
  }
  return true;
}

// Scratch words for applyOverwriteBits (the math is synchronous, so one set serves every call).
const halves = new Int32Array(2);
const roles = new Int32Array(4);

/**
 * §7.4 on the raw words: `@everyone` overwrite, then all role overwrites combined, then the member
 * overwrite, without decoding an entry. `base` must fit in 64 bits (every permission bitfield does).
 */
export function applyOverwriteBits(
  base: bigint,
  packed: PackedOverwrites,
  guildID: string,
  roleIDs: readonly string[],
  userID: string
): bigint {
  const { pool, start, count } = packed;
  if (count === 0) return base;
  halves[0] = Number(base & LOW) | 0;
  halves[1] = Number((base >> 32n) & LOW) | 0;
  pool.applyTo(halves, start, count, guildID);
  roles.fill(0);
  for (const roleID of roleIDs) pool.collect(roles, start, count, roleID);
  halves[0] = (halves[0]! & ~roles[2]!) | roles[0]!;
  halves[1] = (halves[1]! & ~roles[3]!) | roles[1]!;
  pool.applyTo(halves, start, count, userID);
  return bitsOf(halves[0]!, halves[1]!);
}
