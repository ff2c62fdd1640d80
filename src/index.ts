/** Athena's public API: everything a user imports comes from here. */
export * from './util/index.js';
