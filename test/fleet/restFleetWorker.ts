/**
 * One process of the fleet REST test (test/fleet/restFleet.test.ts), started with
 * `node --import tsx`: its own Redis connection, its own FleetRestLimiter and its own RestClient,
 * against the parent's simulator. It says "ready", waits for "go" (so the four start together),
 * runs its workload and sends back what happened.
 */
import { Redis } from 'ioredis';
import { FleetBreakerOpenError, FleetRestLimiter, type FleetRestLimiterOptions, RestClient } from '../../src/index.js';

/** What the parent passes in ATHENA_REST_FLEET_WORKER (JSON). */
export interface WorkerConfig {
  name: string;
  restURL: string;
  token: string;
  limiter: FleetRestLimiterOptions;
  /**
   * hammer: send every path of `paths` at once and wait for all;
   * untilRefused: `loops` loops each send `paths[0]` again and again until the fleet refuses.
   */
  workload:
    | { kind: 'hammer'; paths: string[] }
    | { kind: 'untilRefused'; paths: string[]; loops: number; deadlineMs: number };
}

/** What a worker reports back. */
export interface WorkerResult {
  name: string;
  ok: number;
  /** Error names (DiscordRESTError:401, FleetBreakerOpenError, …) and how often. */
  errors: Record<string, number>;
  rateLimited: number;
  limiter: FleetRestLimiter['stats'];
  elapsedMs: number;
}

const config = JSON.parse(process.env.ATHENA_REST_FLEET_WORKER ?? 'null') as WorkerConfig | null;
if (!config || !process.send) throw new Error('restFleetWorker runs as a child of restFleet.test.ts');

const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
redis.on('error', () => {});
const limiter = new FleetRestLimiter(redis, {
  ...config.limiter,
  logger: (m) => console.warn(`[${config.name}] ${m}`)
});
const rest = new RestClient(config.token, { baseURL: config.restURL, retries: 0, limitCoordinator: limiter });
await redis.ping();

const errors: Record<string, number> = {};
let ok = 0;
function count(error: unknown): void {
  const e = error as { name?: string; status?: number };
  const key = e.status ? `${e.name}:${e.status}` : String(e.name ?? error);
  errors[key] = (errors[key] ?? 0) + 1;
}

async function run(workload: WorkerConfig['workload']): Promise<void> {
  if (workload.kind === 'hammer') {
    await Promise.all(
      workload.paths.map((path) =>
        rest.request('GET', path).then(
          () => ok++,
          (error) => count(error)
        )
      )
    );
    return;
  }
  const until = Date.now() + workload.deadlineMs;
  await Promise.all(
    Array.from({ length: workload.loops }, async () => {
      while (Date.now() < until) {
        try {
          await rest.request('GET', workload.paths[0]);
          ok++;
        } catch (error) {
          count(error);
          if (error instanceof FleetBreakerOpenError) return;
        }
      }
    })
  );
}

process.once('message', async () => {
  const started = performance.now();
  await run(config.workload);
  const result: WorkerResult = {
    name: config.name,
    ok,
    errors,
    rateLimited: rest.stats.rateLimited,
    limiter: { ...limiter.stats },
    elapsedMs: performance.now() - started
  };
  process.send?.({ result }, () => {
    void rest.destroy().then(() => {
      redis.disconnect();
      process.disconnect();
    });
  });
});
process.send({ ready: true });
