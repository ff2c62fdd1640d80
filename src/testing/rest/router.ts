/**
 * Matches a request path against route templates such as
 * /guilds/:guild_id/members/:user_id/roles/:role_id. Literal segments win over parameters
 * (so /users/@me is not read as a user id), and snowflake parameters are validated the way
 * Discord validates them (50035 NUMBER_TYPE_COERCE).
 */
import type { RestServerContext } from './context.js';
import { httpErrors, invalidForm } from './errors.js';
import type { BucketName } from './rateLimits.js';

export interface RouteCall {
  context: RestServerContext;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (or multipart payload_json), or undefined. */
  body: unknown;
  /** Number of files attached to a multipart request. */
  files: number;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  template: string;
  /** The rate-limit bucket, or null for routes that are not limited per route. */
  bucket: BucketName | null;
  /** Whether `Authorization: Bot <token>` is required (all but GET /gateway). */
  auth: boolean;
  handle(call: RouteCall): RouteResult;
}

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
  /** guild_id, channel_id or webhook_id(+token) value, '' if none. */
  major: string;
}

const MAJOR_PARAMS = ['channel_id', 'guild_id', 'webhook_id'];
const NON_SNOWFLAKE_PARAMS = new Set(['emoji', 'webhook_token']);

interface Compiled {
  route: RouteDef;
  segments: string[];
}

export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: RouteDef[]) {
    this.compiled = routes.map((route) => ({ route, segments: route.template.split('/').filter(Boolean) }));
  }

  /** Find the route for a path (without the /api/vN prefix). Throws 404/405/50035 RestHttpErrors. */
  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').filter(Boolean);
    let pathMatched = false;
    for (const { route, segments } of this.compiled) {
      const params = matchSegments(segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      validateSnowflakes(params);
      const majorName = MAJOR_PARAMS.find((name) => name in params);
      let major = majorName ? params[majorName] : '';
      if (majorName === 'webhook_id' && params.webhook_token) major += `/${params.webhook_token}`;
      return { route, params, major };
    }
    throw pathMatched ? httpErrors.methodNotAllowed() : httpErrors.notFound();
  }
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.startsWith(':')) {
      // A literal sibling (e.g. @me) is listed earlier; a parameter never swallows '@me'.
      if (parts[i] === '@me') return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(parts[i]);
      } catch {
        params[segment.slice(1)] = parts[i];
      }
    } else if (segment !== parts[i]) {
      return undefined;
    }
  }
  return params;
}

function validateSnowflakes(params: Record<string, string>): void {
  for (const [name, value] of Object.entries(params)) {
    if (NON_SNOWFLAKE_PARAMS.has(name)) continue;
    if (!/^\d{1,20}$/.test(value)) {
      throw invalidForm({ [name]: ['NUMBER_TYPE_COERCE', `Value "${value}" is not snowflake.`] });
    }
  }
}
