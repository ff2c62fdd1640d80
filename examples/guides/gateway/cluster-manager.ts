import { ClusterManager, FleetMetricsServer } from 'athena';
import type { BotProtocol } from './cluster-bot.js';

const manager = new ClusterManager<BotProtocol>({
  file: new URL('./cluster-bot.ts', import.meta.url).pathname,
  token: process.env.DISCORD_TOKEN, // only for GET /gateway/bot ('auto' shards, max_concurrency)
  clusters: 4,
  totalShards: 'auto'
});
manager.on('ready', (id) => console.log(`cluster ${id} ready`));
manager.on('respawn', (id, delayMs) => console.log(`cluster ${id} crashed; respawn in ${delayMs} ms`));

await manager.spawn();
await manager.waitForReady();
const guilds = await manager.requestAll('guildCount', null);
console.log(`${manager.totalShards} shards, ${guilds.reduce((a, b) => a + b, 0)} guilds`);

const metrics = new FleetMetricsServer(manager, { port: 9100 }); // /metrics and /stats on 127.0.0.1
await metrics.listen();

process.once('SIGHUP', () => void manager.rollingRestart()); // one cluster at a time, resuming
process.once('SIGTERM', () => void manager.shutdown().then(() => metrics.close()));
