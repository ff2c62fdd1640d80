/**
 * Athena's REST client: undici with keep-alive, pre-emptive per-route buckets, a global limit,
 * an invalid-request guard, and retries that never send a non-idempotent request twice.
 *
 * A request goes: route key → bucket queue (waits for room in its bucket, then for the global
 * limit) → the limit coordinator, when one is set (the bot's other processes' share of the same
 * limits) → HTTP → the bucket (and the coordinator) learn from the headers → 429s by scope (user:
 * the bucket waits; global: everything waits; shared: only this request waits) → typed result or error.
 */
import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import { LIBRARY_VERSION } from '../util/constants.js';
import { redact } from '../util/errors.js';
import type { Bucket, Ticket } from './Bucket.js';
import { BucketRegistry } from './BucketRegistry.js';
import { DiscordHTTPError, DiscordRESTError, RESTRequestError } from './errors.js';
import { Gate } from './Gate.js';
import { GlobalLimiter } from './GlobalLimiter.js';
import { InvalidRequestGuard } from './InvalidRequestGuard.js';
import { type ResolvedRestOptions, type RestOptions, resolveRestOptions } from './options.js';
import type { RestLimitCoordinator, RestLimitOutcome, RestLimitTarget } from './RestLimitCoordinator.js';
import {
  type ParsedRateLimit,
  parseRateLimitAnswer,
  parseRateLimitHeaders,
  type RateLimitScope
} from './rateLimitHeaders.js';
import { encodeBody, encodeQuery, type FileContent, type QueryValue } from './requestBody.js';
import { type RouteInfo, routeInfo } from './routeKey.js';

/** An HTTP method the REST client sends. */
export type HTTPMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Options of one REST request: body, query, files, reason, authorization. */
export interface RequestOptions {
  /** JSON body (or `payload_json` when files are attached). */
  body?: unknown;
  files?: FileContent[];
  query?: Record<string, QueryValue>;
  /** Audit log reason (sent URI-encoded in X-Audit-Log-Reason). */
  reason?: string;
  /** Send without Authorization (GET /gateway). */
  auth?: boolean;
}

/** What the REST client reports when a request hit a rate limit. */
export interface RateLimitEvent {
  method: string;
  route: string;
  scope: RateLimitScope;
  retryAfterMs: number;
  bucket: string | undefined;
  /** True if the client's own accounting should have prevented it (a user-scope 429 on a known bucket). */
  unexpected: boolean;
}

/** Events of the RestClient: rate limits, debug and warnings. */
export interface RestClientEvents {
  debug: [message: string];
  warn: [message: string];
  rateLimit: [event: RateLimitEvent];
}

/** Methods whose retry cannot apply a change twice. POST and PATCH are never re-sent after an answer. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** The User-Agent header Athena sends, as Discord asks for it. */
export const USER_AGENT = `DiscordBot (https://github.com/athena, ${LIBRARY_VERSION})`;

/** A request the coordinator let through: what to give back once Discord has answered. */
interface SharedPermit {
  coordinator: RestLimitCoordinator;
  permit: unknown;
  target: RestLimitTarget;
}

interface Attempt {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * Discord's REST API: per-route buckets learned from headers, the global limit, the invalid-request guard,
 * typed errors.
 */
export class RestClient extends EventEmitter<RestClientEvents> {
  readonly options: Readonly<ResolvedRestOptions>;
  /** ES private so util.inspect and JSON never show it. */
  readonly #token: string;
  private readonly agent: Agent;
  private readonly gate: Gate;
  private readonly buckets: BucketRegistry;
  private readonly guard: InvalidRequestGuard;
  private coordinator: RestLimitCoordinator | undefined;
  private destroyed = false;
  /** Counters for stats and tests. */
  readonly stats = { requests: 0, sent: 0, rateLimited: 0, unexpectedRateLimits: 0, retries: 0, failures: 0 };

  constructor(token: string, options: RestOptions = {}) {
    super();
    const resolved = resolveRestOptions(token, options);
    this.#token = resolved.token;
    const { token: _hidden, ...visible } = resolved;
    this.options = Object.freeze(visible);
    this.agent = new Agent({ keepAliveTimeout: 30_000, connections: resolved.connections, pipelining: 1 });
    this.guard = new InvalidRequestGuard(resolved.invalidRequestLimit, resolved.invalidRequestWindowMs, (m) =>
      this.log('warn', m)
    );
    const global = new GlobalLimiter(resolved.globalRequestsPerSecond, 1_000, resolved.globalMarginMs);
    this.gate = new Gate(global, this.guard);
    this.buckets = new BucketRegistry(this.gate, (m) => this.log('debug', m));
    this.coordinator = resolved.limitCoordinator;
  }

