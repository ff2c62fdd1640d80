/** The cache layer: collections, the hot-set budget, remote stores, write queue and tiered resolver. */
export * from './CacheBudget.js';
export * from './Collection.js';
export * from './errors.js';
export * from './NullCollection.js';
export * from './RemoteBackedCollection.js';
export * from './RemoteWriteQueue.js';
export * from './SlotClock.js';
export * from './safeJson.js';
export * from './stores/index.js';
export * from './TieredResolver.js';
export type * from './types.js';
