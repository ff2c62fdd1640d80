/** Writing Discord-shaped responses: JSON bodies, rate-limit headers, 429 bodies, 5xx pages. */
import type { ServerResponse } from 'node:http';
import type { BucketDecision } from './rateLimits.js';
import type { RateLimitScope } from './requestLog.js';

/** Seconds with millisecond precision, rounded up so a client never wakes before the reset. */
export function seconds(ms: number): number {
  // Rounded to the microsecond before the ceiling: a window's (now + length) - now can come out a
  // hair above its length in floating point (300.0000000000001), which would read as 0.301 s.
  return Math.ceil(Math.max(0, Math.round(ms * 1000) / 1000)) / 1000;
}

export function bucketHeaders(decision: BucketDecision): Record<string, string> {
  return {
    'x-ratelimit-limit': String(decision.limit),
    'x-ratelimit-remaining': String(Math.max(0, decision.remaining)),
    'x-ratelimit-reset': (Math.ceil(decision.resetAtEpochMs) / 1000).toFixed(3),
    'x-ratelimit-reset-after': seconds(decision.resetAfterMs).toFixed(3),
    'x-ratelimit-bucket': decision.hash
  };
}

export function sendJSON(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A 429 exactly as Discord sends it for each scope. */
export function sendRateLimited(
  res: ServerResponse,
  scope: RateLimitScope,
  retryAfterMs: number,
  bucket: Record<string, string>
): void {
  const retryAfter = seconds(retryAfterMs);
  const headers: Record<string, string> = {
    ...(scope === 'global' ? {} : bucket),
    'retry-after': String(Math.ceil(retryAfter)),
    'x-ratelimit-scope': scope
  };
  if (scope === 'global') headers['x-ratelimit-global'] = 'true';
  sendJSON(
    res,
    429,
    {
      message: scope === 'shared' ? 'The resource is being rate limited.' : 'You are being rate limited.',
      retry_after: retryAfter,
      global: scope === 'global'
    },
    headers
  );
}

const BAD_GATEWAY_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';

/** 500 as JSON, 502 as Cloudflare's HTML page, 503 as an upstream's plain text. */
export function sendServerError(res: ServerResponse, status: 500 | 502 | 503): void {
  if (status === 500) {
    sendJSON(res, 500, { message: '500: Internal Server Error', code: 0 });
  } else if (status === 502) {
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end(BAD_GATEWAY_PAGE);
  } else {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('upstream connect error or disconnect/reset before headers. reset reason: overflow');
  }
}
