/**
 * Short strings (channel names and topics) kept end to end in one string per table, each addressed
 * by (start, length). A separate string costs a 16-byte header, padding to 8 bytes and an 8-byte
 * array slot; here a name costs its characters. Reading slices (a copy, or a slice object for
 * longer strings); writing appends, and the space of replaced strings is reclaimed by a rebuild the
 * owner runs when `wasteful` says so.
 *
 * Appends made between `beginBulk` and `seal` (a GUILD_CREATE's channels) are joined once, so
 * loading is linear; outside bulk mode each append joins at once (edits are rare).
 */
export class TextHeap {
  private text = '';
  private parts: string[] | null = null;
  private size = 0;
  private dead = 0;

  /** Characters stored (live and dead). */
  get length(): number {
    return this.size;
  }

  /** Whether more than half the characters (and a few hundred) belong to replaced strings. */
  get wasteful(): boolean {
    return this.dead > 256 && this.dead * 2 > this.size;
  }

  /** Collect appends until `seal` (one join instead of one per append). */
  beginBulk(): void {
    this.parts ??= [this.text];
  }

  /** Join the appends collected since `beginBulk`. */
  seal(): void {
    if (this.parts !== null) {
      this.text = this.parts.join('');
      this.parts = null;
    }
  }

  /** Store `value`; returns its start. */
  append(value: string): number {
    const start = this.size;
    if (value.length === 0) return start;
    this.size += value.length;
    if (this.parts !== null) {
      this.parts.push(value);
      // A bulk load that never ends (fewer channels than reserved) still joins now and then.
      if (this.parts.length > 4096) this.text = this.parts.splice(0).join('');
      if (this.parts.length === 0) this.parts.push(this.text);
    } else this.text = [this.text, value].join('');
    return start;
  }

  read(start: number, length: number): string {
    if (length === 0) return '';
    this.seal();
    return this.text.slice(start, start + length);
  }

  /** Whether the string at (start, length) is `value`, without building it. */
  equals(start: number, length: number, value: string): boolean {
    if (length !== value.length) return false;
    this.seal();
    return this.text.startsWith(value, start);
  }

  /** Note a string no longer used. */
  release(length: number): void {
    this.dead += length;
  }

  /** Start over with `text` (a rebuild by the owner, holding only live strings). */
  reset(text = ''): void {
    this.text = text;
    this.parts = null;
    this.size = text.length;
    this.dead = 0;
  }
}
