/** `athena/testing`: the local Discord simulator and test helpers for bot authors. */

export * from './storeContract.js';
export * from './world/types.js';
