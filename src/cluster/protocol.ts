/**
 * The messages a ClusterManager and its cluster processes exchange over the Node IPC channel
 * (`serialization: 'advanced'`, so Maps, BigInts and Dates survive). Every message carries an
 * `athena` tag naming its kind; anything else on the channel is ignored, never evaluated.
 */
import type { SessionInfo } from '../gateway/SessionStore.js';
import type { ClusterStats } from './stats.js';

/**
 * The user's request/response protocol: op name → request and response types. Both ends are
 * typed from it: `manager.request(cluster, 'guildCount', {})` and `context.handle('guildCount', …)`.
 */
export type ClusterProtocol = Record<string, { request: unknown; response: unknown }>;

/** What a cluster process learns from its environment (`ATHENA_CLUSTER`, JSON). */
export interface ClusterAssignment {
  clusterID: number;
  clusterCount: number;
  firstShardID: number;
  lastShardID: number;
  totalShards: number;
  maxConcurrency: number;
}

export const ASSIGNMENT_ENV = 'ATHENA_CLUSTER';

/** Reserved op the manager uses to gather stats (user ops must not start with `athena:`). */
export const STATS_OP = 'athena:stats';

export type ShardEventName = 'ready' | 'resume' | 'disconnect';

/** Cluster process → manager. */
export type WorkerMessage =
  | { athena: 'ready' }
  | { athena: 'shard'; shardID: number; event: ShardEventName }
  | { athena: 'identify'; id: number; shardID: number }
  | { athena: 'identifyCancel'; id: number }
  | { athena: 'identifySent'; id: number }
  | { athena: 'sessionGet'; id: number; shardID: number }
  | { athena: 'sessionSet'; shardID: number; version: number; session: SessionInfo }
  | { athena: 'sessionDelete'; shardID: number; version: number }
  | { athena: 'reply'; id: number; ok: true; data: unknown }
  | { athena: 'reply'; id: number; ok: false; error: string }
  | { athena: 'send'; data: unknown }
  | { athena: 'stopped' };

/** Manager → cluster process. */
export type ManagerMessage =
  | { athena: 'identifyGrant'; id: number }
  | { athena: 'identifyError'; id: number; error: string }
  | { athena: 'sessionValue'; id: number; session: SessionInfo | null }
  | { athena: 'request'; id: number; op: string; data: unknown }
  | { athena: 'broadcast'; data: unknown }
  | { athena: 'stop'; keepSessions: boolean };

export type StatsReply = ClusterStats;

const WORKER_KINDS: ReadonlySet<string> = new Set([
  'ready',
  'shard',
  'identify',
  'identifyCancel',
  'identifySent',
  'sessionGet',
  'sessionSet',
  'sessionDelete',
  'reply',
  'send',
  'stopped'
]);
const MANAGER_KINDS: ReadonlySet<string> = new Set([
  'identifyGrant',
  'identifyError',
  'sessionValue',
  'request',
  'broadcast',
  'stop'
]);

function tagged(value: unknown, kinds: ReadonlySet<string>): value is { athena: string } {
  if (value === null || typeof value !== 'object') return false;
  const tag = (value as { athena?: unknown }).athena;
  return typeof tag === 'string' && kinds.has(tag);
}

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return tagged(value, WORKER_KINDS);
}

export function isManagerMessage(value: unknown): value is ManagerMessage {
  return tagged(value, MANAGER_KINDS);
}

export function isShardID(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isSessionInfo(value: unknown): value is SessionInfo {
  if (value === null || typeof value !== 'object') return false;
  const s = value as Record<string, unknown>;
  return typeof s.sessionID === 'string' && Number.isSafeInteger(s.seq) && typeof s.resumeURL === 'string';
}

/** Parse and check `ATHENA_CLUSTER`; null when absent or malformed. */
export function parseAssignment(text: string | undefined): ClusterAssignment | null {
  if (!text) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== 'object') return null;
  const a = raw as Record<string, unknown>;
  const keys = ['clusterID', 'clusterCount', 'firstShardID', 'lastShardID', 'totalShards', 'maxConcurrency'] as const;
  for (const key of keys) if (!isShardID(a[key])) return null;
  const out = Object.fromEntries(keys.map((k) => [k, a[k]])) as unknown as ClusterAssignment;
  if (out.firstShardID > out.lastShardID || out.lastShardID >= out.totalShards || out.maxConcurrency < 1) return null;
  return out;
}
