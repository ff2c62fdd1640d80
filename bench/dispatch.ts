/**
 * Dispatch throughput and load time: MESSAGE_REACTION_ADD/REMOVE (with `member`) through to the
 * user's handler, Athena vs discord.js 14 vs Eris 0.18 vs a raw floor (bare `ws` + zlib-sync
 * inflate + JSON.parse, no cache, no events), on the same simulator stream in one run.
 *
 *   npx tsx bench/dispatch.ts [--guilds 2000] [--events 100000] [--only athena,raw]
 *
 * For each library a fresh simulator with the same seed is started in this process (so every
 * library gets the same world and the same reaction stream) and the library runs in a child process
 * (its own heap and event loop; the simulator's producing does not share its thread). All use
 * zlib-stream. Reported: time from connect() to every guild loaded (each library's ready), and
 * reaction events per second between the first and the last one reaching the handler. The
 * traffic driver writes as fast as the client reads (it pauses while a socket is backed up), so
 * the rate is the client's.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const LIBRARIES = ['raw', 'athena', 'eris', 'discordjs'] as const;
type Library = (typeof LIBRARIES)[number];

interface ChildReport {
  type: string;
  loadMs?: number;
  guilds?: number;
  count?: number;
  seconds?: number;
  /** CPU time (user + system) the client process spent on the measured stream. */
  cpuSeconds?: number;
}

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const childLibrary = process.argv.find((a) => a.startsWith('--child='))?.slice('--child='.length);
if (childLibrary) await runChild(childLibrary as Library);
else await runParent();

// ---- parent: simulator, traffic, table ---------------------------------------------------------

async function runParent(): Promise<void> {
  const { Simulator } = await import('../src/testing/index.js');
  const guilds = Number(arg('guilds', '2000'));
  const events = Number(arg('events', '100000'));
  const only = arg('only', LIBRARIES.join(',')).split(',') as Library[];
  const rows: { library: Library; loadMs: number; rate: number; perCpu: number; emitted: number }[] = [];
  for (const library of only) {
    const sim = await Simulator.start({ guilds, seed: 'bench-dispatch', identifyIntervalMs: 0, maxConcurrency: 16 });
    const child = fork(fileURLToPath(import.meta.url), [`--child=${library}`], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, SIM_TOKEN: sim.token, SIM_REST_URL: sim.restURL, SIM_GATEWAY_URL: sim.gatewayURL },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    });
    try {
      const [ready] = (await once(child, 'message')) as [ChildReport];
      if (ready.guilds !== guilds) console.warn(`${library}: ${ready.guilds} of ${guilds} guilds at ready`);
      // A short warm-up so every library's code is optimised before the measured stream.
      const warm = await sim.traffic.run({ events: 5000, mix: { reaction: 1 } });
      await ask(child, { type: 'expect', count: warm.emitted });
      // Armed before the stream starts: the child times from the first measured event it handles.
      child.send({ type: 'arm', from: warm.emitted });
      const run = await sim.traffic.run({ events, mix: { reaction: 1 } });
      const done = await ask(child, { type: 'expect', count: warm.emitted + run.emitted });
      const rate = run.emitted / (done.seconds ?? Number.NaN);
      const perCpu = run.emitted / (done.cpuSeconds ?? Number.NaN);
      rows.push({ library, loadMs: ready.loadMs ?? Number.NaN, rate, perCpu, emitted: run.emitted });
      console.log(
        `${library}: loaded in ${Math.round(ready.loadMs ?? 0)} ms, ${Math.round(rate)} reactions/s, ` +
          `${Math.round(perCpu)} per CPU-second`
      );
    } finally {
      child.send({ type: 'exit' });
      await once(child, 'exit');
      await sim.close();
    }
  }
  const raw = rows.find((r) => r.library === 'raw');
  console.log(`\n${guilds} guilds, ${events} reaction events (adds with member, and removes), zlib-stream\n`);
  console.log(
    '| library | reaction events/s | × raw | events per CPU-second | × raw | all guilds loaded (ms) | × raw |'
  );
  console.log('|---|---|---|---|---|---|---|');
  const ratio = (value: number, floor: number | undefined) => (floor ? (value / floor).toFixed(2) : '-');
  for (const r of rows) {
    console.log(
      `| ${r.library} | ${Math.round(r.rate)} | ${ratio(r.rate, raw?.rate)} | ${Math.round(r.perCpu)} | ` +
        `${ratio(r.perCpu, raw?.perCpu)} | ${Math.round(r.loadMs)} | ${ratio(r.loadMs, raw?.loadMs)} |`
    );
  }
}

