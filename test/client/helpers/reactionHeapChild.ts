/**
 * Child process of reactionHeap.test.ts (run with --expose-gc): a Client with messageLimit 0 that
 * counts reaction events and, when the parent asks, reports heapUsed after full collections.
 */
import { Client } from '../../../src/Client.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const send = (message: unknown) => process.send?.(message);

const client = new Client(process.env.SIM_TOKEN ?? '', {
  rest: { baseURL: process.env.SIM_REST_URL },
  intents: ['Guilds', 'GuildMessageReactions'],
  messageLimit: 0,
  identifyWindow: 0
});
let reactions = 0;
client.on('messageReactionAdd', () => reactions++);
client.on('messageReactionRemove', () => reactions++);
client.once('ready', () => send({ type: 'ready', guilds: client.guilds.size }));

process.on('message', async (message: { type: string }) => {
  if (message.type === 'count') send({ type: 'count', reactions });
  if (message.type === 'measure') {
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    send({ type: 'measure', reactions, heapUsed: process.memoryUsage().heapUsed });
  }
  if (message.type === 'exit') {
    await client.destroy();
    process.exit(0);
  }
});
await client.connect();
