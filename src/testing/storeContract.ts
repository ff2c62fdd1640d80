/**
 * The RemoteCacheStore contract as a test suite, for Athena's own stores and for authors of other
 * backends (SQL, Memcached, HTTP…):
 *
 * ```ts
 * import { test } from 'node:test';
 * import assert from 'node:assert/strict';
 * import { runRemoteCacheStoreContract } from 'athena/testing';
 * runRemoteCacheStoreContract('MyStore', () => ({ store: new MyStore(), cleanup: () => … }), { test, assert });
 * ```
 *
 * The test runner's functions are passed in (node:test's `test` and `node:assert/strict` fit; so do
 * other runners with the same shapes) so this module does not load a test runner when imported.
 * `makeStore` is called once per case and must give an empty store (e.g. a fresh random prefix);
 * `cleanup` runs after each case, also on failure.
 */
import type { RemoteCacheStore } from '../cache/stores/RemoteCacheStore.js';

/**
 * What `makeStore` gives {@link runRemoteCacheStoreContract} for one case: an empty store, and how to dispose
 * of it.
 */
export interface StoreUnderTest {
  store: RemoteCacheStore;
  /**
   * Runs after the case, also when it failed (drop the test prefix, close connections); may return a promise.
   */
  cleanup?: () => unknown;
}

/**
 * The test runner functions the contract suite uses, passed in so importing this module loads no test runner.
 */
export interface ContractHarness {
  /** node:test's `test`, or a compatible function. */
  test: (name: string, options: { skip?: string | boolean; timeout?: number }, fn: () => Promise<void>) => unknown;
  /** `node:assert/strict`, or a compatible object. */
  assert: {
    /** Strict equality (`===`-like) assertion; throws on mismatch. */
    equal(actual: unknown, expected: unknown, message?: string): void;
    /** Deep strict equality assertion; throws on mismatch. */
    deepEqual(actual: unknown, expected: unknown, message?: string): void;
    /** Truthiness assertion; throws when `value` is falsy. */
    ok(value: unknown, message?: string): void;
    /** Resolves when `block`'s promise rejects, rejects when it fulfils. */
    rejects(block: () => Promise<unknown>, message?: string): Promise<void>;
  };
}

/** Options of {@link runRemoteCacheStoreContract}. */
export interface ContractOptions {
  /** Skip the whole suite with this reason (registered as one loud skipped test). */
  skip?: string;
  /** Run the expiry cases (they wait about 2 s). Default true. */
  ttl?: boolean;
  /** Per-case timeout in ms (default 20,000). */
  timeout?: number;
}

type Case = (store: RemoteCacheStore, assert: ContractHarness['assert']) => Promise<void>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sorted = (values: string[]) => [...values].sort();

