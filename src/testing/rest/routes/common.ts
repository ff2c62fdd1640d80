/** Helpers shared by the route handlers: world error mapping and query/body validation. */
import { WorldError } from '../../world/types.js';
import { discordError, invalidForm, RestHttpError } from '../errors.js';

/** Run a world mutation, turning its WorldError into the Discord error body it stands for. */
export function viaWorld<T>(mutate: () => T): T {
  try {
    return mutate();
  } catch (error) {
    if (error instanceof WorldError) throw new RestHttpError(error.status, error.code, error.message);
    throw error;
  }
}

/** Read an integer query parameter within [min, max], or its default; 50035 otherwise. */
export function intQuery(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw invalidForm({ [name]: ['NUMBER_TYPE_COERCE', `Value "${raw}" is not int.`] });
  if (value < min) {
    throw invalidForm({ [name]: ['NUMBER_TYPE_MIN', `int value should be greater than or equal to ${min}.`] });
  }
  if (value > max)
    throw invalidForm({ [name]: ['NUMBER_TYPE_MAX', `int value should be less than or equal to ${max}.`] });
  return value;
}

/** A snowflake query parameter, or undefined when absent. */
export function snowflakeQuery(query: URLSearchParams, name: string): string | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^\d{1,20}$/.test(raw))
    throw invalidForm({ [name]: ['NUMBER_TYPE_COERCE', `Value "${raw}" is not snowflake.`] });
  return raw;
}

/** The JSON object body, or a 50035 when the body is not an object. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidForm({ _root: ['DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType'] });
  }
  return body as Record<string, unknown>;
}

export function notFoundUnless<T>(value: T | undefined, code: number): T {
  if (value === undefined) throw discordError(code);
  return value;
}
