/**
 * 10,000 malformed or hostile frames reach a live shard over a real socket: bad JSON, wrong types,
 * huge numbers, __proto__ keys (plain and \u-escaped), unknown ops and events. The process survives,
 * each frame lands in exactly one counter, valid dispatches among them are delivered in order, and
 * no prototype is polluted.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { disconnectAll, harness } from './helpers/harness.js';
import { MiniGateway, waitFor } from './helpers/MiniGateway.js';

const TOKEN = 'fuzz-token-abcdef';
const FRAMES = 10_000;

type Kind = 'badJSON' | 'wrongType' | 'hugeSeq' | 'protoKey' | 'unknownOp' | 'unknownEvent' | 'hugeNumberInD';

let gw: MiniGateway;
before(async () => {
  // A long interval: 10,000 frames queued ahead of an ACK must not look like a zombie on a loaded machine.
  gw = await MiniGateway.start({ token: TOKEN, heartbeatInterval: 60_000 });
});
after(async () => {
  disconnectAll();
  await gw.close();
});

test(`fuzz: ${FRAMES} hostile frames → survived, each counted, no prototype polluted`, async () => {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  const h = harness(TOKEN, { maxShards: 1 });
  await h.manager.connect({ url: gw.url });
  await waitFor(() => h.manager.ready);
  const shard = h.manager.shards.get(0)!;
  const conn = gw.connectionOf(0)!;
  const session = conn.session!;
  const base = { ...shard.stats, delivered: h.delivered.length };

  const junk = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))
  );
  const frame = fc.oneof(
    junk.map((text) => ({ kind: 'badJSON' as Kind, text: `${text}{"op":` })),
    fc
      .constantFrom<unknown>(
        { op: '0', t: 'X', s: 1, d: {} },
        { op: 0, t: 42, s: 1, d: {} },
        { op: 0, t: 'MESSAGE_CREATE', s: '1', d: {} },
        { op: 0, t: 'MESSAGE_CREATE', s: 1, d: 'text' },
        { op: 0, t: 'lower_case', s: 1, d: {} },
        { op: null },
        [1, 2, 3],
        'string',
        7
      )
      .map((v) => ({ kind: 'wrongType' as Kind, text: JSON.stringify(v) })),
    fc
      .constantFrom('1e400', '18446744073709551616', '-5', '1.5', '9007199254740993')
      .map((s) => ({ kind: 'hugeSeq' as Kind, text: `{"op":0,"t":"MESSAGE_CREATE","s":${s},"d":{}}` })),
    fc.constantFrom('__proto__', '\\u005f_proto__', '__pro\\u0074o__').map((key) => ({
      kind: 'protoKey' as Kind,
      text: `{"op":0,"t":"MESSAGE_CREATE","s":SEQ,"d":{"${key}":{"polluted":true},"member":{"${key}":{"isAdmin":true}}}}`
    })),
    fc
      .integer({ min: -1000, max: 1000 })
      .filter((op) => ![0, 1, 7, 9, 10, 11].includes(op))
      .map((op) => ({ kind: 'unknownOp' as Kind, text: JSON.stringify({ op, d: { x: 1 } }) })),
    fc
      .stringMatching(/^ZZ_[A-Z_]{1,20}$/)
      .map((t) => ({ kind: 'unknownEvent' as Kind, text: `{"op":0,"t":"${t}","s":SEQ,"d":{"a":1}}` })),
    fc
      .constantFrom('1e400', '-1e400', '123456789012345678901234567890', '1e-400')
      .map((n) => ({ kind: 'hugeNumberInD' as Kind, text: `{"op":0,"t":"MESSAGE_CREATE","s":SEQ,"d":{"n":${n}}}` }))
  );
  const frames = fc.sample(frame, { numRuns: FRAMES, seed: 42 });
  const counts: Record<Kind, number> = {
    badJSON: 0,
    wrongType: 0,
    hugeSeq: 0,
    protoKey: 0,
    unknownOp: 0,
    unknownEvent: 0,
    hugeNumberInD: 0
  };
  let seq = session.seq;
  for (const { kind, text } of frames) {
    counts[kind]++;
    // Valid dispatches get the next real seq so they must be delivered, in order.
    const payload = text.includes('SEQ') ? text.replace('SEQ', String(++seq)) : text;
    gw.send(conn, payload);
  }
  session.seq = seq;
  const marker = gw.dispatch(session, 'MESSAGE_CREATE', { marker: true });
  await waitFor(() => h.delivered.some((x) => x.s === marker), 20_000, 'marker after the fuzz');

  const stats = shard.stats;
  const validDispatches = counts.protoKey + counts.unknownEvent + counts.hugeNumberInD;
  assert.equal(stats.frames - base.frames, FRAMES + 1, 'every frame reached the shard');
  assert.equal(stats.malformed - base.malformed, counts.badJSON + counts.wrongType + counts.hugeSeq);
  assert.equal(stats.unknownOps - base.unknownOps, counts.unknownOp);
  assert.equal(stats.unknownEvents - base.unknownEvents, counts.unknownEvent);
  assert.ok(stats.hostileKeys - base.hostileKeys >= counts.protoKey);
  assert.equal(h.delivered.length - base.delivered, validDispatches + 1);
  const seqs = h.delivered.map((x) => x.s);
  assert.ok(
    seqs.every((s, i) => i === 0 || s > seqs[i - 1]),
    'delivered in seq order'
  );
  for (const { d } of h.delivered.slice(base.delivered)) {
    const data = d as Record<string, unknown>;
    assert.equal(Object.hasOwn(data, '__proto__'), false);
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys);
  assert.equal(shard.status, 'ready', 'the connection survived');
  const warnings = h.emitted.filter(([name]) => name === 'warn').length;
  assert.ok(warnings >= counts.badJSON + counts.wrongType + counts.hugeSeq, 'malformed frames are reported');
  assert.ok(!h.transcript().includes(TOKEN));
  h.manager.disconnect();
});
