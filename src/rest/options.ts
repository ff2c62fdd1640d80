/** RestClient options, their defaults, and validation with clear errors. */
import { DEFAULT_REST_BASE_URL } from '../util/constants.js';
import { InvalidOptionError } from '../util/errors.js';
import { isRestLimitCoordinator, type RestLimitCoordinator } from './RestLimitCoordinator.js';

/** How much the REST client logs. */
export type RestLogLevel = 'debug' | 'warn';

/** Options of the REST client: base URL, timeouts, retries, global rate and the invalid-request guard. */
export interface RestOptions {
  /** API base with version, e.g. https://discord.com/api/v10 or http://127.0.0.1:PORT/api/v10. */
  baseURL?: string;
  /** Per-attempt timeout in milliseconds (default 15,000). */
  timeout?: number;
  /** Extra attempts after a network error or 5xx, for idempotent requests only (default 3). */
  retries?: number;
  /** Global requests per second for this token (default 50; Infinity disables the global limiter). */
  globalRequestsPerSecond?: number;
  /** Invalid requests (401/403/429) allowed per window before the client stops (default 7,500). */
  invalidRequestLimit?: number;
  /** Window of the invalid-request guard in milliseconds (default 600,000 = Discord's 10 minutes). */
  invalidRequestWindowMs?: number;
  /** Most 429s one request may meet before it fails with a DiscordRESTError (default 10). */
  maxRateLimitRetries?: number;
  /** Base of the exponential retry backoff in milliseconds (default 250). */
  retryBackoffMs?: number;
  /** Safety margin added to the global window to absorb network jitter (default 20 ms). */
  globalMarginMs?: number;
  /** Keep-alive connections per origin (default 32). */
  connections?: number;
  /** Receives debug and warn messages (token already redacted). */
  logger?: (level: RestLogLevel, message: string) => void;
  /**
   * Shares route buckets, the global limit and the invalid-request count with the bot's other
   * processes (e.g. the fleet's `FleetRestLimiter` over Redis). Consulted after this client's own
   * limiters let a request go. Default: none (limits are this process's alone).
   */
  limitCoordinator?: RestLimitCoordinator;
}

export interface ResolvedRestOptions extends Required<Omit<RestOptions, 'logger' | 'limitCoordinator'>> {
  logger: RestOptions['logger'];
  limitCoordinator: RestLimitCoordinator | undefined;
  /** Origin (scheme://host:port) of baseURL. */
  origin: string;
  /** Path prefix of baseURL without a trailing slash, e.g. /api/v10. */
  basePath: string;
}

/** The REST options' default values. */
export const REST_DEFAULTS = {
  baseURL: DEFAULT_REST_BASE_URL,
  timeout: 15_000,
  retries: 3,
  globalRequestsPerSecond: 50,
  invalidRequestLimit: 7_500,
  invalidRequestWindowMs: 600_000,
  maxRateLimitRetries: 10,
  retryBackoffMs: 250,
  globalMarginMs: 20,
  connections: 32
} as const;

function positive(name: string, value: unknown, allowInfinity = false): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0 || (!allowInfinity && !Number.isFinite(value))) {
    throw new InvalidOptionError(
      `rest.${name}`,
      allowInfinity ? 'a positive number or Infinity' : 'a positive finite number',
      value
    );
  }
  return value;
}

function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(`rest.${name}`, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

export function resolveRestOptions(token: unknown, options: RestOptions = {}): ResolvedRestOptions & { token: string } {
  if (typeof token !== 'string' || token.trim().length === 0 || /\s/.test(token.trim())) {
    // Never echo the value: it may be a real token with a typo.
    throw new InvalidOptionError(
      'token',
      'a non-empty bot token string without spaces',
      typeof token === 'string' ? '(a malformed string)' : token
    );
  }
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('rest', 'an object', options);
  const o = { ...REST_DEFAULTS, ...stripUndefined(options) };
  if (typeof o.baseURL !== 'string') throw new InvalidOptionError('rest.baseURL', 'a URL string', o.baseURL);
  let url: URL;
  try {
    url = new URL(o.baseURL);
  } catch {
    throw new InvalidOptionError('rest.baseURL', 'an absolute http(s) URL', o.baseURL);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidOptionError('rest.baseURL', 'an http: or https: URL', o.baseURL);
  }
  if (options.logger !== undefined && typeof options.logger !== 'function') {
    throw new InvalidOptionError('rest.logger', 'a function (level, message) => void', options.logger);
  }
  if (options.limitCoordinator !== undefined && !isRestLimitCoordinator(options.limitCoordinator)) {
    throw new InvalidOptionError(
      'rest.limitCoordinator',
      'an object with acquire(target) and report(permit, target, outcome)',
      options.limitCoordinator
    );
  }
  return {
    token: token.trim().replace(/^Bot\s+/i, ''),
    baseURL: o.baseURL,
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    timeout: positive('timeout', o.timeout),
    retries: integer('retries', o.retries, 0, 10),
    globalRequestsPerSecond: positive('globalRequestsPerSecond', o.globalRequestsPerSecond, true),
    invalidRequestLimit: integer('invalidRequestLimit', o.invalidRequestLimit, 1, 10_000),
    invalidRequestWindowMs: positive('invalidRequestWindowMs', o.invalidRequestWindowMs),
    maxRateLimitRetries: integer('maxRateLimitRetries', o.maxRateLimitRetries, 0, 1_000),
    retryBackoffMs: positive('retryBackoffMs', o.retryBackoffMs),
    globalMarginMs:
      typeof o.globalMarginMs === 'number' && o.globalMarginMs >= 0
        ? o.globalMarginMs
        : positive('globalMarginMs', o.globalMarginMs),
    connections: integer('connections', o.connections, 1, 4096),
    logger: options.logger,
    limitCoordinator: options.limitCoordinator
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
