/**
 * The iterator RoleStore's (and EmojiStore's) keys(), values() and entries() return: a plain
 * object stepping over the rows, which V8 inlines into a for-of loop (a generator costs ~15 ns a
 * step more). Like a Map's iterator it sees entries added while it runs, skips none when entries
 * are deleted, and once done stays done. It inherits %IteratorPrototype%, so iterator helpers work
 * where Node has them.
 */

/** What the iterator reads from its store. */
export interface IterableRows {
  readonly size: number;
  idAt(row: number): string;
  /** The row to visit after `row` (whose id was `id`), allowing for rows deleted meanwhile. */
  rowAfter(row: number, id: string): number;
  /** The value of `row` (a Role reading and writing it, an Emoji…). */
  viewAt(row: number): unknown;
}

export const KEYS = 0;
export const VALUES = 1;
export const ENTRIES = 2;
type Kind = typeof KEYS | typeof VALUES | typeof ENTRIES;

export class RowIterator<T> implements MapIterator<T> {
  private readonly rows: IterableRows;
  private readonly kind: Kind;
  private row: number;
  /** The id last returned (undefined before the first step). */
  private last: string | undefined;

  constructor(rows: IterableRows, kind: Kind) {
    this.rows = rows;
    this.kind = kind;
    this.row = 0;
    this.last = undefined;
  }

  next(): IteratorResult<T, undefined> {
    const rows = this.rows;
    let row = this.row;
    if (this.last !== undefined) row = rows.rowAfter(row, this.last);
    if (row >= rows.size) {
      this.row = Number.POSITIVE_INFINITY;
      this.last = undefined;
      return { done: true, value: undefined };
    }
    const id = rows.idAt(row);
    this.row = row;
    this.last = id;
    const kind = this.kind;
    const value = kind === KEYS ? id : kind === VALUES ? rows.viewAt(row) : [id, rows.viewAt(row)];
    return { done: false, value: value as T };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

Object.setPrototypeOf(RowIterator.prototype, Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
