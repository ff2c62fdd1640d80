#!/usr/bin/env node
/**
 * `athena-sim`: run the simulator from the command line until SIGINT/SIGTERM.
 *
 *   athena-sim --guilds 20000 --port 0 --token T --seed S [--max-concurrency N] [--shards N] [--traffic RATE]
 *
 * The first three lines of output are always `rest: URL`, `gateway: URL` and `token: T`.
 */
import { Simulator } from './Simulator.js';

interface CliOptions {
  guilds: number;
  port: number;
  token: string;
  seed: string;
  maxConcurrency?: number;
  shards?: number;
  traffic?: number;
  heartbeatInterval?: number;
}

const USAGE =
  'usage: athena-sim --guilds N [--port P] [--token T] [--seed S] [--max-concurrency N] [--shards N] [--traffic EVENTS_PER_SEC] [--heartbeat-interval MS]';

class UsageError extends Error {}

function parseArguments(argv: string[]): CliOptions {
  const values = new Map<string, string>();
  const known = ['guilds', 'port', 'token', 'seed', 'max-concurrency', 'shards', 'traffic', 'heartbeat-interval'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') throw new UsageError('');
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    let name = arg.slice(2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    } else {
      value = argv[++i];
    }
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
    if (value === undefined || value.startsWith('--')) throw new UsageError(`option --${name} needs a value`);
    values.set(name, value);
  }
  const integer = (name: string, min: number, max: number): number | undefined => {
    const raw = values.get(name);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got "${raw}")`);
    }
    return Number(raw);
  };
  const guilds = integer('guilds', 1, 10_000_000);
  if (guilds === undefined) throw new UsageError('--guilds is required');
  const token = values.get('token') ?? 'simulator';
  if (token.length === 0 || /\s/.test(token)) throw new UsageError('--token must be non-empty without spaces');
  const trafficRaw = values.get('traffic');
  let traffic: number | undefined;
  if (trafficRaw !== undefined) {
    traffic = Number(trafficRaw);
    if (!Number.isFinite(traffic) || traffic <= 0)
      throw new UsageError(`--traffic must be a positive number of events per second (got "${trafficRaw}")`);
  }
  return {
    guilds,
    port: integer('port', 0, 65535) ?? 0,
    token,
    seed: values.get('seed') ?? 'athena',
    maxConcurrency: integer('max-concurrency', 1, 1024),
    shards: integer('shards', 1, 100_000),
    traffic,
    heartbeatInterval: integer('heartbeat-interval', 1, 3_600_000)
  };
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(`athena-sim: ${error.message}`);
    console.error(USAGE);
    process.exit(error.message ? 2 : 0);
  }
  const sim = await Simulator.start({
    guilds: options.guilds,
    port: options.port,
    token: options.token,
    seed: options.seed,
    maxConcurrency: options.maxConcurrency,
    shards: options.shards,
    heartbeatInterval: options.heartbeatInterval
  });
  console.log(`rest: ${sim.restURL}`);
  console.log(`gateway: ${sim.gatewayURL}`);
  console.log(`token: ${sim.token}`);
  console.log(`world: ${options.guilds} guilds, seed ${options.seed}; Ctrl-C to stop`);
  if (options.traffic !== undefined) {
    // Runs until stopped; the promise settles on close.
    void sim.traffic.run({
      events: Number.MAX_SAFE_INTEGER,
      rate: options.traffic,
      mix: { reaction: 4, message: 2, typing: 1, presence: 1, memberUpdate: 1 }
    });
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1)
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`athena-sim: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