  /**
   * Share this client's limits through `coordinator` from the next request on (undefined: this
   * process's limits alone). Requests already past their bucket keep the coordinator they met.
   */
  setLimitCoordinator(coordinator: RestLimitCoordinator | undefined): void {
    this.coordinator = coordinator;
  }

  /** The coordinator requests consult, if any. */
  get limitCoordinator(): RestLimitCoordinator | undefined {
    return this.coordinator;
  }

  /** Send one request through the rate limiter; resolves with the parsed JSON (undefined for 204). */
  async request<T>(method: HTTPMethod, path: string, options: RequestOptions = {}): Promise<T> {
    if (this.destroyed)
      throw new RESTRequestError({ method, route: path, path }, 'the REST client was destroyed', false);
    this.stats.requests++;
    const route = routeInfo(method, path);
    const description = { method: route.method, route: route.route, path: route.displayPath };
    const idempotent = IDEMPOTENT.has(route.method);
    let failures = 0;
    let rateLimits = 0;
    let front = false;
    for (;;) {
      const bucket = this.buckets.bucketFor(route);
      const ticket = await bucket.acquire(front);
      front = true; // any retry goes ahead of requests that came later
      // The local limiters said go; the bot's other processes get their say while this request
      // still holds its place in the bucket (counted in flight, so the bucket cannot refill early).
      const coordinator = this.coordinator;
      let shared: SharedPermit | undefined;
      if (coordinator) {
        const target: RestLimitTarget = {
          routeKey: route.key,
          route: route.route,
          majorParameter: route.majorParameter,
          bucketHash: this.buckets.hashOf(route.key)
        };
        try {
          shared = { coordinator, permit: await coordinator.acquire(target), target };
        } catch (error) {
          ticket.bucket.release(ticket, 'unknown');
          this.guard.abandon();
          this.stats.failures++;
          // The coordinator's typed refusal (e.g. the fleet's invalid-request breaker) is the answer.
          if (error instanceof Error) throw error;
          throw new RESTRequestError(description, redact(String(error), this.#token), false);
        }
        if (this.destroyed) {
          this.tellCoordinator(shared, 0, undefined, undefined);
          ticket.bucket.release(ticket, 'unknown');
          this.guard.abandon();
          throw new RESTRequestError(description, 'the REST client was destroyed', false);
        }
      }
      let attempt: Attempt;
      try {
        attempt = await this.send(route, path, options);
      } catch (error) {
        this.tellCoordinator(shared, 0, undefined, undefined);
        ticket.bucket.release(ticket, 'unknown');
        this.guard.abandon();
        const reason = this.describeNetworkError(error);
        if (idempotent && failures < this.options.retries) {
          failures++;
          this.stats.retries++;
          this.log(
            'debug',
            `${route.method} ${route.displayPath} ${reason.message}; retry ${failures}/${this.options.retries}`
          );
          await sleep(this.backoff(failures));
          continue;
        }
        this.stats.failures++;
        throw new RESTRequestError(description, redact(reason.message, this.#token), reason.timedOut, reason.code);
      }
      const limits = parseRateLimitHeaders(attempt.headers);
      this.buckets.learn(route, ticket.bucket, limits?.hash);
      const now = performance.now();

      if (attempt.status === 429) {
        const body = safeJSON(attempt.text);
        const answer = parseRateLimitAnswer(attempt.headers, body);
        this.tellCoordinator(shared, 429, limits, answer);
        this.guard.record(429, answer.scope, now);
        this.onRateLimited(route, ticket, answer.scope, answer.retryAfterMs, limits);
        if (++rateLimits > this.options.maxRateLimitRetries) {
          this.stats.failures++;
          throw new DiscordRESTError(description, 429, isObject(body) ? body : { message: 'rate limited' });
        }
        if (answer.scope === 'shared') await sleep(answer.retryAfterMs);
        continue;
      }

      this.tellCoordinator(shared, attempt.status, limits, undefined);
      ticket.bucket.release(ticket, limits ?? 'unlimited');
      this.guard.record(attempt.status, undefined, now);
      if (attempt.status >= 500 && idempotent && failures < this.options.retries) {
        failures++;
        this.stats.retries++;
        this.log(
          'debug',
          `${route.method} ${route.displayPath} answered ${attempt.status}; retry ${failures}/${this.options.retries}`
        );
        await sleep(this.backoff(failures));
        continue;
      }
      return this.result<T>(description, attempt);
    }
  }

  /** Stop: reject queued requests and close the connections. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.gate.destroy();
    this.buckets.destroy(
      new RESTRequestError({ method: '', route: '', path: '' }, 'the REST client was destroyed', false)
    );
    await this.agent.close();
  }

  /** The number of buckets currently tracked (for stats). */
  get bucketCount(): number {
    return this.buckets.size;
  }

  private async send(route: RouteInfo, path: string, options: RequestOptions): Promise<Attempt> {
    const { body, contentType } = encodeBody(options.body, options.files);
    const headers: Record<string, string> = { 'user-agent': USER_AGENT };
    if (options.auth !== false) headers.authorization = `Bot ${this.#token}`;
    if (contentType) headers['content-type'] = contentType;
    if (options.reason !== undefined) headers['x-audit-log-reason'] = encodeURIComponent(options.reason);
    const pathWithQuery = `${this.options.basePath}${path.startsWith('/') ? path : `/${path}`}${encodeQuery(options.query)}`;
    this.stats.sent++;
    const response = await this.agent.request({
      origin: this.options.origin,
      path: pathWithQuery,
      method: route.method as Dispatcher.HttpMethod,
      headers,
      body,
      // undici's own timers: far cheaper per request than an AbortSignal.timeout each.
      headersTimeout: this.options.timeout,
      bodyTimeout: this.options.timeout
    });
    let text = '';
    if (response.statusCode === 204) await response.body.dump();
    else text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  }

  /** Give the coordinator's permit back with what Discord said; its failures never fail the request. */
  private tellCoordinator(
    shared: SharedPermit | undefined,
    status: number,
    limits: ParsedRateLimit | undefined,
    rateLimit: RestLimitOutcome['rateLimit']
  ): void {
    if (!shared) return;
    const outcome: RestLimitOutcome = { status, headers: limits, rateLimit };
    try {
      shared.coordinator.report(shared.permit, shared.target, outcome);
    } catch (error) {
      this.log('warn', `limit coordinator failed to take a report: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  private onRateLimited(
    route: RouteInfo,
    ticket: Ticket,
    scope: RateLimitScope,
    retryAfterMs: number,
    limits: ReturnType<typeof parseRateLimitHeaders>
  ): void {
    this.stats.rateLimited++;
    const bucket: Bucket = ticket.bucket;
    // A user-scope 429 on a bucket whose limit we knew means our accounting was off.
    const unexpected = scope === 'user' && bucket.limit > 0;
    if (unexpected) this.stats.unexpectedRateLimits++;
    if (scope === 'global') {
      this.gate.global.pause(performance.now() + retryAfterMs);
      bucket.release(ticket, 'unknown');
    } else if (scope === 'shared') {
      // A shared-resource limit says nothing about our bucket: keep its accounting.
      bucket.release(ticket, limits ?? 'unknown');
    } else {
      bucket.rateLimited(ticket, retryAfterMs, limits);
    }
    const event: RateLimitEvent = {
      method: route.method,
      route: route.route,
      scope,
      retryAfterMs,
      bucket: limits?.hash,
      unexpected
    };
    this.emit('rateLimit', event);
    this.log(
      unexpected ? 'warn' : 'debug',
      `429 (${scope}) on ${route.method} ${route.displayPath}, retrying after ${retryAfterMs.toFixed(0)} ms`
    );
  }

  private result<T>(description: { method: string; route: string; path: string }, attempt: Attempt): T {
    const body = attempt.text.length > 0 ? safeJSON(attempt.text) : undefined;
    if (attempt.status >= 200 && attempt.status < 300) {
      if (attempt.text.length > 0 && body === INVALID) {
        this.stats.failures++;
        throw new DiscordHTTPError(description, attempt.status, redact(attempt.text, this.#token));
      }
      return body as T;
    }
    this.stats.failures++;
    if (isObject(body) && ('code' in body || 'message' in body)) {
      const error = new DiscordRESTError(description, attempt.status, body);
      error.message = redact(error.message, this.#token);
      throw error;
    }
    throw new DiscordHTTPError(description, attempt.status, redact(attempt.text, this.#token));
  }

  private backoff(failures: number): number {
    const base = this.options.retryBackoffMs * 2 ** (failures - 1);
    return base / 2 + Math.random() * (base / 2);
  }

  private describeNetworkError(error: unknown): { message: string; timedOut: boolean; code: string | undefined } {
    const name = error instanceof Error ? error.name : '';
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
    const timedOut = name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
    const message = timedOut
      ? `timed out after ${this.options.timeout} ms`
      : `${code ?? name ?? 'network error'}: ${error instanceof Error ? error.message : String(error)}`;
    return { message, timedOut, code };
  }

  private log(level: 'debug' | 'warn', message: string): void {
    const safe = redact(message, this.#token);
    this.options.logger?.(level, safe);
    if (this.listenerCount(level) > 0) this.emit(level, safe);
  }
}

const INVALID = Symbol('invalid JSON');

function safeJSON(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
