/** The nickname/extra pairs of a member store (slotValues.ts) against a Map, across the switch to a Map. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type SlotValues, slotValue, withoutValue, withValue } from '../../src/structures/members/slotValues.js';

test('pairs and the Map they become hold the same values as a reference Map', () => {
  const op = fc.record({ set: fc.boolean(), slot: fc.nat(40), value: fc.string({ maxLength: 3 }) });
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      let values: SlotValues<string> | null = null;
      const reference = new Map<number, string>();
      for (const { set, slot, value } of ops) {
        if (set) {
          values = withValue(values, slot, value);
          reference.set(slot, value);
        } else {
          values = withoutValue(values, slot);
          reference.delete(slot);
        }
        assert.equal(values === null, reference.size === 0);
        for (let s = 0; s <= 40; s++) assert.equal(slotValue(values, s), reference.get(s));
      }
    }),
    { numRuns: 300 }
  );
});
