import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SqliteCacheStore } from '../../src/cache/index.js';

const writer = fileURLToPath(new URL('./helpers/sqliteWriter.ts', import.meta.url));

function runWriter(file: string, namespace: string, count: number): Promise<{ wrote: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, file, namespace, String(count)], {
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`writer ${namespace} exited ${code}: ${err}`));
      resolve({ ...JSON.parse(out), code });
    });
  });
}

test('two processes share one SQLite file (WAL, busy_timeout): every write of both lands', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'athena-sqlite-mp-'));
  const file = join(dir, 'shared.db');
  try {
    // Create the schema first so both children start on an existing WAL database.
    const setup = new Database(file);
    assert.equal(new SqliteCacheStore(setup).table, 'athena_entities');
    setup.close();
    const [a, b] = await Promise.all([runWriter(file, 'a', 3000), runWriter(file, 'b', 3000)]);
    assert.equal(a.wrote, 3000);
    assert.equal(b.wrote, 3000);
    const db = new Database(file);
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      const store = new SqliteCacheStore(db);
      assert.equal((await store.getAllEntities('a')).length, 3000);
      assert.equal((await store.getAllEntities('b')).length, 3000);
      assert.deepEqual(JSON.parse((await store.getEntity('b', '2999'))!), { id: '2999', by: 'b' });
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
