export {
  type BackpressureEvents,
  BackpressureMonitor,
  type BackpressureOptions,
  type BackpressureStats,
  backpressureOf,
  gateIdentifyQueue
} from './BackpressureMonitor.js';
export { FleetStoreError, SessionStartLimitError } from './errors.js';
export {
  attachFleetLimiter,
  FleetBreakerOpenError,
  FleetRestLimiter,
  type FleetRestLimiterEvents,
  type FleetRestLimiterOptions,
  type FleetRestLimiterStats,
  type FleetRestPermit
} from './FleetRestLimiter.js';
export {
  type FetchAllMembersOptions,
  type GuildMembersRequester,
  MemberChunkScheduler,
  type MemberChunkSchedulerStats
} from './MemberChunkScheduler.js';
export {
  LocalMemberRequestSlots,
  type MemberRequestSlots,
  type MemberRequestSlotsOptions,
  type MemberRequestSlotsStats,
  RedisMemberRequestSlots,
  type RedisMemberRequestSlotsOptions
} from './MemberRequestSlots.js';
export {
  type PressureGate,
  RedisIdentifyCoordinator,
  type RedisIdentifyCoordinatorOptions,
  type RedisIdentifyCoordinatorStats,
  type SessionStartLimitInfo
} from './RedisIdentifyCoordinator.js';
export {
  parseSession,
  RedisSessionStore,
  type RedisSessionStoreOptions,
  type RedisSessionStoreStats
} from './RedisSessionStore.js';
export { type FleetRedisClient, LuaScript, type RedisArg } from './redis.js';
