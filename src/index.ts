/** Athena's public API: everything a user imports comes from here. */

export * from './cache/index.js';
export * from './util/index.js';
export * from './gateway/index.js';
export * from './rest/index.js';
export * from './permissions/index.js';
export * from './structures/index.js';
