/** Starting a Client against a simulator, and waiting until it has read everything sent to it. */
import { once } from 'node:events';
import { Client } from '../../../src/Client.js';
import type { ClientOptions } from '../../../src/client/options.js';
import type { Simulator } from '../../../src/testing/index.js';
import type { IntentName } from '../../../src/util/constants.js';

/** Every intent whose events change the cache, but presences (test/client/presences.test.ts covers those). */
export const CACHE_INTENTS = [
  'Guilds',
  'GuildMembers',
  'GuildVoiceStates',
  'GuildMessages',
  'GuildMessageReactions',
  'GuildExpressions'
] satisfies IntentName[];

/** A Client pointed at the simulator, connected, with every shard's guilds received. */
export async function connectClient(sim: Simulator, options: ClientOptions = {}): Promise<Client> {
  const client = new Client(sim.token, {
    rest: { baseURL: sim.restURL },
    identifyWindow: 0,
    maxShards: 'auto',
    ...options
  });
  const ready = once(client, 'ready');
  await client.connect();
  await ready;
  return client;
}

/**
 * Resolves once every shard of the client has processed the last dispatch its server session
 * sent (its seq equals the server's), checked on a timer until `timeoutMs`.
 */
export async function settled(sim: Simulator, client: Client, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let behind = 0;
    for (const shard of client.shards.shards.values()) {
      const session = shard.sessionID === null ? undefined : sim.stats.session(shard.sessionID);
      if (session === undefined || session.seq !== shard.seq || session.pendingGuildCreates > 0) behind++;
    }
    if (behind === 0) return;
    if (Date.now() > deadline) throw new Error(`${behind} shard(s) still behind the simulator after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
