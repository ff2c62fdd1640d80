/**
 * MaplessCollection: a Collection subclass that keeps its entries itself (here in two arrays)
 * is still a Collection and a Map to `instanceof`, gets every helper, and carries no Map table.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Collection, MaplessCollection } from '../../src/cache/Collection.js';
import { InvalidOptionError } from '../../src/util/errors.js';

class Thing {
  id: string;
  name: string;
  constructor(data: { id: string; name: string }) {
    this.id = data.id;
    this.name = data.name;
  }
}

/** The smallest honest subclass: keys and values in two arrays. */
class ArrayCollection extends MaplessCollection<string, Thing, { id: string; name: string }> {
  private ids: string[] = [];
  private things: Thing[] = [];

  override get(key: string): Thing | undefined {
    const at = this.ids.indexOf(key);
    return at < 0 ? undefined : this.things[at];
  }

  override set(key: string, value: Thing): this {
    const at = this.ids.indexOf(key);
    if (at >= 0) this.things[at] = value;
    else {
      this.ids.push(key);
      this.things.push(value);
    }
    return this;
  }

  override add(obj: Thing | { id: string; name: string }): Thing {
    const existing = this.get(obj.id);
    if (existing) return existing;
    const value = obj instanceof Thing ? obj : new Thing(obj);
    this.set(value.id, value);
    return value;
  }

  override get size(): number {
    return this.ids.length;
  }

  override *entries(): MapIterator<[string, Thing]> {
    for (let i = 0; i < this.ids.length; i++) yield [this.ids[i] as string, this.things[i] as Thing];
  }

  override *values(): MapIterator<Thing> {
    yield* this.things;
  }
}

test('a MaplessCollection subclass is a Collection and a Map, with every helper, and no Map storage', () => {
  const c = new ArrayCollection(Thing);
  assert.ok(c instanceof Collection);
  assert.ok(c instanceof Map);
  for (let i = 1; i <= 4; i++) c.add({ id: String(i), name: `n${i}` });
  assert.equal(c.size, 4);
  assert.equal(c.find((t) => t.name === 'n3')?.id, '3');
  assert.deepEqual(
    c.filter((t) => Number(t.id) % 2 === 0).map((t) => t.id),
    ['2', '4']
  );
  assert.equal(
    c.reduce((sum, t) => sum + Number(t.id), 0),
    10
  );
  assert.deepEqual(Object.keys(c.toJSON()), ['1', '2', '3', '4']);
  assert.equal(String(c), '[Collection<Thing>]');
  assert.equal(c.limit, Number.POSITIVE_INFINITY);
  assert.equal(c.evictions, 0);
  // It does not evict: a finite limit is a typed error, and a budget has nothing to drop from it.
  c.limit = undefined;
  assert.throws(() => {
    c.limit = 2;
  }, InvalidOptionError);
  assert.equal(c.limit, Number.POSITIVE_INFINITY);
  c.evictFromBudget(c.get('1') as Thing);
  assert.equal(c.size, 4);
  // Not constructed by Map: Map's own methods refuse it (so the subclass must serve them all).
  assert.throws(() => Map.prototype.get.call(c, '1'), TypeError);
  assert.throws(() => new MaplessCollection('nope' as never), InvalidOptionError);
});

test('a MaplessCollection carries no Map hash table', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = () => {
    for (let i = 0; i < 3; i++) gc();
    return process.memoryUsage().heapUsed;
  };
  const COUNT = 10_000;
  const held: unknown[][] = [];
  const perInstance = (make: () => unknown) => {
    const trials: number[] = [];
    for (let trial = 0; trial < 3; trial++) {
      const before = heap();
      held.push(Array.from({ length: COUNT }, make));
      trials.push((heap() - before) / COUNT);
    }
    held.length = 0;
    return trials.sort((a, b) => a - b)[1] as number;
  };
  const perMapBacked = perInstance(() => new Collection(Thing));
  const perMapless = perInstance(() => new ArrayCollection(Thing));
  assert.ok(perMapless + 60 < perMapBacked, `mapless ${perMapless} B, Map-backed ${perMapBacked} B`);
});
