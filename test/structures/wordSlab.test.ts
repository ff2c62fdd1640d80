/** Slab-carved Int32Arrays (src/structures/channels/wordSlab.ts): zeroed, disjoint, large ones apart. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slabWords } from '../../src/structures/channels/wordSlab.js';

test('slab views are zeroed and disjoint; large or empty requests get arrays of their own', () => {
  const views = Array.from({ length: 40 }, (_, i) => slabWords(100 + i));
  views.forEach((view, i) => {
    assert.equal(view.length, 100 + i);
    assert.ok(view.every((w) => w === 0));
    view.fill(i + 1);
  });
  for (const [i, view] of views.entries()) {
    assert.ok(
      view.every((w) => w === i + 1),
      `view ${i} intact`
    );
  }
  // Several views share a buffer (a slab), and a slab is not one view's alone.
  assert.ok(views.some((view, i) => i > 0 && view.buffer === views[i - 1]?.buffer));
  const large = slabWords(100000);
  assert.equal(large.byteOffset, 0);
  assert.equal(large.buffer.byteLength, 400000);
  assert.equal(slabWords(0).length, 0);
});
