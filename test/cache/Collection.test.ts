import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CacheBudget, Collection, MissingIDError, NullCollection } from '../../src/cache/index.js';
import { InvalidOptionError } from '../../src/util/errors.js';

interface RawThing {
  id: string;
  name: string;
}

class Thing {
  id: string;
  name: string;
  extra: unknown;
  constructor(data: RawThing, extra?: string) {
    this.id = data.id;
    this.name = data.name;
    this.extra = extra;
  }
  update(data: Partial<RawThing>): void {
    if (data.name !== undefined) this.name = data.name;
  }
}

class Frozen {
  id: string;
  constructor(data: { id: string }) {
    this.id = data.id;
  }
}

const raw = (id: number, name = `n${id}`): RawThing => ({ id: String(id), name });

describe('Collection (Eris shape)', () => {
  test('add builds instances, passes extra, returns existing unless replace', () => {
    const c = new Collection(Thing);
    const a = c.add(raw(1), 'ctx');
    assert.ok(a instanceof Thing);
    assert.equal(a.extra, 'ctx');
    assert.equal(c.add(raw(1, 'other')), a);
    const b = c.add(raw(1, 'other'), undefined, true);
    assert.notEqual(b, a);
    assert.equal(c.get('1')?.name, 'other');
    const instance = new Thing(raw(2));
    assert.equal(c.add(instance), instance);
    assert.equal(c.size, 2);
  });

  test('update calls update() on the existing entry, adds when absent, replaces when no update()', () => {
    const c = new Collection(Thing);
    const a = c.add(raw(1));
    assert.equal(c.update({ id: '1', name: 'renamed' }), a);
    assert.equal(a.name, 'renamed');
    const added = c.update(raw(5));
    assert.equal(c.get('5'), added);
    const f = new Collection(Frozen);
    const first = f.add({ id: '9' });
    const second = f.update({ id: '9' });
    assert.notEqual(first, second);
    assert.equal(f.get('9'), second);
  });

  test('remove, find, filter, map, some, every, reduce, random, toString, toJSON', () => {
    const c = new Collection(Thing);
    for (let i = 1; i <= 5; i++) c.add(raw(i));
    assert.equal(c.find((t) => t.name === 'n3')?.id, '3');
    assert.deepEqual(
      c.filter((t) => Number(t.id) % 2 === 1).map((t) => t.id),
      ['1', '3', '5']
    );
    assert.deepEqual(
      c.map((t) => t.id),
      ['1', '2', '3', '4', '5']
    );
    assert.equal(
      c.some((t) => t.id === '4'),
      true
    );
    assert.equal(
      c.every((t) => t.id.length === 1),
      true
    );
    assert.equal(
      c.reduce((sum, t) => sum + Number(t.id), 0),
      15
    );
    assert.equal(c.reduce((a, b) => (Number(a.id) > Number(b.id) ? a : b))?.id, '5');
    assert.ok(c.has(c.random()!.id));
    assert.equal(c.remove({ id: '3' })?.id, '3');
    assert.equal(c.remove({ id: '3' }), null);
    assert.equal(String(c), '[Collection<Thing>]');
    assert.deepEqual(Object.keys(c.toJSON()), ['1', '2', '4', '5']);
    assert.equal(new Collection(Thing).random(), undefined);
    assert.equal(
      new Collection(Thing).reduce((a) => a),
      undefined
    );
  });

  test('bad input is a typed error', () => {
    const c = new Collection(Thing);
    assert.throws(() => c.add({ name: 'x' } as unknown as RawThing), MissingIDError);
    assert.throws(() => c.add(null as unknown as RawThing), MissingIDError);
    assert.throws(() => new Collection(Thing, -1), InvalidOptionError);
    assert.throws(() => new Collection(Thing, 1.5), InvalidOptionError);
    assert.throws(() => new Collection('nope' as unknown as typeof Thing), InvalidOptionError);
  });
});

