/**
 * Discord's JSON error bodies. A route handler throws `RestHttpError`; SimulatorRest turns it
 * into `{ message, code }` (plus `errors` for 50035) with the matching HTTP status.
 */

/** One leaf of a 50035 `errors` tree: `{ _errors: [{ code, message }] }`. */
export interface FormErrorLeaf {
  _errors: { code: string; message: string }[];
}

/** Nested form errors keyed by field path, as Discord sends them under `errors`. */
export interface FormErrors {
  [field: string]: FormErrors | FormErrorLeaf[keyof FormErrorLeaf] | FormErrorLeaf;
}

export class RestHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FormErrors
  ) {
    super(message);
    this.name = 'RestHttpError';
  }

  body(): { message: string; code: number; errors?: FormErrors } {
    return this.errors
      ? { message: this.message, code: this.code, errors: this.errors }
      : { message: this.message, code: this.code };
  }
}

/** Messages of the JSON error codes the simulator answers with, worded as Discord words them. */
export const ErrorMessages: Record<number, string> = {
  0: 'General error',
  10003: 'Unknown Channel',
  10004: 'Unknown Guild',
  10007: 'Unknown Member',
  10008: 'Unknown Message',
  10011: 'Unknown Role',
  10013: 'Unknown User',
  10014: 'Unknown Emoji',
  50001: 'Missing Access',
  50005: 'Cannot edit a message authored by another user',
  50006: 'Cannot send an empty message',
  50013: 'Missing Permissions',
  50035: 'Invalid Form Body',
  50109: 'The request body contains invalid JSON.'
};

/** The HTTP status each code is conventionally answered with. */
const StatusOf: Record<number, number> = {
  10003: 404,
  10004: 404,
  10007: 404,
  10008: 404,
  10011: 404,
  10013: 404,
  10014: 400,
  50001: 403,
  50005: 403,
  50006: 400,
  50013: 403,
  50035: 400,
  50109: 400
};

export function discordError(code: number, message = ErrorMessages[code] ?? 'General error'): RestHttpError {
  return new RestHttpError(StatusOf[code] ?? 400, code, message);
}

/** A 50035 error for one or more fields: `invalidForm({ limit: ['NUMBER_TYPE_MAX', '...'] })`. */
export function invalidForm(fields: Record<string, [code: string, message: string]>): RestHttpError {
  const errors: FormErrors = {};
  for (const [path, [code, message]] of Object.entries(fields)) {
    // Nested paths ("embeds.0.title") become nested objects, as Discord nests them.
    const keys = path.split('.');
    let node: FormErrors = errors;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as FormErrors;
    node[keys[keys.length - 1]] = { _errors: [{ code, message }] };
  }
  return new RestHttpError(400, 50035, 'Invalid Form Body', errors);
}

/** HTTP-level errors that carry code 0 and the "STATUS: Reason" message Discord uses. */
export const httpErrors = {
  unauthorized: () => new RestHttpError(401, 0, '401: Unauthorized'),
  notFound: () => new RestHttpError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new RestHttpError(405, 0, '405: Method Not Allowed')
};
