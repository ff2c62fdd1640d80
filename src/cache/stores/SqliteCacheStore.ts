import { InvalidOptionError } from '../../util/errors.js';
import { RemoteStoreError } from '../errors.js';
import { checkKey, checkNamespace, checkTTL } from './keys.js';
import type { BatchRemoteCacheStore, RemoteCacheEntry } from './RemoteCacheStore.js';

/** The part of a better-sqlite3 (v12) prepared statement the store uses. */
export interface SqliteStatementLike {
  /** Execute the statement with bound parameters (writes). */
  run(...params: unknown[]): unknown;
  /** The first row of the result, or undefined. */
  get(...params: unknown[]): unknown;
  /** Every row of the result. */
  all(...params: unknown[]): unknown[];
}

/** The part of a better-sqlite3 (v12) `Database` the store uses; pass `new Database(file)`. */
export interface SqliteDatabaseLike {
  /** Compile one SQL statement for repeated use. */
  prepare(source: string): SqliteStatementLike;
  /** Run SQL text without parameters (table setup; BEGIN/COMMIT around batched writes). */
  exec(source: string): unknown;
  /** Run a PRAGMA (busy_timeout, journal_mode = WAL); `simple` returns the first column's value only. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
}

/** Options of a SqliteCacheStore: table name, TTL, busy timeout and the clock. */
export interface SqliteCacheStoreOptions {
  /** Table to use (created if absent). Default `athena_entities`. */
  table?: string;
  /** Default expiry of records written without their own TTL. */
  ttlSeconds?: number;
  /** How long a write waits for another process's lock before failing (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Clock in milliseconds (tests pass a fake one). */
  now?: () => number;
}

/** Ids per `IN (json_each(?))` lookup. */
const BATCH = 500;
/** Writes between sweeps of expired rows. */
const SWEEP_EVERY = 1000;

/**
 * RemoteCacheStore on SQLite through better-sqlite3, for fleets on one machine (the embedded
 * default of the demo fleet): each process opens the same file; WAL lets readers proceed while one
 * process writes, and `busy_timeout` makes a writer wait for the lock instead of failing.
 * Athena has no SQLite dependency: the caller passes the opened database.
 *
 * better-sqlite3 is synchronous; each call is a single indexed statement (microseconds), so the
 * promise-returning methods stay cheap on the event loop.
 */
export class SqliteCacheStore implements BatchRemoteCacheStore {
  readonly table: string;
  private readonly ttlSeconds: number | undefined;
  private readonly now: () => number;
  private writesSinceSweep = 0;
  private readonly selectOne: SqliteStatementLike;
  private readonly selectMany: SqliteStatementLike;
  private readonly selectAll: SqliteStatementLike;
  private readonly upsert: SqliteStatementLike;
  private readonly deleteOne: SqliteStatementLike;
  private readonly sweep: SqliteStatementLike;

  constructor(
    readonly db: SqliteDatabaseLike,
    options: SqliteCacheStoreOptions = {}
  ) {
    if (db === null || typeof db !== 'object' || typeof db.prepare !== 'function') {
      throw new InvalidOptionError('SqliteCacheStore.db', 'a better-sqlite3 Database', db);
    }
    const table = options.table ?? 'athena_entities';
    if (typeof table !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) {
      throw new InvalidOptionError('SqliteCacheStore.table', 'an SQL identifier', table);
    }
    const busyTimeout = options.busyTimeoutMs ?? 5000;
    if (!Number.isInteger(busyTimeout) || busyTimeout < 0) {
      throw new InvalidOptionError('SqliteCacheStore.busyTimeoutMs', 'a non-negative integer', busyTimeout);
    }
    this.table = table;
    this.ttlSeconds = checkTTL('SqliteCacheStore.ttlSeconds', options.ttlSeconds);
    this.now = options.now ?? Date.now;

    db.pragma(`busy_timeout = ${busyTimeout}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (
         namespace TEXT NOT NULL,
         id TEXT NOT NULL,
         value TEXT NOT NULL,
         expires_at INTEGER,
         PRIMARY KEY (namespace, id)
       ) WITHOUT ROWID`
    );
    const live = '(expires_at IS NULL OR expires_at > ?)';
    this.selectOne = db.prepare(`SELECT value FROM ${table} WHERE namespace = ? AND id = ? AND ${live}`);
    this.selectMany = db.prepare(
      `SELECT id, value FROM ${table} WHERE namespace = ? AND id IN (SELECT value FROM json_each(?)) AND ${live}`
    );
    this.selectAll = db.prepare(`SELECT value FROM ${table} WHERE namespace = ? AND ${live}`);
    this.upsert = db.prepare(
      `INSERT INTO ${table} (namespace, id, value, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (namespace, id) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`
    );
    this.deleteOne = db.prepare(`DELETE FROM ${table} WHERE namespace = ? AND id = ?`);
    this.sweep = db.prepare(`DELETE FROM ${table} WHERE expires_at IS NOT NULL AND expires_at <= ?`);
  }

