/**
 * A local Discord on one port of 127.0.0.1: REST under /api/v10 (and v9) and the gateway on
 * WebSocket upgrades of any path, both over one world.
 *
 *   const sim = await Simulator.start({ guilds: 2000, seed: 'demo' });
 *   // point a client at sim.restURL / sim.gatewayURL with token sim.token
 *   await sim.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayFaults } from './gateway/faults.js';
import { DEFAULT_GATEWAY_OPTIONS, GatewayServer, type GatewayServerOptions } from './gateway/GatewayServer.js';
import type { GatewayStats } from './gateway/stats.js';
import type { RestServerContext } from './rest/context.js';
import { SimulatorRest, type SimulatorRestOptions } from './rest/SimulatorRest.js';
import { TrafficDriver } from './traffic/TrafficDriver.js';
import type { WorldOptions } from './world/types.js';
import { World } from './world/World.js';

/**
 * Options for {@link Simulator.start}: world size and seed, token, port, and any gateway limit to override
 * (each defaults to Discord's real value in {@link DEFAULT_GATEWAY_OPTIONS}).
 */
export interface SimulatorOptions extends Partial<Omit<GatewayServerOptions, 'token'>> {
  /** Number of guilds in the world. */
  guilds: number;
  /** World seed (default "athena"). */
  seed?: string | number;
  /** The bot token clients must present (default "simulator"). */
  token?: string;
  /** TCP port on 127.0.0.1 (default 0: an ephemeral port). */
  port?: number;
  /** Recommended shard count for GET /gateway/bot (default: one per 1000 guilds). */
  shards?: number;
  /** Further world shape options (user pool, sizes, skew). */
  world?: Omit<WorldOptions, 'seed' | 'guilds'>;
  /** REST server options (rate limits, log size). */
  rest?: SimulatorRestOptions;
}

/**
 * A local Discord on one 127.0.0.1 port: REST under /api/v10 and the gateway on WebSocket upgrades, both
 * serving one seeded {@link World}. Tests point a real client at {@link Simulator.restURL} and {@link
 * Simulator.gatewayURL}, drive events through `traffic` and inject faults through `faults`.
 */
export class Simulator {
  readonly world: World;
  readonly gateway: GatewayServer;
  readonly rest: SimulatorRest;
  readonly traffic: TrafficDriver;
  readonly faults: GatewayFaults;
  readonly token: string;
  private readonly server: Server;
  private readonly recommended: number;
  private port = 0;
  private closing: Promise<void> | null = null;

  private constructor(options: SimulatorOptions) {
    const token = options.token ?? 'simulator';
    if (typeof token !== 'string' || token.length === 0 || /\s/.test(token)) {
      throw new TypeError('Simulator option "token" must be a non-empty string without spaces');
    }
    this.token = token;
    this.world = new World({ ...options.world, seed: options.seed ?? 'athena', guilds: options.guilds });
    const gatewayOptions: GatewayServerOptions = { ...DEFAULT_GATEWAY_OPTIONS, ...stripUndefined(options), token };
    validateGatewayOptions(gatewayOptions);
    this.recommended = options.shards ?? Math.max(1, Math.ceil(options.guilds / 1000));
    if (!Number.isInteger(this.recommended) || this.recommended < 1) {
      throw new TypeError('Simulator option "shards" must be a positive integer');
    }
    this.gateway = new GatewayServer(this.world, gatewayOptions, () => this.gatewayURL);
    const context: RestServerContext = {
      world: this.world,
      token,
      gatewayURL: () => this.gatewayURL,
      recommendedShards: () => this.recommended,
      sessionStartLimit: () => this.gateway.sessionStartLimit()
    };
    this.rest = new SimulatorRest(context, options.rest);
    this.traffic = new TrafficDriver(this.world, () => this.gateway.writable(), this.world.seedHash);
    this.faults = new GatewayFaults(this.gateway);
    this.server = createServer((req, res) => this.rest.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => this.gateway.handleUpgrade(req, socket, head));
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  /** Build the world and listen on 127.0.0.1. */
  static async start(options: SimulatorOptions): Promise<Simulator> {
    if (typeof options !== 'object' || options === null) throw new TypeError('Simulator.start needs an options object');
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new TypeError('Simulator option "port" must be 0..65535');
    const sim = new Simulator(options);
    await new Promise<void>((resolve, reject) => {
      sim.server.once('error', reject);
      sim.server.listen(port, '127.0.0.1', () => {
        sim.server.off('error', reject);
        resolve();
      });
    });
    sim.port = (sim.server.address() as AddressInfo).port;
    return sim;
  }

  get restURL(): string {
    return `http://127.0.0.1:${this.port}/api/v10`;
  }

  get gatewayURL(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Gateway accounting (identifies, resumes, dispatches per session). */
  get stats(): GatewayStats {
    return this.gateway.stats;
  }

  /**
   * Stop traffic, close every gateway session and socket, then the HTTP server. Idempotent: repeated calls
   * return the same promise.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.traffic.stop();
      await this.gateway.close();
      const rest = this.rest as unknown as { close?: () => unknown };
      if (typeof rest.close === 'function') await rest.close();
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    })();
    return this.closing;
  }
}

function stripUndefined(options: SimulatorOptions): Partial<GatewayServerOptions> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_GATEWAY_OPTIONS)) {
    const value = (options as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as Partial<GatewayServerOptions>;
}

function validateGatewayOptions(o: GatewayServerOptions): void {
  const positiveInts: (keyof GatewayServerOptions)[] = [
    'heartbeatInterval',
    'maxConcurrency',
    'sessionStartTotal',
    'maxGuildsPerShard',
    'replayBufferSize',
    'replayBufferBytes',
    'dispatchLogLimit',
    'memberChunkSize'
  ];
  for (const key of positiveInts) {
    const value = o[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new TypeError(`Simulator option "${key}" must be a positive integer (received ${String(value)})`);
    }
  }
  for (const key of ['identifyIntervalMs', 'resumeWindowMs', 'requestMembersCooldownMs', 'reconnectGraceMs'] as const) {
    if (typeof o[key] !== 'number' || !(o[key] >= 0)) throw new TypeError(`Simulator option "${key}" must be >= 0`);
  }
  if (!Number.isInteger(o.privilegedIntents) || o.privilegedIntents < 0) {
    throw new TypeError('Simulator option "privilegedIntents" must be an intents bitfield');
  }
  const limit = o.sendLimit;
  if (typeof limit !== 'object' || limit === null || !(limit.count >= 1) || !(limit.windowMs > 0)) {
    throw new TypeError('Simulator option "sendLimit" must be { count >= 1, windowMs > 0 }');
  }
}
