/** A ShardManager wired to record everything it emits, for assertions (including "no token anywhere"). */
import { type GatewayOptions, ShardManager, type ShardManagerDependencies } from '../../../src/gateway/index.js';

export interface Delivered {
  shard: number;
  session: string | null;
  t: string;
  s: number;
  d: unknown;
}

export interface Harness {
  manager: ShardManager;
  delivered: Delivered[];
  /** Every event the manager emitted, as [name, ...args]. */
  emitted: unknown[][];
  errors: Error[];
  /** Everything emitted, serialised, to search for secrets. */
  transcript(): string;
}

const EVENTS = [
  'ready',
  'shardReady',
  'shardResume',
  'shardDisconnect',
  'debug',
  'warn',
  'error',
  'guildMembersRateLimited',
  'connect'
] as const;

const live = new Set<ShardManager>();

/** Disconnect every manager a test created (call from `after`, so a failing test cannot hang the runner). */
export function disconnectAll(): void {
  for (const manager of live) manager.disconnect();
  live.clear();
}

export function harness(token: string, options: GatewayOptions, dependencies: ShardManagerDependencies = {}): Harness {
  const delivered: Delivered[] = [];
  const emitted: unknown[][] = [];
  const errors: Error[] = [];
  const manager = new ShardManager(
    token,
    { reconnectDelay: () => 5, invalidSessionDelay: [5, 15], identifyWindow: 50, ...options },
    {
      sink: (shard, t, d, s) => delivered.push({ shard: shard.id, session: shard.sessionID, t, s, d }),
      ...dependencies
    }
  );
  live.add(manager);
  for (const name of EVENTS) {
    manager.on(name, (...args: unknown[]) => {
      emitted.push([name, ...args]);
      if (name === 'error') errors.push(args[0] as Error);
    });
  }
  return {
    manager,
    delivered,
    emitted,
    errors,
    transcript: () =>
      emitted
        .map((entry) =>
          entry
            .map((value) =>
              value instanceof Error ? `${value.name}: ${value.message} ${value.stack}` : JSON.stringify(value)
            )
            .join(' ')
        )
        .join('\n')
  };
}
