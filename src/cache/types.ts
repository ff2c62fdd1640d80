/**
 * The contract between the cache and the structure classes it holds (shared with src/structures).
 *
 * A structure class is constructed from a raw payload (plus an optional extra, such as its guild or
 * the client), has a string `id`, and may update itself in place from a partial payload. Two optional
 * statics let a class choose what goes into a remote store and check what comes back.
 */

/** Anything a Collection can hold: an object with a string id. */
export interface Identified {
  readonly id: string;
}

/** A structure that can apply a partial payload to itself (Eris's `update`). */
export interface Updatable<Raw> {
  /** Apply the fields present in `data` to this instance in place; absent fields keep their values. */
  update(data: Partial<Raw>, extra?: unknown): void;
}

/**
 * A structure that can give back the full payload it would be rebuilt from. Optional: with
 * `writeThrough: 'always'`, RemoteBackedCollection stores `toRaw()` after an update (so a partial
 * update payload never overwrites a full record); without it, the update payload is stored as given.
 */
export interface RawConvertible<Raw> {
  /** The full payload this instance would be rebuilt from. */
  toRaw(): Raw;
}

/**
 * A structure class: `new BaseClass(raw, extra)` builds an instance.
 *
 * - `toStored(raw)` returns what is written to a remote store instead of the raw payload
 *   (Member replaces its embedded `user` by `{ id }`, so the user lives once, under `user`).
 * - `isStored(value)` checks the shape of a value read back from a store before it is rebuilt;
 *   a value failing it is a counted miss.
 * - `fromStored(stored, extra)` turns a stored value back into a full payload before construction
 *   (Member: look its user up by id and embed it); it may be async, and null means "treat as a miss".
 */
export interface StructureClass<T extends Identified = Identified, Raw = never> {
  // `extra` is typed `never` so every class matches whatever its second parameter is (a guild, the
  // client…); the collection passes through what its caller gave it.
  new (data: Raw, extra: never): T;
  readonly name: string;
  /** What to write to a remote store instead of `raw` (see above). */
  toStored?(raw: Raw): unknown;
  /** Whether a value read back from a store has the stored shape; a failing value is a counted miss. */
  isStored?(value: unknown): boolean;
  /** Turn a stored value back into a full payload (may be async); null means "treat as a miss". */
  fromStored?(stored: unknown, extra?: unknown): Raw | null | Promise<Raw | null>;
}

/**
 * What `Collection.add` accepts besides an instance: the class's raw payload type, or (when the
 * collection was declared without one, e.g. `Collection<string, Member>`) any object with an id.
 */
export type PayloadOf<Raw> = [Raw] extends [never] ? Identified : Raw;

/** Called when a bounded collection drops an entry to stay within its limit or budget. */
export type EvictionListener<V, K extends string = string> = (value: V, key: K) => void;
