/**
 * The examples under examples/spec/ hold the spec's snippets verbatim: every TypeScript block of
 * ../shared/spec/scaling-to-millions.md that is runnable code appears, character for character, in
 * one of them (the RemoteCacheStore interface block is checked against the exported type instead).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const SPEC = '../shared/spec/scaling-to-millions.md';

test('every runnable spec snippet stands verbatim in examples/spec', (t) => {
  if (!existsSync(SPEC)) {
    console.warn(`SKIPPING verbatim check: ${SPEC} not found beside the project`);
    return t.skip('spec not found');
  }
  const blocks = [...readFileSync(SPEC, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.equal(blocks.length, 4, 'the spec has four TypeScript blocks');
  const examples = ['examples/spec/tiers.ts', 'examples/spec/lean.ts'].map((f) => readFileSync(f, 'utf8')).join('\n');
  for (const block of blocks.filter((b) => !b.startsWith('interface RemoteCacheStore'))) {
    assert.ok(examples.includes(block), `not verbatim in examples/spec:\n${block}`);
  }
  const storeType = readFileSync('src/cache/stores/RemoteCacheStore.ts', 'utf8');
  const iface = blocks.find((b) => b.startsWith('interface RemoteCacheStore'))!;
  for (const line of iface.split('\n').slice(1, -2)) {
    assert.ok(storeType.includes(line.trim()), `RemoteCacheStore lacks: ${line.trim()}`);
  }
});
