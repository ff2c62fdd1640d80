/**
 * `npm run docs` builds the API reference with no undocumented export: typedoc.json turns
 * `notDocumented` warnings into errors, so this fails as soon as a public export lacks TSDoc.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

test('typedoc validates the public API (athena and athena/testing) with no warning', async () => {
  const bin = 'node_modules/typedoc/bin/typedoc';
  const { stdout, stderr } = await run(process.execPath, [bin, '--emit', 'none'], { timeout: 180_000 }).catch(
    (error: { stdout?: string; stderr?: string }) => {
      assert.fail(`typedoc failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    }
  );
  assert.doesNotMatch(`${stdout}${stderr}`, /\[warning\]|\[error\]/);
});
