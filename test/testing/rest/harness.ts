/**
 * A bare HTTP server around SimulatorRest and a real World, for REST tests that do not need the
 * gateway. (The full `Simulator` wires the same SimulatorRest into its server.)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatorRest, type SimulatorRestOptions } from '../../../src/testing/rest/SimulatorRest.js';
import { World } from '../../../src/testing/world/World.js';

export interface RestHarness {
  url: string;
  token: string;
  world: World;
  rest: SimulatorRest;
  close(): Promise<void>;
}

export async function startRestHarness(
  options: SimulatorRestOptions & { guilds?: number; seed?: string } = {}
): Promise<RestHarness> {
  const token = 'test-token.secret.value';
  const world = new World({ seed: options.seed ?? 'rest', guilds: options.guilds ?? 5 });
  const rest = new SimulatorRest(
    {
      world,
      token,
      gatewayURL: () => 'ws://127.0.0.1:1',
      recommendedShards: () => 1,
      sessionStartLimit: () => ({ total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 })
    },
    options
  );
  const server = createServer((req, res) => rest.handle(req, res));
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/v10`,
    token,
    world,
    rest,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
