import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseFrame, sniffEnvelope, validateEnvelope } from '../../src/gateway/index.js';

/** Serialise an object with its keys in a given order and random whitespace around tokens. */
function serialise(entries: [string, unknown][], spaces: string[]): string {
  let i = 0;
  const ws = () => spaces[i++ % spaces.length];
  return `${ws()}{${entries.map(([k, v]) => `${ws()}${JSON.stringify(k)}${ws()}:${ws()}${JSON.stringify(v)}${ws()}`).join(',')}}${ws()}`;
}

describe('sniffEnvelope', () => {
  test('agrees with JSON.parse on op/t/s for any key order, whitespace and d', () => {
    const envelope = fc.record({
      op: fc.integer({ min: 0, max: 50 }),
      t: fc.oneof(fc.constant(null), fc.stringMatching(/^[A-Z_]{1,20}$/)),
      s: fc.oneof(fc.constant(null), fc.nat()),
      d: fc.jsonValue()
    });
    fc.assert(
      fc.property(
        envelope,
        fc.array(fc.constantFrom('', ' ', '\n', '\t', '  '), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        (env, spaces, order) => {
          const keys = Object.entries(env)
            .map((entry, i) => ({ entry: entry as [string, unknown], rank: order[i] }))
            .sort((a, b) => a.rank - b.rank)
            .map((x) => x.entry);
          const text = serialise(keys, spaces);
          assert.deepEqual(sniffEnvelope(text), { op: env.op, t: env.t, s: env.s });
        }
      ),
      { numRuns: 2000 }
    );
  });

  test('never throws on arbitrary text and rejects what is not an envelope', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        sniffEnvelope(text);
      }),
      { numRuns: 3000 }
    );
    for (const bad of [
      '',
      '[]',
      '{}',
      '{"op":"0"}',
      '{"op":1e400}',
      '{"op":0,"t":5}',
      '{"op":0,"s":"1"}',
      '{"op":0',
      'null'
    ]) {
      assert.equal(sniffEnvelope(bad), null, bad);
    }
  });

  test('does not look inside d: keys named t/s/op in d and braces in strings are ignored', () => {
    const text = '{"op":0,"d":{"t":"FAKE","s":99,"op":3,"x":"}}\\"{"},"s":7,"t":"REAL"}';
    assert.deepEqual(sniffEnvelope(text), { op: 0, t: 'REAL', s: 7 });
  });
});

describe('parseFrame and validateEnvelope', () => {
  test('drop __proto__ keys, plain or \\u-escaped, and never touch prototypes', () => {
    for (const text of [
      '{"op":0,"t":"X","s":1,"d":{"__proto__":{"polluted":1},"a":{"__proto__":{"polluted":2}}}}',
      '{"op":0,"t":"X","s":1,"d":{"\\u005f_proto__":{"polluted":3}}}'
    ]) {
      const { value, hostileKeys } = parseFrame(text);
      assert.ok(hostileKeys >= 1);
      const d = (value as { d: Record<string, unknown> }).d;
      assert.equal(Object.hasOwn(d, '__proto__'), false);
      assert.equal(Object.getPrototypeOf(d), Object.prototype);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    }
  });

  test('rejects wrong envelope types with a reason', () => {
    for (const value of [
      null,
      [],
      'x',
      { op: '0' },
      { op: 1.5 },
      { op: 0, t: 'lower', s: 1, d: {} },
      { op: 0, t: 'X', s: -1, d: {} },
      { op: 0, t: 'X', s: 2 ** 60, d: {} },
      { op: 0, t: 'X', s: 1, d: 5 },
      { op: 0, t: 'X', s: 1, d: [] }
    ]) {
      assert.equal(typeof validateEnvelope(value), 'string', JSON.stringify(value));
    }
    assert.deepEqual(validateEnvelope({ op: 0, t: 'X', s: 3, d: { a: 1 } }), { op: 0, t: 'X', s: 3, d: { a: 1 } });
  });
});