  async getEntity(namespace: string, id: string): Promise<string | null> {
    checkKey(namespace, id);
    const row = this.run('get', () => this.selectOne.get(namespace, id, this.now())) as { value?: unknown } | undefined;
    return typeof row?.value === 'string' ? row.value : null;
  }

  async getEntities(namespace: string, ids: string[]): Promise<Array<string | null>> {
    for (const id of ids) checkKey(namespace, id);
    const found = new Map<string, string>();
    const now = this.now();
    for (let start = 0; start < ids.length; start += BATCH) {
      const batch = JSON.stringify(ids.slice(start, start + BATCH));
      const rows = this.run('getMany', () => this.selectMany.all(namespace, batch, now)) as Array<{
        id: string;
        value: unknown;
      }>;
      for (const row of rows) if (typeof row.value === 'string') found.set(row.id, row.value);
    }
    return ids.map((id) => found.get(id) ?? null);
  }

  async getAllEntities(namespace: string): Promise<string[]> {
    checkNamespace(namespace);
    const rows = this.run('getAll', () => this.selectAll.all(namespace, this.now())) as Array<{ value: unknown }>;
    return rows.flatMap((row) => (typeof row.value === 'string' ? [row.value] : []));
  }

  async setEntity(namespace: string, id: string, value: string, ttlSeconds?: number): Promise<void> {
    checkKey(namespace, id);
    const ttl = checkTTL('ttlSeconds', ttlSeconds) ?? this.ttlSeconds;
    const now = this.now();
    this.run('set', () => this.upsert.run(namespace, id, String(value), ttl === undefined ? null : now + ttl * 1000));
    if (++this.writesSinceSweep >= SWEEP_EVERY) this.purgeExpired();
  }

  /**
   * The batched write: every upsert in one IMMEDIATE transaction (one fsync-free WAL commit instead
   * of one per record; the write lock is taken up front so a concurrent writer waits in busy_timeout
   * rather than failing mid-batch). All or nothing: a failure rolls the batch back and rejects.
   */
  async setEntities(entries: readonly RemoteCacheEntry[], ttlSeconds?: number): Promise<void> {
    for (const entry of entries) checkKey(entry.namespace, entry.id);
    const ttl = checkTTL('ttlSeconds', ttlSeconds) ?? this.ttlSeconds;
    if (entries.length === 0) return;
    const expiresAt = ttl === undefined ? null : this.now() + ttl * 1000;
    this.run('setMany', () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        for (const entry of entries) this.upsert.run(entry.namespace, entry.id, String(entry.value), expiresAt);
        this.db.exec('COMMIT');
      } catch (error) {
        // SQLite may already have rolled back on its own (a full disk, an I/O error).
        try {
          this.db.exec('ROLLBACK');
        } catch {}
        throw error;
      }
    });
    this.writesSinceSweep += entries.length;
    if (this.writesSinceSweep >= SWEEP_EVERY) this.purgeExpired();
  }

  async removeEntity(namespace: string, id: string): Promise<void> {
    checkKey(namespace, id);
    this.run('remove', () => this.deleteOne.run(namespace, id));
  }

  /** Delete expired rows now (also done every 1,000 writes). Returns nothing; reads skip them anyway. */
  purgeExpired(): void {
    this.writesSinceSweep = 0;
    this.run('sweep', () => this.sweep.run(this.now()));
  }

  private run<T>(operation: string, statement: () => T): T {
    try {
      return statement();
    } catch (error) {
      throw new RemoteStoreError(operation, error);
    }
  }
}
