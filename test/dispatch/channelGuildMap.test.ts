/**
 * The client's channel-to-guild map (src/gateway/dispatch/ChannelGuildMap.ts): a Map to callers,
 * checked against a real Map by a random model test (sets, deletes, re-sets, clears, odd keys and
 * values, iteration with writes in between), plus the packed round trip of snowflakes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ChannelGuildMap } from '../../src/gateway/dispatch/ChannelGuildMap.js';

test('a ChannelGuildMap is a Map: get, set, has, delete, size, iteration in insertion order', () => {
  const map = new ChannelGuildMap();
  assert.ok(map instanceof Map);
  map.set('1129416238470545448', '1129416238470545400');
  map.set('12', 'g');
  map.set('not-a-snowflake', '1129416238470545400');
  map.set('0', '7');
  // A value that is not a string (not a guild id) is kept with the other entries, and still found.
  map.set('1129416238470545449', 5 as unknown as string);
  assert.equal(map.get('1129416238470545449'), 5);
  assert.equal(map.has('1129416238470545449'), true);
  assert.equal(map.delete('1129416238470545449'), true);
  assert.equal(map.has('1129416238470545449'), false);
  assert.equal(map.get('1129416238470545448'), '1129416238470545400');
  assert.equal(map.get('not-a-snowflake'), '1129416238470545400');
  assert.equal(map.get('012'), undefined);
  assert.equal(map.size, 4);
  assert.deepEqual([...map.keys()], ['1129416238470545448', '12', '0', 'not-a-snowflake']);
  assert.deepEqual(new Map(map), new Map([...map.entries()]));
  assert.equal(map.delete('12'), true);
  assert.equal(map.delete('12'), false);
  assert.equal(map.has('12'), false);
  map.set('12', 'h');
  assert.deepEqual([...map.values()], ['1129416238470545400', '7', 'h', '1129416238470545400']);
  const seen: string[] = [];
  map.forEach((value, key, self) => {
    assert.equal(self, map);
    seen.push(`${key}=${value}`);
  });
  assert.equal(seen.length, 4);
  map.clear();
  assert.equal(map.size, 0);
  assert.deepEqual([...map], []);
});

test('many channels of many guilds, deleted and added again (compaction keeps order and values)', () => {
  const map = new ChannelGuildMap();
  const real = new Map<string, string>();
  const snowflake = (n: number) => (1100000000000000000n + BigInt(n) * 4194304n + BigInt(n % 7)).toString();
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 3000; i++) {
      const key = snowflake(i + round * 1000);
      const value = snowflake(Math.floor(i / 7) + round * 13);
      map.set(key, value);
      real.set(key, value);
    }
    for (let i = 0; i < 3000; i += 2) {
      const key = snowflake(i + round * 700);
      assert.equal(map.delete(key), real.delete(key));
    }
    assert.equal(map.size, real.size);
    assert.deepEqual([...map], [...real]);
  }
});

const keyArb = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }).map(String) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 40 }).map((n) => String(1100000000000000000n + BigInt(n))) },
  { weight: 1, arbitrary: fc.constantFrom('0', '01', '', 'abc', '9223372036854775808', '18446744073709551616', '-1') }
);
const valueArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 6 }).map((n) => String(1100000000000000000n + BigInt(n))) },
  { weight: 1, arbitrary: fc.constantFrom('x', '') }
);
type Op =
  | { op: 'set'; key: string; value: string }
  | { op: 'delete' | 'get' | 'has'; key: string }
  | { op: 'clear' }
  | { op: 'iterate'; stopAt: number; key: string; value: string };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant('set' as const), key: keyArb, value: valueArb }) },
  {
    weight: 5,
    arbitrary: fc.record({ op: fc.constantFrom('delete' as const, 'get' as const, 'has' as const), key: keyArb })
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('iterate' as const), stopAt: fc.nat(20), key: keyArb, value: valueArb })
  }
);

test('model: a ChannelGuildMap answers as a Map does (fast-check)', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
      const map = new ChannelGuildMap();
      const real = new Map<string, string>();
      for (const o of ops) {
        if (o.op === 'set') {
          map.set(o.key, o.value);
          real.set(o.key, o.value);
        } else if (o.op === 'delete') assert.equal(map.delete(o.key), real.delete(o.key));
        else if (o.op === 'get') assert.equal(map.get(o.key), real.get(o.key));
        else if (o.op === 'has') assert.equal(map.has(o.key), real.has(o.key));
        else if (o.op === 'clear') {
          map.clear();
          real.clear();
        } else if (o.op === 'iterate') {
          // Deleting what was just visited while iterating (the common pattern) still visits every key once.
          const before = [...real.keys()].sort();
          const a: string[] = [];
          for (const [key] of map) {
            a.push(key);
            if (a.length === o.stopAt) {
              map.delete(key);
              real.delete(key);
            }
          }
          const b = before;
          assert.deepEqual(a.sort(), b.sort());
        }
        assert.equal(map.size, real.size);
      }
      // Snowflake keys come first, then the others; each part in insertion order.
      const packed = (key: string) => /^(?:0|[1-9]\d{0,18})$/.test(key) && BigInt(key) < 1n << 63n;
      const expected = [...real].filter(([k]) => packed(k));
      expected.push(...[...real].filter(([k]) => !packed(k)));
      assert.deepEqual([...map], expected);
      assert.deepEqual(
        [...map.keys()],
        expected.map(([k]) => k)
      );
      assert.deepEqual(
        [...map.values()],
        expected.map(([, v]) => v)
      );
    }),
    { numRuns: 300 }
  );
});

test('iterating while a set compacts the records resumes after the last key given', () => {
  const map = new ChannelGuildMap();
  const keys = Array.from({ length: 12 }, (_, i) => String(1000 + i));
  for (const key of keys) map.set(key, 'g');
  const seen: string[] = [];
  let added = 0;
  for (const key of map.keys()) {
    seen.push(key);
    if (key === '1003') {
      // Dead records, then sets until the records are full: a compaction renumbers mid-walk.
      for (const dead of keys.slice(6)) map.delete(dead);
      while (added < 8) map.set(String(2000 + added++), 'h');
    }
  }
  assert.deepEqual(seen, [...keys.slice(0, 6), ...Array.from({ length: 8 }, (_, i) => String(2000 + i))]);
});

test('setPacked (a channel table handing over its id words) is set by key, an odd value kept aside included', async () => {
  const { packHigh, packedLow } = await import('../../src/structures/compactID.js');
  const map = new ChannelGuildMap();
  const model = new Map<string, string>();
  const put = (key: string, value: string) => {
    const high = packHigh(key);
    map.setPacked(high, packedLow(), value);
    model.set(key, value);
  };
  put('1129416238470545448', 'g1');
  map.set('1129416238470545449', 5 as unknown as string);
  model.set('1129416238470545449', 5 as unknown as string);
  put('1129416238470545449', 'g2'); // leaves the others, as set() would move it
  put('1129416238470545448', 'g3'); // an existing key's value replaced in place
  for (let i = 0; i < 100; i++) put(String(1129416238470545500n + BigInt(i)), `g${i % 7}`);
  assert.equal(map.size, model.size);
  for (const [key, value] of model) assert.equal(map.get(key), value);
  assert.equal(map.get('1129416238470545449'), 'g2');
  assert.equal(map.get('1129416238470545448'), 'g3');
});
