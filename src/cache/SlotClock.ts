import type { CacheBudget } from './CacheBudget.js';

/** A store whose entries live in numbered slots (a guild's `MemberStore`) and count against a budget. */
export interface SlotOwner {
  /**
   * Drop the entry in `slot` because the budget chose it for eviction. The owner releases the
   * entry's frame (`SlotClock.release`) as for any removal.
   */
  evictSlot(slot: number): void;
}

/**
 * The part of a `CacheBudget` that counts entries kept in slots of column stores rather than as
 * objects: a CLOCK (second-chance) ring of frames, each naming an owner store and the entry's slot
 * there. A store keeps the frame number of each of its entries (one int32 in its columns) and
 * calls `touch` on a read, `release` on a removal and `move` when it moves an entry to another
 * slot.
 *
 * Per entry: one owner pointer, one int32 slot and one mark byte (about 13 bytes), in arrays that
 * grow with use up to the budget. A Map entry keyed by a Member object cannot serve here: a column
 * store builds a new Member on every read. Freed frames form a list through the slot array, so
 * reuse needs no array of its own. An eviction takes the frame under the hand unless marked (then
 * it is unmarked and passed, its second chance); the entry claimed next takes the freed frame just
 * behind the hand, so it is the last one the hand reaches again, as the back of a queue. Every
 * operation is amortized O(1).
 */
export class SlotClock {
  /** The budget this ring counts towards (its `size` and `evictions` include the ring's). */
  readonly budget: CacheBudget;
  /** Frames holding an entry. */
  live = 0;
  private owners: (SlotOwner | undefined)[] = [];
  /** Per frame: the owner's slot, or for a free frame the next free frame (-1 ends the list). */
  private slots: Int32Array = new Int32Array(0);
  /** Per frame: read or written since the hand last passed it. */
  private marks: Uint8Array = new Uint8Array(0);
  /** Frames handed out so far (free or not). */
  private used = 0;
  private freeHead = -1;
  private hand = 0;
  /** The frame the last eviction of the current claim freed, or -1. */
  private evicted = -1;

  constructor(budget: CacheBudget) {
    this.budget = budget;
  }

  /**
   * Count a new entry in `slot` of `owner`, evicting others first if the budget is full (possibly
   * from `owner` itself, never this entry: it is not in the ring yet). Returns the entry's frame.
   */
  claim(owner: SlotOwner, slot: number): number {
    this.evicted = -1;
    this.budget.makeRoom();
    let frame = this.freeHead;
    // A frame a removal freed may lie just ahead of the hand: marked, the new entry is not the next
    // one evicted. The frame of the eviction just made lies behind the hand, and a new frame at the
    // ring's end (the ring fills before its hand moves) is reached after the older ones: no mark.
    let mark = 0;
    if (frame >= 0) {
      this.freeHead = this.slots[frame] as number;
      if (frame !== this.evicted) mark = 1;
    } else {
      frame = this.used++;
      if (frame >= this.slots.length) this.grow();
    }
    this.owners[frame] = owner;
    this.slots[frame] = slot;
    this.marks[frame] = mark;
    this.live++;
    return frame;
  }

  /** Mark an entry as just used. */
  touch(frame: number): void {
    this.marks[frame] = 1;
  }

  /** The entry moved to another slot of its owner. */
  move(frame: number, slot: number): void {
    this.slots[frame] = slot;
  }

  /** Stop counting an entry (its owner removed it). */
  release(frame: number): void {
    if (this.owners[frame] === undefined) return;
    this.owners[frame] = undefined;
    this.marks[frame] = 0;
    this.slots[frame] = this.freeHead;
    this.freeHead = frame;
    this.live--;
  }

  /**
   * Evict the entry under the hand that was not used since the hand last passed (marked ones are
   * unmarked and passed). Returns false when the ring holds nothing.
   */
  evictOne(): boolean {
    if (this.live === 0) return false;
    const owners = this.owners;
    const marks = this.marks;
    // Ends within two turns: the first unmarks every frame it passes.
    for (;;) {
      if (this.hand >= this.used) this.hand = 0;
      const frame = this.hand++;
      const owner = owners[frame];
      if (owner === undefined) continue;
      if (marks[frame] !== 0) {
        marks[frame] = 0;
        continue;
      }
      owner.evictSlot(this.slots[frame] as number);
      // An owner that did not give the frame back still loses the entry's count.
      if (owners[frame] === owner) this.release(frame);
      this.evicted = frame;
      return true;
    }
  }

  /** Room for more frames: doubled, at most the budget's size. */
  private grow(): void {
    const size = Math.min(Math.max(this.budget.maxEntries, this.used), Math.max(64, this.slots.length * 2));
    const slots = new Int32Array(size);
    slots.set(this.slots);
    this.slots = slots;
    const marks = new Uint8Array(size);
    marks.set(this.marks);
    this.marks = marks;
    // Sized with the typed arrays: assigning past its end would grow it by V8's 1.5× + 16.
    const owners = new Array<SlotOwner | undefined>(size);
    for (let frame = 0; frame < this.used - 1; frame++) owners[frame] = this.owners[frame];
    this.owners = owners;
  }
}
