import { type Client, RemoteBackedCollection } from 'athena';

/** One line of numbers to size the hot sets from: log it every minute on each cluster. */
export function cacheReport(client: Client): string {
  const heapMB = Math.round(process.memoryUsage().heapUsed / 1_048_576);
  const tiers = client.fetchStats; // fetchUser: hotHits, storeHits, restLoads, storeErrors…
  const users = client.users instanceof RemoteBackedCollection ? client.users.stats : undefined;
  const writes = users ? `${users.flushed} written, ${users.dropped} dropped, ${users.errors} failed` : 'no store';
  return [
    `heap ${heapMB} MB`,
    `users ${client.users.size}/${client.users.limit} (evicted ${client.users.evictions})`,
    `members evicted by budget ${client.memberBudget?.evictions ?? 0}`,
    `fetchUser hot ${tiers.hotHits} store ${tiers.storeHits} rest ${tiers.restLoads} errors ${tiers.storeErrors}`,
    `user writes: ${writes}`
  ].join(' · ');
}
