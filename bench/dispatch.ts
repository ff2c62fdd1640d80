/**
 * Dispatch throughput and load time: MESSAGE_REACTION_ADD (with `member`) through to the user's
 * handler, Athena vs discord.js 14 vs Eris 0.18 vs a raw floor (bare `ws` + zlib-sync inflate +
 * JSON.parse, no cache, no events), each the client's own ceiling.
 *
 *   npx tsx bench/dispatch.ts [--guilds 2000] [--events 200000] [--warmup 20000] [--runs 3]
 *                             [--only athena,raw]
 *
 * One shard's session is recorded once from the simulator (READY, every GUILD_CREATE, then
 * reaction adds; bench/replay/record.ts; past 2,500 guilds that one shard holds more than Discord
 * lets a shard hold, so that a large world is still one stream) and compressed once as one
 * zlib-stream connection (bench/replay/compress.ts) before anything is timed. Each run starts a
 * replay gateway (bench/replay/ReplayGateway.ts) that only writes slices of that buffer, as fast as
 * the client reads, so every library gets the same bytes and the producer is not the limit. Each
 * library runs in its own child process (own heap and event loop); runs go round-robin over the
 * libraries and the table shows each one's median run by reactions/s, and its median load time
 * apart. Reported: time from connect() to every guild loaded (each library's ready), reactions per
 * second between the first and last measured reaction reaching the handler (after a warm-up part
 * of the stream), and reactions per CPU-second of the client.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { BUILT_ENTRY, ensureBuilt } from './built.js';
import { compressStream } from './replay/compress.js';
import { ReplayGateway } from './replay/ReplayGateway.js';
import { recordSession } from './replay/record.js';

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

interface Run {
  library: Library;
  loadMs: number;
  rate: number;
  perCpu: number;
  /** The replay server's CPU seconds per wall second over the measured stream. */
  serverLoad: number;
}

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const childLibrary = process.argv.find((a) => a.startsWith('--child='))?.slice('--child='.length);
if (childLibrary) await runChild(childLibrary as Library);
else await runParent();

// ---- parent: record, compress, replay per library, table ------------------------------------

