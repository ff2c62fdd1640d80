/**
 * The per-guild overwrite pool: runs added, shared, replaced and released, the buffer growing,
 * compaction reclaiming dead runs (and relocating the live ones through the owner), detached
 * copies, and the raw permission math against the decoded form.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyOverwriteBits,
  EMPTY_RUN,
  findOverwrite,
  NO_OVERWRITES,
  OverwritePool,
  type OverwriteRunOwner,
  overwritesToAPI,
  packOverwrites,
  unpackOverwrites
} from '../../src/permissions/index.js';
import { Permissions as P } from '../../src/util/constants.js';

/** An owner holding named runs, as a guild holds its channels' runs. */
class Holder implements OverwriteRunOwner {
  readonly runs = new Map<string, number>();
  relocations = 0;
  internOverwriteID(id: string): string {
    return id;
  }
  relocateOverwriteRuns(move: (run: number) => number): void {
    this.relocations++;
    for (const [name, run] of this.runs) this.runs.set(name, move(run));
  }
}

const ow = (id: string, allow: bigint, deny = 0n, type: 0 | 1 = 0) => ({
  id,
  type,
  allow: String(allow),
  deny: String(deny)
});

test('runs round-trip ids, types and 64-bit bitfields; empty input takes no room', () => {
  const pool = new OverwritePool(new Holder());
  const high = (1n << 52n) | (1n << 40n) | 7n;
  const run = pool.add([ow('1', high, P.sendMessages), ow('2', 0n, high, 1)]);
  assert.deepEqual(unpackOverwrites(pool.view(run)), [
    { id: '1', type: 0, allow: high, deny: P.sendMessages },
    { id: '2', type: 1, allow: 0n, deny: high }
  ]);
  assert.equal(pool.add([]), EMPTY_RUN);
  assert.equal(pool.add(undefined), EMPTY_RUN);
  assert.equal(pool.view(EMPTY_RUN), NO_OVERWRITES);
  assert.equal(pool.stats.used, 2);
});

test('a later entry with the same id replaces the earlier one within a run', () => {
  const pool = new OverwritePool(new Holder());
  const run = pool.add([ow('1', 1n), ow('2', 2n), ow('1', 4n, 8n)]);
  assert.deepEqual(overwritesToAPI(pool.view(run)), [ow('1', 4n, 8n), ow('2', 2n)]);
});

test('an identical set shares the given run and takes no room; a different one does not', () => {
  const pool = new OverwritePool(new Holder());
  const parent = pool.add([ow('g', 0n, P.viewChannel), ow('r', P.viewChannel)]);
  const used = pool.stats.used;
  assert.equal(pool.add([ow('g', 0n, P.viewChannel), ow('r', P.viewChannel)], parent), parent);
  assert.equal(pool.stats.used, used);
  const other = pool.add([ow('g', 0n, P.viewChannel)], parent);
  assert.notEqual(other, parent);
  assert.equal(pool.stats.used, used + 1);
});

test('growth keeps every run readable; fit trims a reservation to what its entries took', () => {
  const holder = new Holder();
  const pool = new OverwritePool(holder);
  pool.reserve(4);
  assert.equal(pool.stats.words, 4 * 6, 'room for the worst case: every entry a new pair');
  holder.runs.set('a', pool.add([ow('g', 0n, 1024n), ow('r', 1024n)]));
  holder.runs.set('b', pool.add([ow('g', 0n, 1024n), ow('s', 1024n)]));
  pool.fit();
  assert.deepEqual([pool.stats.used, pool.stats.pairs, pool.stats.words], [4, 2, 4 * 2 + 2 * 4]);
  assert.deepEqual(overwritesToAPI(pool.view(holder.runs.get('b') ?? EMPTY_RUN)), [ow('g', 0n, 1024n), ow('s', 1024n)]);
  for (let i = 0; i < 200; i++) holder.runs.set(`c${i}`, pool.add([ow(`t${i % 7}`, BigInt(i)), ow('g', 1n, 2n)]));
  assert.equal(pool.stats.used, 404);
  assert.ok(pool.stats.pairs <= 203);
  for (let i = 0; i < 200; i++) {
    const view = pool.view(holder.runs.get(`c${i}`) ?? EMPTY_RUN);
    assert.deepEqual(overwritesToAPI(view), [ow(`t${i % 7}`, BigInt(i)), ow('g', 1n, 2n)]);
  }
  assert.equal(pool.stats.targets, 10);
});

