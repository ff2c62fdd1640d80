export * from './bits.js';
export * from './compute.js';
export * from './overwrites.js';