async function runParent(): Promise<void> {
  ensureBuilt();
  const guilds = Number(arg('guilds', '2000'));
  const events = Number(arg('events', '200000'));
  const warmup = Number(arg('warmup', '20000'));
  const runs = Number(arg('runs', '3'));
  const only = arg('only', LIBRARIES.join(',')).split(',') as Library[];
  const childArgs = process.argv.filter((a) => a.startsWith('--cpu-prof'));

  let t = performance.now();
  const recording = await recordSession({ guilds, reactions: warmup + events, seed: 'bench-dispatch' });
  console.log(
    `recorded ${recording.guilds} GUILD_CREATEs and ${recording.reactions.length} reactions in ` +
      `${Math.round(performance.now() - t)} ms`
  );
  const hello = '{"op":10,"d":{"heartbeat_interval":41250}}';
  const payloads = [hello, ...recording.session, ...recording.reactions];
  const sessionEnd = recording.session.length; // HELLO is 0, READY 1, GUILD_CREATEs up to here
  const warmEnd = sessionEnd + warmup;
  t = performance.now();
  const stream = await compressStream(payloads, [0, sessionEnd, warmEnd]);
  const reactionBytes = stream.offsets[stream.count] - stream.offsets[sessionEnd + 1];
  console.log(
    `compressed ${(stream.rawBytes / 1e6).toFixed(1)} MB to ${(stream.bytes.length / 1e6).toFixed(1)} MB in ` +
      `${Math.round(performance.now() - t)} ms (reactions ${Math.round(reactionBytes / recording.reactions.length)} B per frame)`
  );

  const all: Run[] = [];
  for (let round = 0; round < runs; round++) {
    for (const library of only) {
      const run = await replayOnce(
        library,
        { stream, sessionEnd, warmEnd, botUserJSON: recording.botUserJSON },
        {
          guilds: recording.guilds,
          warmup,
          events,
          childArgs
        }
      );
      if (run) all.push(run);
    }
  }

  const rows = only.map((library) => median(all.filter((r) => r.library === library)));
  const raw = rows.find((r) => r?.library === 'raw');
  // Load time is its own median: the run with the median rate need not be the one with the median load.
  const loadOf = (library: Library) => medianOf(all.filter((r) => r.library === library).map((r) => r.loadMs));
  const rawLoad = raw ? loadOf('raw') : undefined;
  console.log(
    `\n${recording.guilds} guilds, ${events} MESSAGE_REACTION_ADD with member (after ${warmup} warm-up), ` +
      `zlib-stream replay, median of ${runs} runs\n`
  );
  console.log(
    '| library | reactions/s | × raw | reactions per CPU-second | × raw | all guilds loaded (ms, median) | × raw | runs (reactions/s) | runs (loaded, ms) |'
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  const ratio = (value: number, floor: number | undefined) => (floor ? (value / floor).toFixed(2) : '-');
  for (const r of rows) {
    if (!r) continue;
    const runsOf = all.filter((x) => x.library === r.library);
    const load = loadOf(r.library);
    console.log(
      `| ${r.library} | ${Math.round(r.rate)} | ${ratio(r.rate, raw?.rate)} | ${Math.round(r.perCpu)} | ` +
        `${ratio(r.perCpu, raw?.perCpu)} | ${Math.round(load)} | ${ratio(load, rawLoad)} | ` +
        `${runsOf.map((x) => Math.round(x.rate)).join(', ')} | ${runsOf.map((x) => Math.round(x.loadMs)).join(', ')} |`
    );
  }
}

/** The middle entry of a sorted list (the lower middle one of an even count). */
function middle<T>(sorted: T[]): T | undefined {
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The run with the median reactions/s (its CPU figure comes with it). */
function median(runs: Run[]): Run | undefined {
  return middle([...runs].sort((a, b) => a.rate - b.rate));
}

/** The median of some numbers. */
function medianOf(values: number[]): number {
  return middle([...values].sort((a, b) => a - b)) ?? Number.NaN;
}

async function replayOnce(
  library: Library,
  layout: {
    stream: Awaited<ReturnType<typeof compressStream>>;
    sessionEnd: number;
    warmEnd: number;
    botUserJSON: string;
  },
  o: { guilds: number; warmup: number; events: number; childArgs: string[] }
): Promise<Run | undefined> {
  const gateway = await ReplayGateway.start(layout);
  const child = fork(fileURLToPath(import.meta.url), [`--child=${library}`], {
    execArgv: ['--import', 'tsx', ...(library === 'athena' ? o.childArgs : [])],
    env: {
      ...process.env,
      SIM_TOKEN: gateway.token,
      SIM_REST_URL: gateway.restURL,
      SIM_GATEWAY_URL: gateway.gatewayURL,
      // Known from the start: the child times from the first reaction after the warm-up (an IPC
      // message sent at release could arrive after the socket's first measured frames).
      SIM_WARMUP: String(o.warmup)
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  });
  try {
    const [ready] = (await once(child, 'message')) as [ChildReport];
    if (ready.guilds !== o.guilds) console.warn(`${library}: ${ready.guilds} of ${o.guilds} guilds at ready`);
    // Warm-up part of the stream, so every library's code is optimised before the measured part.
    gateway.release(layout.warmEnd);
    await ask(child, { type: 'expect', count: o.warmup });
    const serverCpu = process.cpuUsage();
    const serverStart = performance.now();
    gateway.release(layout.stream.count - 1);
    const done = await ask(child, { type: 'expect', count: o.warmup + o.events });
    const used = process.cpuUsage(serverCpu);
    const serverLoad = (used.user + used.system) / 1000 / (performance.now() - serverStart);
    const run: Run = {
      library,
      loadMs: ready.loadMs ?? Number.NaN,
      rate: o.events / (done.seconds ?? Number.NaN),
      perCpu: o.events / (done.cpuSeconds ?? Number.NaN),
      serverLoad
    };
    console.log(
      `${library}: loaded in ${Math.round(run.loadMs)} ms, ${Math.round(run.rate)} reactions/s, ` +
        `${Math.round(run.perCpu)} per CPU-second (replay server busy ${(serverLoad * 100).toFixed(0)}%)`
    );
    if (gateway.problems.length > 0) console.warn(`${library}: replay saw ${gateway.problems.join('; ')}`);
    return run;
  } finally {
    child.send({ type: 'exit' });
    await once(child, 'exit');
    await gateway.close();
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
  const armedFrom = Number(process.env.SIM_WARMUP ?? '0');
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
  process.on('message', async (message: { type: string; count?: number }) => {
    if (message.type === 'expect') {
      waiting = { count: message.count ?? 0 };
      check();
    }
    if (message.type === 'exit') {
      await destroy();
      process.exit(0);
    }
  });
  // "Loaded" counts from the moment the library is asked to connect (its modules already imported)
  // to its ready. Athena is its built package (bench/built.ts), as the others are theirs.
  let started = performance.now();
  const ready = (guilds: number) => process.send?.({ type: 'ready', loadMs: performance.now() - started, guilds });

  if (library === 'athena') {
    const { Client } = (await import(BUILT_ENTRY)) as typeof import('../src/index.js');
    started = performance.now();
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
    client.once('ready', () => ready(client.guilds.size));
    destroy = () => client.destroy();
    await client.connect();
  } else if (library === 'discordjs') {
    const { Client, GatewayIntentBits, Partials } = await import('discord.js');
    started = performance.now();
    const client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessageReactions],
      partials: [Partials.Message, Partials.Reaction, Partials.User, Partials.GuildMember],
      shards: 'auto',
      rest: { api: restURL.replace(/\/v10$/, '') }
    });
    client.on('messageReactionAdd', (_reaction, user) => {
      if (user.id) onReaction();
    });
    client.once('clientReady' as 'ready', () => ready(client.guilds.cache.size));
    destroy = () => client.destroy();
    await client.login(token);
  } else if (library === 'eris') {
    const Eris = await import('eris');
    started = performance.now();
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
    client.once('ready', () => ready(client.guilds.size));
    destroy = () => client.disconnect({ reconnect: false });
    await client.connect();
  } else {
    destroy = await rawFloor(restURL, token, gatewayURL, onReaction, ready, () => {
      started = performance.now();
    });
  }
}

/** The floor: sockets, inflate and JSON.parse per frame, the identify handshake, nothing else. */
async function rawFloor(
  restURL: string,
  token: string,
  _gatewayURL: string,
  onReaction: () => void,
  ready: (guilds: number) => void,
  started: () => void
): Promise<() => void> {
  const { default: WebSocket } = await import('ws');
  const { default: ZlibSync } = await import('zlib-sync');
  started();
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
