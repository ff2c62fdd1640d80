/**
 * Minimal runtime checks for dispatch payloads. The gateway delivers parsed JSON from the network:
 * a handler reads a field only after checking its type here, and a payload missing what it needs
 * raises `MalformedDispatchError`, which the client counts and reports instead of crashing.
 */
import { AthenaError } from '../../util/errors.js';

export class MalformedDispatchError extends AthenaError {
  override name = 'MalformedDispatchError';
  constructor(
    readonly event: string,
    readonly field: string
  ) {
    super(`${event}: missing or invalid "${field}"`);
  }
}

export type Payload = Record<string, unknown>;

export function asPayload(event: string, data: unknown): Payload {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new MalformedDispatchError(event, 'd');
  return data as Payload;
}

export function idField(event: string, data: Payload, field: string): string {
  const value = data[field];
  if (typeof value !== 'string' || value.length === 0) throw new MalformedDispatchError(event, field);
  return value;
}

export function optionalID(data: Payload, field: string): string | undefined {
  const value = data[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function objectField(event: string, data: Payload, field: string): Payload {
  const value = data[field];
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new MalformedDispatchError(event, field);
  return value as Payload;
}

export function arrayField(data: Payload, field: string): unknown[] {
  const value = data[field];
  return Array.isArray(value) ? value : [];
}

/** The user id of a payload's `user` object (members, presences, removals). */
export function userIDOf(event: string, data: Payload): string {
  return idField(event, objectField(event, data, 'user'), 'id');
}
