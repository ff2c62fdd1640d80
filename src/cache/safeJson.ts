/**
 * JSON.parse for values read from a shared store, which another process (or an attacker with
 * store access) may have written: never throws, and drops `__proto__`, `constructor` and
 * `prototype` keys at every depth so a record can never smuggle a prototype into code that later
 * merges it with Object.assign or a deep merge.
 *
 * The reviver costs about 2× a plain parse, so it runs only when the text could contain such a
 * key: when one of the names or any `\u` escape (which could spell one) appears in it.
 */
const RISKY = /__proto__|constructor|prototype|\\u/;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function dropForbidden(key: string, value: unknown): unknown {
  return FORBIDDEN_KEYS.has(key) ? undefined : value;
}

/** The outcome of parsing a stored JSON value: the value, or why it was refused. */
export type ParseResult = { ok: true; value: unknown } | { ok: false; reason: 'unparsable' | 'not-an-object' };

/** Parse a stored record; ok only for a plain JSON object (records are objects). */
export function parseStoredRecord(text: string): ParseResult {
  let value: unknown;
  try {
    value = RISKY.test(text) ? JSON.parse(text, dropForbidden) : JSON.parse(text);
  } catch {
    return { ok: false, reason: 'unparsable' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, reason: 'not-an-object' };
  return { ok: true, value };
}
