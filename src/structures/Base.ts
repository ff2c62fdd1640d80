import { inspect } from 'node:util';
import { snowflakeTimestamp } from '../util/snowflake.js';

/**
 * Root of every structure: an id, `createdAt` from the snowflake, Eris's `toString` and a
 * `toJSON(props)` helper. Holds no fields itself, so subclasses choose whether `id` is a stored
 * field or (as in Member) a getter over another object.
 */
export abstract class Base {
  abstract readonly id: string;

  /** Milliseconds since the Unix epoch at which the id was made. */
  get createdAt(): number {
    return snowflakeTimestamp(this.id);
  }

  /** Eris's debug form, `[ClassName id]`. */
  toString(): string {
    return `[${this.constructor.name} ${this.id}]`;
  }

  /** Eris's form: `id`, `createdAt`, then each named property serialised. */
  toJSON(props: readonly string[] = []): Record<string, unknown> {
    const json: Record<string, unknown> = { id: this.id, createdAt: this.createdAt };
    const self = this as unknown as Record<string, unknown>;
    for (const prop of props) {
      const value = self[prop];
      if (value !== undefined) json[prop] = serialise(value);
    }
    return json;
  }

  /** Show getters' values, not the private compact fields, in console.log. */
  [inspect.custom](): Record<string, unknown> {
    return this.toJSON();
  }
}

function serialise(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  const withJSON = value as { toJSON?: () => unknown };
  if (typeof withJSON.toJSON === 'function') return withJSON.toJSON();
  if (value instanceof Map) return [...value.values()].map(serialise);
  if (Array.isArray(value)) return value.map(serialise);
  return value;
}
