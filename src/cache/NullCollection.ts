import { Collection } from './Collection.js';
import type { Identified, StructureClass } from './types.js';

/**
 * A collection that stores nothing: `add` and `update` build and return the instance, `get` finds
 * nothing, size stays 0. Use it for caches a bot never reads (voice states, stage instances…).
 */
export class NullCollection<V extends Identified, Raw = never> extends Collection<string, V, Raw> {
  constructor(baseObject: StructureClass<V, Raw>) {
    super(baseObject, 0);
  }

  override get limit(): number {
    return 0;
  }

  /** A NullCollection cannot be given room; the limit stays 0. */
  override set limit(_value: number | undefined) {}

  override set(_key: string, _value: V): this {
    return this;
  }
}