test('released runs are reclaimed by compaction before the buffer grows; live runs move intact', () => {
  const holder = new Holder();
  const pool = new OverwritePool(holder);
  pool.reserve(4);
  holder.runs.set('a', pool.add([ow('1', 1n), ow('2', 2n)]));
  holder.runs.set('b', pool.add([ow('3', 3n), ow('4', 4n)]));
  // Replace a's overwrites many times: each replacement releases the old run.
  for (let i = 0n; i < 100n; i++) {
    const next = pool.add([ow('5', i), ow('6', i)]);
    pool.release(holder.runs.get('a') ?? EMPTY_RUN);
    holder.runs.set('a', next);
  }
  assert.ok(holder.relocations >= 2, 'compacted');
  assert.ok(pool.stats.words <= 64, `bounded (${pool.stats.words} words)`);
  assert.deepEqual(overwritesToAPI(pool.view(holder.runs.get('a') ?? EMPTY_RUN)), [ow('5', 99n), ow('6', 99n)]);
  assert.deepEqual(overwritesToAPI(pool.view(holder.runs.get('b') ?? EMPTY_RUN)), [ow('3', 3n), ow('4', 4n)]);
  // Targets no live run uses are dropped from the table at compaction.
  assert.ok(pool.stats.targets <= 4);
});

test('a shared run stays shared through compaction, and the run to share follows the move', () => {
  const holder = new Holder();
  const pool = new OverwritePool(holder);
  const set = [ow('g', 0n, P.viewChannel)];
  // A reservation for these four adds, fitted: the buffer is full.
  pool.reserve(4);
  holder.runs.set('dead', pool.add([ow('x', 1n)]));
  holder.runs.set('category', pool.add(set));
  holder.runs.set('synced', pool.add(set, holder.runs.get('category')));
  holder.runs.set('other', pool.add([ow('y', 1n)]));
  pool.fit();
  assert.equal(holder.runs.get('synced'), holder.runs.get('category'));
  assert.deepEqual([pool.stats.used, pool.stats.pairs], [3, 2], 'x and y share their bitfield pair');
  pool.release(holder.runs.get('dead') ?? EMPTY_RUN);
  holder.runs.delete('dead');
  // The pool is full: this add compacts first, and sharing must use the category's new run.
  const next = pool.add(set, holder.runs.get('category'));
  assert.equal(holder.relocations, 1);
  assert.equal(holder.runs.get('synced'), holder.runs.get('category'));
  assert.equal(next, holder.runs.get('category'));
  assert.equal(pool.stats.used, 2);
  assert.deepEqual(overwritesToAPI(pool.view(next)), set);
  assert.deepEqual(overwritesToAPI(pool.view(holder.runs.get('other') ?? EMPTY_RUN)), [ow('y', 1n)]);
  assert.equal(pool.stats.targets, 2, "the dead run's target is dropped");
});

test('a detached copy survives the pool reusing its run', () => {
  const holder = new Holder();
  const pool = new OverwritePool(holder);
  const run = pool.add([ow('1', 1n, 2n, 1)]);
  const detached = pool.detach(run);
  pool.release(run);
  for (let i = 0; i < 50; i++) holder.runs.set(`c${i}`, pool.add([ow(`n${i}`, 99n)]));
  assert.deepEqual(overwritesToAPI(detached), [ow('1', 1n, 2n, 1)]);
  assert.notEqual(detached.pool, pool);
});

