/**
 * Typed REST errors. None of them ever holds the bot token: messages are built from the route
 * template and Discord's answer, and are passed through `redact` as a last guard.
 */
import { AthenaError } from '../util/errors.js';

/** Discord's nested form-error tree (`errors` of a 50035), kept as sent. */
export interface DiscordErrorTree {
  [key: string]: DiscordErrorTree | { code: string; message: string }[];
}

interface RequestDescription {
  method: string;
  /** Route template, e.g. /channels/:channel_id/messages. */
  route: string;
  /** The request path with tokens masked. */
  path: string;
}

/** Discord answered with its JSON error body (`{ code, message, errors? }`). */
export class DiscordRESTError extends AthenaError {
  override name = 'DiscordRESTError';
  readonly status: number;
  readonly code: number;
  readonly method: string;
  readonly route: string;
  readonly path: string;
  readonly errors: DiscordErrorTree | undefined;
  /** Only for 429s that exhausted their retries: seconds Discord asked to wait. */
  readonly retryAfter: number | undefined;

  constructor(
    request: RequestDescription,
    status: number,
    body: { code?: unknown; message?: unknown; errors?: unknown; retry_after?: unknown }
  ) {
    const code = typeof body.code === 'number' ? body.code : 0;
    const discordMessage = typeof body.message === 'string' ? body.message : 'Unknown error';
    const errors = isTree(body.errors) ? body.errors : undefined;
    const details = errors
      ? flattenErrors(errors)
          .map((e) => `\n  ${e}`)
          .join('')
      : '';
    super(`${request.method} ${request.path} ${status}: ${discordMessage} (code ${code})${details}`);
    this.status = status;
    this.code = code;
    this.method = request.method;
    this.route = request.route;
    this.path = request.path;
    this.errors = errors;
    this.retryAfter = typeof body.retry_after === 'number' ? body.retry_after : undefined;
  }
}

/** The response was not Discord JSON (an HTML 502 from Cloudflare, plain text from a proxy). */
export class DiscordHTTPError extends AthenaError {
  override name = 'DiscordHTTPError';
  readonly status: number;
  readonly method: string;
  readonly route: string;
  readonly path: string;
  /** The first 200 characters of the body, for diagnosis. */
  readonly bodyExcerpt: string;

  constructor(request: RequestDescription, status: number, body: string) {
    super(`${request.method} ${request.path} ${status}: the response is not Discord JSON`);
    this.status = status;
    this.method = request.method;
    this.route = request.route;
    this.path = request.path;
    this.bodyExcerpt = body.slice(0, 200);
  }
}

/** The request never got a response: connection failure or the per-request timeout. */
export class RESTRequestError extends AthenaError {
  override name = 'RESTRequestError';
  readonly method: string;
  readonly route: string;
  readonly path: string;
  readonly timedOut: boolean;
  /** Network error code (ECONNREFUSED, UND_ERR_SOCKET, …) when there was one. */
  readonly errorCode: string | undefined;

  constructor(request: RequestDescription, reason: string, timedOut: boolean, errorCode?: string) {
    super(`${request.method} ${request.path} failed: ${reason}`);
    this.method = request.method;
    this.route = request.route;
    this.path = request.path;
    this.timedOut = timedOut;
    this.errorCode = errorCode;
  }
}

function isTree(value: unknown): value is DiscordErrorTree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `["content: Must be 2000 or fewer in length. (BASE_TYPE_MAX_LENGTH)", …]` */
export function flattenErrors(tree: DiscordErrorTree, prefix = ''): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(tree)) {
    if (key === '_errors' && Array.isArray(value)) {
      for (const e of value) lines.push(`${prefix || '(body)'}: ${e.message} (${e.code})`);
    } else if (isTree(value)) {
      const path = prefix ? (/^\d+$/.test(key) ? `${prefix}[${key}]` : `${prefix}.${key}`) : key;
      lines.push(...flattenErrors(value, path));
    }
  }
  return lines;
}
