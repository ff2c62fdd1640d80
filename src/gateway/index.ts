export type { Decompressor, DecompressorPreference, DecompressorSink } from './compression/index.js';
export { createDecompressor } from './compression/index.js';
export * from './errors.js';
export { isKnownEvent } from './events.js';
export type { Envelope, EnvelopeHead } from './frame.js';
export { parseFrame, sniffEnvelope, validateEnvelope } from './frame.js';
export * from './IdentifyQueue.js';
export type { GuildMembersResult, RequestGuildMembersOptions } from './MemberRequests.js';
export * from './options.js';
export { SendQueue, type SendQueueOptions } from './SendQueue.js';
export * from './SessionStore.js';
export {
  type DispatchSink,
  gatewayURLWithQuery,
  Shard,
  type ShardContext,
  type ShardDisconnectOptions,
  type ShardEvents,
  type ShardStatus
} from './Shard.js';
export * from './ShardManager.js';
export { ShardStats } from './ShardStats.js';