test('applyOverwriteBits agrees with the decoded §7.4 order on random sets', () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const bits = () => {
    let value = 0n;
    for (let b = 0n; b < 64n; b++) if (random() < 0.2) value |= 1n << b;
    return value;
  };
  const ids = ['g', 'r1', 'r2', 'r3', 'u', 'other'];
  for (let round = 0; round < 500; round++) {
    const raw = ids.filter(() => random() < 0.6).map((id) => ow(id, bits(), bits(), id === 'u' ? 1 : 0));
    const packed = packOverwrites(raw);
    const base = bits();
    const roles = ['r1', 'r2', 'r3'].filter(() => random() < 0.5);
    let expected = base;
    const decoded = unpackOverwrites(packed);
    const entry = (id: string) => decoded[findOverwrite(packed, id)];
    const everyone = entry('g');
    if (everyone) expected = (expected & ~everyone.deny) | everyone.allow;
    let allow = 0n;
    let deny = 0n;
    for (const role of roles) {
      const o = entry(role);
      if (o) {
        allow |= o.allow;
        deny |= o.deny;
      }
    }
    expected = (expected & ~deny) | allow;
    const member = entry('u');
    if (member) expected = (expected & ~member.deny) | member.allow;
    assert.equal(applyOverwriteBits(base, packed, 'g', roles, 'u'), expected);
  }
});

test('bitfields of every width round-trip (short decimal strings skip the bigint parse)', () => {
  const pool = new OverwritePool(new Holder());
  const values = [
    0n,
    1n,
    2n ** 31n,
    2n ** 32n - 1n,
    2n ** 32n,
    999_999_999_999_999n,
    2n ** 50n + 12345n,
    2n ** 63n + 1n
  ];
  for (const value of values) {
    const run = pool.add([{ id: 'x', type: 0, allow: String(value), deny: String(value) }]);
    assert.deepEqual(
      unpackOverwrites(pool.view(run))[0],
      { id: 'x', type: 0, allow: value, deny: value },
      String(value)
    );
  }
  const numeric = pool.add([{ id: 'y', type: 1, allow: 1024 as unknown as string, deny: '' }]);
  assert.deepEqual(unpackOverwrites(pool.view(numeric))[0], { id: 'y', type: 1, allow: 1024n, deny: 0n });
});

test('a pool moved into the tail of a larger array (a channel table) reads the same, and leaves the head alone', () => {
  const holder = new Holder();
  const pool = new OverwritePool(holder);
  pool.reserve(6);
  holder.runs.set('a', pool.add([ow('1', 1n, 2n), ow('2', P.administrator, 0n, 1)]));
  holder.runs.set('b', pool.add([ow('3', 3n), ow('1', 1n, 2n)]));
  holder.runs.set('c', pool.add([ow('1', 1n, 2n), ow('2', P.administrator, 0n, 1)], holder.runs.get('a')));
  const expected = [...holder.runs].map(([name, run]) => [name, overwritesToAPI(pool.view(run))]);
  const head = 7;
  const shared = new Int32Array(head + pool.usedWords).fill(-5, 0, head);
  assert.throws(() => pool.moveTo(shared, head + 1), RangeError);
  pool.moveTo(shared, head);
  assert.equal(pool.stats.words, pool.usedWords);
  assert.deepEqual(
    [...holder.runs].map(([name, run]) => [name, overwritesToAPI(pool.view(run))]),
    expected
  );
  assert.equal(findOverwrite(pool.view(holder.runs.get('b') ?? EMPTY_RUN), '1'), 1);
  assert.equal(
    applyOverwriteBits(0n, pool.view(holder.runs.get('a') ?? EMPTY_RUN), '1', [], '2'),
    P.administrator | 1n
  );
  // Growing (and compacting) takes the pool out of the shared array; the head is never written.
  for (let i = 0n; i < 50n; i++) {
    const next = pool.add([ow(String(10n + i), i)]);
    pool.release(holder.runs.get('b') ?? EMPTY_RUN);
    holder.runs.set('b', next);
  }
  assert.deepEqual([...shared.subarray(0, head)], new Array(head).fill(-5));
  assert.deepEqual(overwritesToAPI(pool.view(holder.runs.get('a') ?? EMPTY_RUN)), expected[0]?.[1]);
  assert.deepEqual(overwritesToAPI(pool.view(holder.runs.get('b') ?? EMPTY_RUN)), [ow('59', 49n)]);
});
