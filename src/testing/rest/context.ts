/**
 * What the simulator's REST server needs from the rest of the simulator. The `Simulator` class
 * (src/testing/Simulator.ts) builds one context and hands it to `SimulatorRest`; the gateway server
 * shares the same session-start budget, so GET /gateway/bot reports what identifies really used.
 */
import type { WorldLike } from '../world/types.js';

export interface SessionStartLimit {
  total: number;
  remaining: number;
  /** Milliseconds until the budget resets. */
  reset_after: number;
  max_concurrency: number;
}

export interface RestServerContext {
  world: WorldLike;
  /** The valid bot token (without the "Bot " prefix). */
  token: string;
  /** ws://127.0.0.1:PORT, what GET /gateway and /gateway/bot return as `url`. */
  gatewayURL(): string;
  /** Recommended shard count for GET /gateway/bot. */
  recommendedShards(): number;
  /** The live session start budget (decremented by the gateway on each identify). */
  sessionStartLimit(): SessionStartLimit;
}