const CASES: Record<string, Case> = {
  async 'a missing record reads as null, a written one as written'(store, assert) {
    assert.equal(await store.getEntity('user', '1'), null);
    await store.setEntity('user', '1', '{"id":"1","username":"a"}');
    assert.equal(await store.getEntity('user', '1'), '{"id":"1","username":"a"}');
  },

  async 'setEntity overwrites and removeEntity deletes (twice is fine)'(store, assert) {
    await store.setEntity('user', '2', 'first');
    await store.setEntity('user', '2', 'second');
    assert.equal(await store.getEntity('user', '2'), 'second');
    await store.removeEntity('user', '2');
    assert.equal(await store.getEntity('user', '2'), null);
    await store.removeEntity('user', '2');
    await store.removeEntity('never-written', '2');
  },

  async 'getEntities answers in order, with nulls and duplicates, and [] for []'(store, assert) {
    await store.setEntity('user', '10', 'ten');
    await store.setEntity('user', '30', 'thirty');
    assert.deepEqual(await store.getEntities('user', ['30', '20', '10', '30']), ['thirty', null, 'ten', 'thirty']);
    assert.deepEqual(await store.getEntities('user', []), []);
  },

  async 'getEntities over 1,200 ids (several round trips)'(store, assert) {
    const ids = Array.from({ length: 1200 }, (_, i) => String(1_000_000 + i));
    await Promise.all(ids.filter((_, i) => i % 3 === 0).map((id) => store.setEntity('bulk', id, `v${id}`)));
    const values = await store.getEntities('bulk', ids);
    assert.equal(values.length, ids.length);
    ids.forEach((id, i) => {
      assert.equal(values[i], i % 3 === 0 ? `v${id}` : null, `id ${id}`);
    });
  },

  async 'namespaces are separate: siblings, prefixes and nested namespaces'(store, assert) {
    await store.setEntity('member', '1', 'm');
    await store.setEntity('member2', '1', 'm2');
    await store.setEntity('member:100', '1', 'guild100');
    await store.setEntity('member:100', '2', 'guild100b');
    await store.setEntity('user', '1', 'u');
    assert.equal(await store.getEntity('member', '1'), 'm');
    assert.equal(await store.getEntity('member2', '1'), 'm2');
    assert.deepEqual(await store.getAllEntities('member'), ['m']);
    assert.deepEqual(sorted(await store.getAllEntities('member:100')), ['guild100', 'guild100b']);
    assert.deepEqual(await store.getAllEntities('member:1'), []);
    assert.deepEqual(await store.getAllEntities('nothing-here'), []);
  },

  async 'glob characters in a namespace match only themselves'(store, assert) {
    await store.setEntity('we*rd[ns]?', '1', 'literal');
    await store.setEntity('weXrdnns!', '1', 'other');
    await store.setEntity('we\\rd', '1', 'backslash');
    assert.deepEqual(await store.getAllEntities('we*rd[ns]?'), ['literal']);
    assert.deepEqual(await store.getAllEntities('we*'), []);
    assert.deepEqual(await store.getAllEntities('we\\rd'), ['backslash']);
  },

  async 'getAllEntities lists every record of a namespace (2,500)'(store, assert) {
    const ids = Array.from({ length: 2500 }, (_, i) => String(5000 + i));
    await Promise.all(ids.map((id) => store.setEntity('many', id, id)));
    const all = await store.getAllEntities('many');
    assert.equal(all.length, 2500);
    assert.deepEqual(sorted(all), sorted(ids));
  },

  async 'values round-trip byte for byte (unicode, quotes, 200 KB)'(store, assert) {
    const odd = '{"name":"Zoë 🦊 \\"quoted\\" \\u0000 ☃","nl":"a\\nb"}';
    const big = JSON.stringify({ blob: 'x'.repeat(200_000) });
    await store.setEntity('odd', '1', odd);
    await store.setEntity('odd', '2', big);
    await store.setEntity('odd', '3', '');
    assert.equal(await store.getEntity('odd', '1'), odd);
    assert.equal(await store.getEntity('odd', '2'), big);
    assert.deepEqual(await store.getEntities('odd', ['3']), ['']);
  },

  async 'concurrent writes to distinct ids all land'(store, assert) {
    const ids = Array.from({ length: 300 }, (_, i) => String(i + 1));
    await Promise.all(ids.map((id) => store.setEntity('race', id, `v${id}`)));
    const values = await store.getEntities('race', ids);
    assert.ok(
      values.every((v, i) => v === `v${ids[i]}`),
      'every write is readable'
    );
  },

  async 'an invalid id or namespace rejects instead of writing an ambiguous key'(store, assert) {
    await assert.rejects(() => store.setEntity('user', '', 'x'));
    await assert.rejects(() => store.setEntity('', '1', 'x'));
    await assert.rejects(() => store.setEntity('a', 'b:c', 'x'));
  }
};

const TTL_CASES: Record<string, Case> = {
  async 'a record written with ttlSeconds expires; one without does not'(store, assert) {
    await store.setEntity('ttl', '1', 'short', 1);
    await store.setEntity('ttl', '2', 'kept');
    assert.equal(await store.getEntity('ttl', '1'), 'short');
    await sleep(2100);
    assert.equal(await store.getEntity('ttl', '1'), null);
    assert.deepEqual(await store.getEntities('ttl', ['1', '2']), [null, 'kept']);
    assert.deepEqual(await store.getAllEntities('ttl'), ['kept']);
  }
};

/** Register the contract's cases with `harness.test`, each against a fresh store. */
export function runRemoteCacheStoreContract(
  name: string,
  makeStore: () => StoreUnderTest | Promise<StoreUnderTest>,
  harness: ContractHarness,
  options: ContractOptions = {}
): void {
  if (options.skip) {
    console.warn(`[${name} store contract] SKIPPED: ${options.skip}`);
    harness.test(`${name} store contract`, { skip: options.skip }, async () => {});
    return;
  }
  const cases = { ...CASES, ...(options.ttl === false ? {} : TTL_CASES) };
  for (const [title, run] of Object.entries(cases)) {
    harness.test(`${name} store contract: ${title}`, { timeout: options.timeout ?? 20_000 }, async () => {
      const { store, cleanup } = await makeStore();
      try {
        await run(store, harness.assert);
      } finally {
        await cleanup?.();
      }
    });
  }
}
