/** Base of every error Athena throws on purpose, so users can tell ours from a bug. */
export class AthenaError extends Error {
  override name = 'AthenaError';
}

/** A client option has the wrong type or value; thrown at construction. */
export class InvalidOptionError extends AthenaError {
  override name = 'InvalidOptionError';
  constructor(
    readonly option: string,
    expected: string,
    received: unknown
  ) {
    super(`Invalid option "${option}": expected ${expected}, received ${describe(received)}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Replace every occurrence of a secret (the bot token) in a message. */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join('[REDACTED]');
}
