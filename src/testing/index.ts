/** `athena/testing`: the local Discord simulator and test helpers for bot authors. */

export * from './gateway/faults.js';
export { DEFAULT_GATEWAY_OPTIONS, type FaultTarget, type GatewayServerOptions } from './gateway/GatewayServer.js';
export * from './gateway/stats.js';
export * from './rest/index.js';
export * from './Simulator.js';
export * from './storeContract.js';
export * from './traffic/TrafficDriver.js';
export * from './world/types.js';
export { World } from './world/World.js';
