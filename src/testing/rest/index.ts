/** The simulator's REST server and its knobs (limits, faults, request log) for `athena/testing`. */

export type { RestServerContext, SessionStartLimit } from './context.js';
export { type FaultSpan, type InjectedFault, RestFaults, type ServerErrorSpec, type StormSpec } from './faults.js';
export {
  type BucketName,
  DEFAULT_BUCKET_LIMITS,
  DEFAULT_GLOBAL_LIMIT,
  type LimitSpec,
  RestRateLimits
} from './rateLimits.js';
export { type RateLimitCounts, type RateLimitScope, type RestLogEntry, RestRequestLog } from './requestLog.js';
export { SimulatorRest, type SimulatorRestOptions } from './SimulatorRest.js';
