/** The cache layer: collections, the hot-set budget, remote stores, write queue and tiered resolver. */
export * from './CacheBudget.js';
export * from './Collection.js';
export * from './errors.js';
export * from './NullCollection.js';
export * from './stores/index.js';
export type * from './types.js';
