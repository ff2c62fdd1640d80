/**
 * The guides' code is real code: every ```ts block of docs/guides/{gateway-and-sharding,
 * caching-and-memory,scaling-to-millions,fleet-operations,beyond-one-host}.md stands verbatim as a file under examples/guides/, and
 * those files type-check against Athena's sources (examples/guides/tsconfig.json: 'athena' resolves
 * to src/, as for a user of the package).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const GUIDES = [
  'gateway-and-sharding',
  'caching-and-memory',
  'scaling-to-millions',
  'fleet-operations',
  'beyond-one-host'
];
const EXAMPLES = 'examples/guides';

function exampleFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) exampleFiles(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

test('every ts block of the guides is an example file, verbatim', () => {
  const files = new Map(exampleFiles(EXAMPLES).map((f) => [f, readFileSync(f, 'utf8')]));
  const used = new Set<string>();
  for (const guide of GUIDES) {
    const blocks = tsBlocks(readFileSync(`docs/guides/${guide}.md`, 'utf8'));
    assert.ok(blocks.length >= 3, `${guide}.md has code`);
    for (const block of blocks) {
      const match = [...files].find(([, text]) => text === block);
      assert.ok(match, `${guide}.md: this block is not a file under ${EXAMPLES}/:\n${block.slice(0, 300)}`);
      used.add(match[0]);
    }
  }
  // And no example file drifts away from the guides unseen.
  assert.deepEqual(
    [...files.keys()].filter((f) => !used.has(f)),
    []
  );
});

test('the guides link only to pages that exist', () => {
  for (const guide of GUIDES) {
    const text = readFileSync(`docs/guides/${guide}.md`, 'utf8');
    for (const [, target] of text.matchAll(/\]\(([a-z-]+\.md)\)/g)) {
      assert.ok(statSync(`docs/guides/${target}`).isFile(), `${guide}.md links to missing ${target}`);
    }
  }
});

test('examples/guides type-checks against the sources', { timeout: 120_000 }, async () => {
  const tsc = join('node_modules', 'typescript', 'bin', 'tsc');
  const run = promisify(execFile);
  const result = await run(process.execPath, [tsc, '-p', `${EXAMPLES}/tsconfig.json`, '--noEmit'], {
    maxBuffer: 16 * 1024 * 1024
  }).catch((error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? String(error), failed: true }));
  assert.ok(!('failed' in result), `tsc reported errors:\n${result.stdout}`);
});