describe('Collection limit (LRU hot set)', () => {
  test('evicts the least recently used entry; get refreshes recency; peek does not', () => {
    const evicted: string[] = [];
    const c = new Collection(Thing, 3, { onEvict: (_v, key) => evicted.push(key) });
    c.add(raw(1));
    c.add(raw(2));
    c.add(raw(3));
    c.get('1');
    c.peek('2');
    c.add(raw(4));
    assert.deepEqual([...c.keys()].sort(), ['1', '3', '4']);
    assert.deepEqual(evicted, ['2']);
    c.add(raw(5));
    assert.deepEqual(evicted, ['2', '3']);
    assert.equal(c.size, 3);
    assert.equal(c.evictions, 2);
  });

  test('remove and delete are not evictions; lowering the limit evicts at once', () => {
    const evicted: string[] = [];
    const c = new Collection(Thing, 10, { onEvict: (_v, key) => evicted.push(key) });
    for (let i = 0; i < 10; i++) c.add(raw(i));
    c.remove({ id: '0' });
    c.delete('1');
    assert.deepEqual(evicted, []);
    c.limit = 5;
    assert.equal(c.size, 5);
    assert.deepEqual(evicted, ['2', '3', '4']);
    assert.deepEqual([...c.keys()], ['5', '6', '7', '8', '9']);
  });

  test('a bounded collection holds at most its limit under random traffic', () => {
    const c = new Collection(Thing, 100);
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const id = seed % 1000;
      if (seed % 3 === 0) c.get(String(id));
      else c.add(raw(id));
      assert.ok(c.size <= 100);
    }
  });

  test('an entry read between insertions survives any number of evictions (second chance)', () => {
    const c = new Collection(Thing, 100);
    c.add(raw(0));
    for (let i = 1; i <= 10_000; i++) {
      c.add(raw(i));
      assert.ok(c.get('0'), `entry 0 evicted after ${i} insertions`);
    }
    assert.equal(c.size, 100);
    assert.equal(c.evictions, 9_901);
  });

  test('limit 0 stores nothing but returns instances (Eris)', () => {
    const c = new Collection(Thing, 0);
    const t = c.add(raw(1));
    assert.ok(t instanceof Thing);
    assert.equal(c.size, 0);
  });
});

describe('NullCollection', () => {
  test('accepts and stores nothing', () => {
    const c = new NullCollection(Thing);
    const t = c.add(raw(1), 'x');
    assert.ok(t instanceof Thing);
    assert.equal(t.extra, 'x');
    assert.equal(c.update(raw(1)).id, '1');
    c.set('2', new Thing(raw(2)));
    c.limit = 50;
    assert.equal(c.size, 0);
    assert.equal(c.get('1'), undefined);
    assert.equal(c.limit, 0);
  });
});

describe('CacheBudget', () => {
  test('bounds the total of 1,000 collections and evicts the globally least recently used', () => {
    const budget = new CacheBudget(500);
    const collections = Array.from({ length: 1000 }, () => new Collection(Thing, undefined, { budget }));
    let next = 0;
    for (let round = 0; round < 5; round++) {
      for (const c of collections) {
        c.add(raw(next++));
        const total = collections.reduce((sum, col) => sum + col.size, 0);
        if (next % 97 === 0) assert.ok(total <= 500, `total ${total} > 500`);
      }
    }
    const total = collections.reduce((sum, col) => sum + col.size, 0);
    assert.equal(total, 500);
    assert.equal(budget.size, 500);
    assert.equal(budget.evictions, 5000 - 500);
    // The survivors are exactly the 500 most recently added.
    const ids = collections.flatMap((c) => [...c.keys()]).map(Number);
    assert.equal(Math.min(...ids), 4500);
  });

  test('get in one collection protects an entry from eviction by another', () => {
    const budget = new CacheBudget(3);
    const a = new Collection(Thing, undefined, { budget });
    const b = new Collection(Thing, undefined, { budget });
    const evicted: string[] = [];
    a.onEvict = (_v, k) => evicted.push(`a${k}`);
    b.onEvict = (_v, k) => evicted.push(`b${k}`);
    a.add(raw(1));
    a.add(raw(2));
    b.add(raw(3));
    a.get('1');
    b.add(raw(4));
    assert.deepEqual(evicted, ['a2']);
    assert.deepEqual([...a.keys()], ['1']);
    b.remove({ id: '3' });
    assert.equal(budget.size, 2);
    a.clear();
    assert.equal(budget.size, 1);
    b.add(raw(4), undefined, true);
    assert.equal(budget.size, 1);
  });

  test('an entry read between insertions survives the budget', () => {
    const budget = new CacheBudget(50);
    const hot = new Collection(Thing, undefined, { budget });
    const cold = Array.from({ length: 20 }, () => new Collection(Thing, undefined, { budget }));
    hot.add(raw(0));
    for (let i = 1; i <= 5000; i++) {
      cold[i % 20].add(raw(i));
      assert.ok(hot.get('0'), `entry 0 evicted after ${i} insertions`);
    }
    assert.equal(budget.size, 50);
  });

  test('per-collection limit and budget apply together', () => {
    const budget = new CacheBudget(10);
    const a = new Collection(Thing, 2, { budget });
    for (let i = 0; i < 5; i++) a.add(raw(i));
    assert.equal(a.size, 2);
    assert.equal(budget.size, 2);
    assert.throws(() => new CacheBudget(0), InvalidOptionError);
  });
});
