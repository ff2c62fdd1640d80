/** Athena's public API: everything a user imports comes from here. */

export * from './Client.js';
export * from './cache/index.js';
export type { ClientCacheOptions, ClientOptions } from './client/options.js';
export * from './cluster/index.js';
export * from './fleet/index.js';
export type { AnyMessage, ClientEvents, DispatchEvents, ReactionEmoji, Uncached } from './gateway/dispatch/events.js';
export type { CachedChannel, DispatchContext, DispatchHandler } from './gateway/dispatch/index.js';
export { dispatchHandlers, MalformedDispatchError } from './gateway/dispatch/index.js';
export * from './gateway/index.js';
export * from './permissions/index.js';
export * from './rest/index.js';
export * from './structures/index.js';
export * from './util/index.js';
