/**
 * The simulator's REST API (/api/v10 and /api/v9). The `Simulator` class routes every plain
 * HTTP request of its server to `handle`. Order of checks, as Discord applies them: auth,
 * injected faults, the global limit, the route bucket, then the route itself (whose changes go
 * through the world, which emits the gateway dispatches).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBody, readRaw } from './body.js';
import type { RestServerContext } from './context.js';
import { httpErrors, RestHttpError } from './errors.js';
import { RestFaults } from './faults.js';
import { type BucketName, epochNow, type LimitSpec, RestRateLimits } from './rateLimits.js';
import { type RestLogEntry, RestRequestLog } from './requestLog.js';
import { bucketHeaders, sendJSON, sendRateLimited, sendServerError } from './responses.js';
import { type RouteMatch, Router } from './router.js';
import { ROUTES } from './routes/index.js';

/** Options of the simulated REST server, passed as `rest` to {@link Simulator.start}. */
export interface SimulatorRestOptions {
  /** Per-bucket limits to use instead of the defaults (see DEFAULT_BUCKET_LIMITS). */
  rateLimits?: Partial<Record<BucketName, LimitSpec>>;
  /** The per-token global limit (default 50 per 1000 ms). */
  globalLimit?: LimitSpec;
  /** Most request-log entries kept (default 200,000). */
  maxLogEntries?: number;
}

const API_PREFIX = /^\/api\/v(9|10)(?=\/|$)/;

/**
 * The simulator's REST API (/api/v10 and /api/v9), reached as `simulator.rest`. It checks auth, injected
 * `faults`, the global limit and the route bucket in Discord's order, serves the route from the world, and
 * records every request in `log`.
 */
export class SimulatorRest {
  readonly rateLimits: RestRateLimits;
  readonly faults = new RestFaults();
  readonly log: RestRequestLog;
  private readonly router = new Router(ROUTES);

  constructor(
    readonly context: RestServerContext,
    options: SimulatorRestOptions = {}
  ) {
    this.rateLimits = new RestRateLimits(options.rateLimits, options.globalLimit);
    this.log = new RestRequestLog(options.maxLogEntries);
  }

  /** Answer one HTTP request. Never throws; errors become Discord-shaped JSON bodies. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    this.serve(req, res).catch((error: unknown) => {
      // A bug in a handler must not take the simulator down: answer 500 like Discord would.
      if (!res.headersSent) sendJSON(res, 500, { message: '500: Internal Server Error', code: 0 });
      else res.destroy();
      process.emitWarning(`simulator REST handler failed: ${error instanceof Error ? error.stack : String(error)}`);
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = epochNow();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://simulator');
    const entry: RestLogEntry = {
      method,
      path: url.pathname,
      route: '',
      bucket: '',
      major: '',
      status: 0,
      time,
      injected: false
    };
    const raw = await readRaw(req);
    const status = await this.respond(req, res, url, raw, entry);
    entry.status = status;
    this.log.record(entry);
  }

  /** Writes the response and returns its status. */
  private async respond(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    raw: Buffer,
    entry: RestLogEntry
  ): Promise<number> {
    const prefix = API_PREFIX.exec(url.pathname);
    let match: RouteMatch;
    try {
      if (!prefix) throw httpErrors.notFound();
      const path = url.pathname.slice(prefix[0].length) || '/';
      entry.path = path;
      const isPublic = entry.method === 'GET' && path.replace(/\/$/, '') === '/gateway';
      if (!isPublic && req.headers.authorization !== `Bot ${this.context.token}`) throw httpErrors.unauthorized();
      match = this.router.match(entry.method, path);
    } catch (error) {
      return this.sendError(res, error);
    }
    entry.route = match.route.template;
    entry.major = match.major;
    const bucketName = match.route.bucket;
    if (bucketName) entry.bucket = this.rateLimits.hash(bucketName);

    const fault = this.faults.next(match.route.template);
    if (fault) {
      entry.injected = true;
      if (fault.kind === 'unauthorized') return this.sendError(res, httpErrors.unauthorized());
      if (fault.kind === 'server-error') {
        sendServerError(res, fault.status);
        return fault.status;
      }
      entry.scope = fault.scope;
      const headers = bucketName ? this.peekHeaders(bucketName, fault.retryAfterMs) : {};
      sendRateLimited(res, fault.scope, fault.retryAfterMs, headers);
      return 429;
    }

    if (match.route.auth) {
      const wait = this.rateLimits.takeGlobal(this.context.token);
      if (wait > 0) {
        entry.scope = 'global';
        sendRateLimited(res, 'global', wait, {});
        return 429;
      }
    }

    let headers: Record<string, string> = {};
    if (bucketName) {
      const decision = this.rateLimits.take(bucketName, match.major);
      headers = bucketHeaders(decision);
      if (!decision.allowed) {
        entry.scope = 'user';
        sendRateLimited(res, 'user', decision.resetAfterMs, headers);
        return 429;
      }
    }

    try {
      const body = await parseBody(raw, req.headers['content-type']);
      if (entry.method === 'POST' || entry.method === 'PATCH') entry.body = body.value;
      const result = match.route.handle({
        context: this.context,
        params: match.params,
        query: new URL(req.url ?? '/', 'http://simulator').searchParams,
        body: body.value,
        files: body.files
      });
      sendJSON(res, result.status, result.body, headers);
      return result.status;
    } catch (error) {
      return this.sendError(res, error, headers);
    }
  }

  /** Bucket headers for an injected 429: remaining 0 until the storm's retry_after. */
  private peekHeaders(name: BucketName, retryAfterMs: number): Record<string, string> {
    const spec = this.rateLimits.spec(name);
    return bucketHeaders({
      allowed: false,
      limit: spec.limit,
      remaining: 0,
      resetAfterMs: retryAfterMs,
      resetAtEpochMs: epochNow() + retryAfterMs,
      hash: this.rateLimits.hash(name)
    });
  }

  private sendError(res: ServerResponse, error: unknown, headers: Record<string, string> = {}): number {
    if (!(error instanceof RestHttpError)) throw error;
    sendJSON(res, error.status, error.body(), headers);
    return error.status;
  }
}
