/** The REST client over the full `Simulator` (shared HTTP server with the gateway): REST changes reach the gateway. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { RESTMethods, RestClient } from '../../src/rest/index.js';
import { Simulator } from '../../src/testing/index.js';
import { roleTargets } from './targets.js';

test('a role added over REST arrives as GUILD_MEMBER_UPDATE on the gateway', async () => {
  const sim = await Simulator.start({
    guilds: 20,
    seed: 'rest-over-sim',
    rest: { rateLimits: { 'member.roles': { limit: 5, windowMs: 200 } } }
  });
  const rest = new RestClient(sim.token, { baseURL: sim.restURL });
  const api = new RESTMethods(rest);
  let ws: WebSocket | undefined;
  try {
    const gateway = await api.getBotGateway();
    assert.equal(gateway.url, sim.gatewayURL);
    // Connect only now, so HELLO is not missed while awaiting REST.
    const socket = new WebSocket(`${gateway.url}/?v=10&encoding=json`);
    ws = socket;
    const [target] = roleTargets(sim.world, 1);
    let created = 0;
    const update = new Promise<{ roles: string[]; user: { id: string } }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no GUILD_MEMBER_UPDATE within 15 s')), 15_000);
      socket.on('close', () => clearTimeout(timer));
      socket.on('error', reject);
      socket.on('message', (data) => {
        const packet = JSON.parse(String(data));
        if (packet.op === 10) {
          socket.send(
            JSON.stringify({
              op: 2,
              d: {
                token: sim.token,
                intents: (1 << 0) | (1 << 1),
                properties: { os: 'linux', browser: 'test', device: 'test' },
                shard: [0, 1]
              }
            })
          );
        } else if (packet.t === 'GUILD_CREATE' && ++created === sim.world.guildCount) {
          // Once the session holds every guild, a change to one of them is dispatched to it.
          api.addGuildMemberRole(target.guildID, target.userID, target.roleID, 'test').catch(reject);
        } else if (packet.t === 'GUILD_MEMBER_UPDATE' && packet.d.user.id === target.userID) {
          clearTimeout(timer);
          resolve(packet.d);
        }
      });
    });
    const d = await update;
    assert.ok(d.roles.includes(target.roleID));
    // Many toggles through the real server: no 429 caused by the client.
    const toggles = Array.from({ length: 30 }, (_, i) =>
      i % 2 === 0
        ? api.removeGuildMemberRole(target.guildID, target.userID, target.roleID)
        : api.addGuildMemberRole(target.guildID, target.userID, target.roleID)
    );
    await Promise.all(toggles);
    assert.equal(sim.rest.log.rateLimits().causedByClient, 0);
    assert.ok(sim.rest.log.maxInWindow(200, (e) => e.route.endsWith('/roles/:role_id')) <= 5 * 2);
  } finally {
    ws?.terminate();
    await rest.destroy();
    await sim.close();
  }
});