function ask(child: ChildProcess, message: Record<string, unknown>): Promise<ChildReport> {
  return new Promise((resolve) => {
    const onMessage = (reply: ChildReport) => {
      if (reply.type !== 'reached') return;
      child.off('message', onMessage);
      resolve(reply);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

// ---- child: one library, counting reactions in its handler ----------------------------------

async function runChild(library: Library): Promise<void> {
  const token = process.env.SIM_TOKEN ?? '';
  const restURL = process.env.SIM_REST_URL ?? '';
  const gatewayURL = process.env.SIM_GATEWAY_URL ?? '';
  /** Only the count is kept per reaction, plus the time and CPU at the first measured one. */
  let count = 0;
  const marks = new Map<number, number>();
  let cpuMark = process.cpuUsage();
  let waiting: { count: number } | null = null;
  let armedFrom = -1;
  const check = () => {
    if (waiting === null || count < waiting.count) return;
    const end = performance.now();
    const start = marks.get(armedFrom) ?? end;
    const cpu = process.cpuUsage(cpuMark);
    process.send?.({
      type: 'reached',
      count,
      seconds: (end - start) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6
    });
    waiting = null;
  };
  const onReaction = () => {
    count++;
    if (count === armedFrom + 1) {
      marks.set(armedFrom, performance.now());
      cpuMark = process.cpuUsage();
    }
    if (waiting !== null && count >= waiting.count) check();
  };
  let destroy: () => Promise<void> | void = () => {};
  process.on('message', async (message: { type: string; count?: number; from?: number }) => {
    if (message.type === 'arm') armedFrom = message.from ?? 0;
    if (message.type === 'expect') {
      waiting = { count: message.count ?? 0 };
      check();
    }
    if (message.type === 'exit') {
      await destroy();
      process.exit(0);
    }
  });
  const started = performance.now();
  const ready = (guilds: number) => process.send?.({ type: 'ready', loadMs: performance.now() - started, guilds });

  if (library === 'athena') {
    const { Client } = await import('../src/Client.js');
    const client = new Client(token, {
      rest: { baseURL: restURL },
      intents: ['Guilds', 'GuildMessageReactions'],
      compress: true,
      messageLimit: 0,
      identifyWindow: 0
    });
    client.on('messageReactionAdd', (_message: unknown, _emoji: unknown, reactor: { id: string }) => {
      if (reactor.id) onReaction();
    });
    client.on('messageReactionRemove', onReaction);
    client.once('ready', () => ready(client.guilds.size));
    destroy = () => client.destroy();
    await client.connect();
  } else if (library === 'discordjs') {
    const { Client, GatewayIntentBits, Partials } = await import('discord.js');
    const client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessageReactions],
      partials: [Partials.Message, Partials.Reaction, Partials.User, Partials.GuildMember],
      shards: 'auto',
      rest: { api: restURL.replace(/\/v10$/, '') }
    });
    client.on('messageReactionAdd', (_reaction, user) => {
      if (user.id) onReaction();
    });
    client.on('messageReactionRemove', onReaction);
    client.once('clientReady' as 'ready', () => ready(client.guilds.cache.size));
    destroy = () => client.destroy();
    await client.login(token);
  } else if (library === 'eris') {
    const Eris = await import('eris');
    // Eris's REST speaks only HTTPS: its gateway lookup is pointed at the simulator instead.
    const response = await fetch(`${restURL}/gateway/bot`, { headers: { authorization: `Bot ${token}` } });
    const info = (await response.json()) as { url: string; shards: number };
    const client = new Eris.Client(`Bot ${token}`, {
      intents: ['guilds', 'guildMessageReactions'],
      compress: true,
      maxShards: info.shards,
      messageLimit: 0,
      restMode: false
    });
    // Both lookups (getBotGateway when shardConcurrency is 'auto') answer from the simulator.
    Object.assign(client, { getGateway: async () => info, getBotGateway: async () => info });
    client.on('messageReactionAdd', (_message, _emoji, reactor) => {
      if (reactor.id) onReaction();
    });
    client.on('messageReactionRemove', onReaction);
    client.once('ready', () => ready(client.guilds.size));
    destroy = () => client.disconnect({ reconnect: false });
    await client.connect();
  } else {
    destroy = await rawFloor(restURL, token, gatewayURL, onReaction, ready);
  }
}

/** The floor: sockets, inflate and JSON.parse per frame, the identify handshake, nothing else. */
async function rawFloor(
  restURL: string,
  token: string,
  _gatewayURL: string,
  onReaction: () => void,
  ready: (guilds: number) => void
): Promise<() => void> {
  const { default: WebSocket } = await import('ws');
  const { default: ZlibSync } = await import('zlib-sync');
  const response = await fetch(`${restURL}/gateway/bot`, { headers: { authorization: `Bot ${token}` } });
  const info = (await response.json()) as { url: string; shards: number };
  const sockets: InstanceType<typeof WebSocket>[] = [];
  const timers: NodeJS.Timeout[] = [];
  const pending = new Set<string>();
  let readyShards = 0;
  let loaded = false;
  let guilds = 0;
  const maybeLoaded = () => {
    if (!loaded && readyShards === info.shards && pending.size === 0) {
      loaded = true;
      ready(guilds);
    }
  };
  for (let shard = 0; shard < info.shards; shard++) {
    const socket = new WebSocket(`${info.url}/?v=10&encoding=json&compress=zlib-stream`);
    sockets.push(socket);
    const inflate = new ZlibSync.Inflate({ chunkSize: 65535 });
    let seq: number | null = null;
    socket.on('message', (data: Buffer) => {
      const l = data.length;
      const flush =
        l >= 4 && data[l - 4] === 0x00 && data[l - 3] === 0x00 && data[l - 2] === 0xff && data[l - 1] === 0xff;
      inflate.push(data, flush ? ZlibSync.Z_SYNC_FLUSH : ZlibSync.Z_NO_FLUSH);
      if (!flush) return;
      const packet = JSON.parse(String(inflate.result)) as { op: number; t?: string; s?: number; d: never };
      if (typeof packet.s === 'number') seq = packet.s;
      if (packet.op === 10) {
        const interval = (packet.d as { heartbeat_interval: number }).heartbeat_interval;
        timers.push(setInterval(() => socket.send(JSON.stringify({ op: 1, d: seq })), interval));
        socket.send(
          JSON.stringify({
            op: 2,
            d: {
              token,
              intents: (1 << 0) | (1 << 10),
              shard: [shard, info.shards],
              properties: { os: 'linux', browser: 'raw', device: 'raw' }
            }
          })
        );
      } else if (packet.op === 0) {
        const t = packet.t;
        if (t === 'MESSAGE_REACTION_ADD' || t === 'MESSAGE_REACTION_REMOVE') onReaction();
        else if (t === 'READY') {
          for (const g of (packet.d as { guilds: { id: string }[] }).guilds) pending.add(g.id);
          readyShards++;
          maybeLoaded();
        } else if (t === 'GUILD_CREATE') {
          if (pending.delete((packet.d as { id: string }).id)) guilds++;
          maybeLoaded();
        }
      }
    });
  }
  return () => {
    for (const timer of timers) clearInterval(timer);
    for (const socket of sockets) socket.close();
  };
}
