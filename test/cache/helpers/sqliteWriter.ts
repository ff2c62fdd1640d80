// Child process for the SQLite multi-process test: opens the shared file with its own connection
// and writes `count` records to `namespace`, reading back a sibling process's records as it goes.
// Usage: node --import tsx sqliteWriter.ts <file> <namespace> <count>
import Database from 'better-sqlite3';
import { SqliteCacheStore } from '../../../src/cache/index.js';

const [file, namespace, count] = process.argv.slice(2);
const db = new Database(file);
const store = new SqliteCacheStore(db);
let seenOthers = 0;
for (let i = 0; i < Number(count); i++) {
  await store.setEntity(namespace, String(i), JSON.stringify({ id: String(i), by: namespace }));
  if (i % 100 === 0) seenOthers += (await store.getAllEntities(namespace === 'a' ? 'b' : 'a')).length > 0 ? 1 : 0;
}
db.close();
process.stdout.write(JSON.stringify({ wrote: Number(count), seenOthers }));
