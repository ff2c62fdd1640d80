export { ClusterContext, getClusterContext } from './ClusterContext.js';
export {
  type ClusterInfo,
  ClusterManager,
  type ClusterManagerEvents,
  type ClusterManagerOptions,
  defaultRespawnDelay
} from './ClusterManager.js';
export { ClusterRequestError, type ClusterShardState, type ClusterState } from './ClusterProcess.js';
export {
  FleetMetricsServer,
  type FleetMetricsServerOptions,
  type FleetSnapshot,
  fleetSnapshot
} from './FleetMetricsServer.js';
export { IdentifyQueueUnavailableError, IpcIdentifyQueue } from './IpcIdentifyQueue.js';
export { IpcSessionStore } from './IpcSessionStore.js';
export { type ShardRange, splitShardRange } from './layout.js';
export type { ClusterAssignment, ClusterProtocol } from './protocol.js';
export {
  RedisIdentifyQueue,
  type RedisIdentifyQueueOptions,
  type RedisIdentifyQueueStats,
  type RedisLockClient
} from './RedisIdentifyQueue.js';
export type { BackpressureClusterStats, ClusterStats, RemoteTierStats, ShardFleetStats } from './stats.js';
