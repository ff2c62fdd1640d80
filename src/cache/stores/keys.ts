import { InvalidOptionError } from '../../util/errors.js';

/**
 * Namespaces and ids must be non-empty strings and ids must not contain ':', because a key is
 * `namespace + ':' + id`: with a ':' in an id, (`a`, `b:c`) and (`a:b`, `c`) would be one key.
 */
export function checkKey(namespace: string, id: string): void {
  if (typeof namespace !== 'string' || namespace.length === 0) {
    throw new InvalidOptionError('namespace', 'a non-empty string', namespace);
  }
  if (typeof id !== 'string' || id.length === 0 || id.includes(':')) {
    throw new InvalidOptionError('id', "a non-empty string without ':'", id);
  }
}

export function checkNamespace(namespace: string): void {
  if (typeof namespace !== 'string' || namespace.length === 0) {
    throw new InvalidOptionError('namespace', 'a non-empty string', namespace);
  }
}

/** A TTL option: undefined, or a positive integer number of seconds. */
export function checkTTL(option: string, ttlSeconds: unknown): number | undefined {
  if (ttlSeconds === undefined) return undefined;
  if (typeof ttlSeconds === 'number' && Number.isInteger(ttlSeconds) && ttlSeconds > 0) return ttlSeconds;
  throw new InvalidOptionError(option, 'a positive integer number of seconds', ttlSeconds);
}

/** Escape Redis glob metacharacters so a prefix like `bot[1]*` matches only itself in SCAN MATCH. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\^]/g, '\\$&');
}
