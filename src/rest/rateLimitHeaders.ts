/** Reading Discord's rate-limit headers and 429 bodies. */
import type { IncomingHttpHeaders } from 'node:http';
import type { BucketState } from './Bucket.js';

/** The scope of a 429 as Discord reports it: user, global or shared. */
export type RateLimitScope = 'user' | 'global' | 'shared';

export interface ParsedRateLimit extends BucketState {
  hash: string | undefined;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The bucket state from X-RateLimit-* headers, or undefined when the response had none. */
export function parseRateLimitHeaders(headers: IncomingHttpHeaders): ParsedRateLimit | undefined {
  const limit = Number(header(headers, 'x-ratelimit-limit'));
  const remaining = Number(header(headers, 'x-ratelimit-remaining'));
  let resetAfter = Number(header(headers, 'x-ratelimit-reset-after'));
  if (!Number.isFinite(resetAfter)) {
    // Older proxies send only the absolute reset (epoch seconds).
    const reset = Number(header(headers, 'x-ratelimit-reset'));
    if (Number.isFinite(reset)) resetAfter = Math.max(0, reset - Date.now() / 1000);
  }
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !Number.isFinite(resetAfter)) return undefined;
  return {
    limit: Math.max(1, limit),
    remaining: Math.max(0, remaining),
    resetAfterMs: resetAfter * 1000,
    hash: header(headers, 'x-ratelimit-bucket')
  };
}

export interface RateLimitAnswer {
  scope: RateLimitScope;
  retryAfterMs: number;
}

/** Scope and wait of a 429 from its headers and body (the body's float seconds win). */
export function parseRateLimitAnswer(headers: IncomingHttpHeaders, body: unknown): RateLimitAnswer {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const scopeHeader = header(headers, 'x-ratelimit-scope');
  const global = fields.global === true || header(headers, 'x-ratelimit-global') === 'true';
  const scope: RateLimitScope =
    scopeHeader === 'shared' || scopeHeader === 'global' || scopeHeader === 'user'
      ? scopeHeader
      : global
        ? 'global'
        : 'user';
  let retryAfterMs = typeof fields.retry_after === 'number' ? fields.retry_after * 1000 : Number.NaN;
  if (!Number.isFinite(retryAfterMs)) retryAfterMs = Number(header(headers, 'retry-after')) * 1000;
  if (!Number.isFinite(retryAfterMs) || retryAfterMs < 0) retryAfterMs = 1_000;
  return { scope, retryAfterMs };
}
