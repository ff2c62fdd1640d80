/**
 * Gateway receive throughput: frames/s and MB/s (inflated JSON) per CPU core of the client, for
 * Athena's ShardManager against a raw floor (bare ws + inflate + JSON.parse) and @discordjs/ws, on
 * the same pre-encoded stream in the same run; plus the gain of disableEvents on a presence flood.
 *
 *   npx tsx bench/gateway.ts [--frames 60000] [--runs 3]
 *
 * The server runs in a child process and replays a pre-compressed stream (one compression context
 * per stream, as Discord keeps one per connection), so its cost is a memcpy per frame and the
 * client's CPU time is what is measured: "per core" = frames / client CPU seconds.
 */
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { REST } from '@discordjs/rest';
import { CompressionMethod, WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';
import WebSocket, { WebSocketServer } from 'ws';
import { createDecompressor } from '../src/gateway/compression/index.js';
import { ShardManager } from '../src/gateway/index.js';
import { type Compression, createEncoder } from '../src/testing/gateway/compression.js';

const TOKEN = 'bench-token';
const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const FRAMES = arg('frames', 60_000);
const RUNS = arg('runs', 3);

// ── the stream ────────────────────────────────────────────────────────────────────────────────

type StreamName = 'mixed' | 'presences';

function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

function snowflake(r: () => number): string {
  return (BigInt(Math.floor(r() * 2 ** 40)) << 22n).toString();
}

function user(r: () => number) {
  return {
    id: snowflake(r),
    username: `user${Math.floor(r() * 1e6)}`,
    global_name: r() < 0.5 ? `Nice Name ${Math.floor(r() * 1000)}` : null,
    avatar: r() < 0.7 ? 'a1b2c3d4e5f60718293a4b5c6d7e8f90' : null,
    discriminator: '0',
    public_flags: 0
  };
}

function member(r: () => number) {
  return {
    user: user(r),
    nick: r() < 0.3 ? 'nick' : null,
    roles: Array.from({ length: Math.floor(r() * 6) }, () => snowflake(r)),
    joined_at: '2024-03-01T12:00:00.000000+00:00',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    avatar: null,
    communication_disabled_until: null
  };
}

function dispatch(r: () => number, stream: StreamName): { t: string; d: unknown } {
  const guild_id = snowflake(r);
  const pick = r();
  if (stream === 'presences' && pick < 0.9) {
    const u = user(r);
    return {
      t: 'PRESENCE_UPDATE',
      d: {
        user: { id: u.id },
        guild_id,
        status: 'online',
        activities: [
          {
            name: 'Some Game',
            type: 0,
            state: 'In a match',
            created_at: 1_700_000_000_000,
            timestamps: { start: 1_700_000_000_000 },
            application_id: snowflake(r)
          }
        ],
        client_status: { desktop: 'online' }
      }
    };
  }
  if (pick < 0.6) {
    return {
      t: 'MESSAGE_REACTION_ADD',
      d: {
        user_id: snowflake(r),
        type: 0,
        message_id: snowflake(r),
        message_author_id: snowflake(r),
        member: member(r),
        emoji: { name: '👍', id: null },
        channel_id: snowflake(r),
        burst: false,
        guild_id
      }
    };
  }
  if (pick < 0.85) {
    return {
      t: 'MESSAGE_CREATE',
      d: {
        id: snowflake(r),
        type: 0,
        content: 'hello world, this is a message of ordinary length with a <@123456789012345678> mention',
        channel_id: snowflake(r),
        author: user(r),
        attachments: [],
        embeds: [],
        mentions: [],
        mention_roles: [],
        pinned: false,
        mention_everyone: false,
        tts: false,
        timestamp: '2024-03-01T12:00:00.000000+00:00',
        edited_timestamp: null,
        flags: 0,
        components: [],
        guild_id,
        member: { ...member(r), user: undefined }
      }
    };
  }
  return { t: 'GUILD_MEMBER_UPDATE', d: { guild_id, ...member(r) } };
}

/** Payloads in Discord's key order: t, s, op, d. The last one marks the end. */
function payloads(stream: StreamName, frames: number): string[] {
  const r = rng(stream === 'mixed' ? 1 : 2);
  const out = [
    JSON.stringify({
      t: 'READY',
      s: 1,
      op: 0,
      d: {
        v: 10,
        user: user(r),
        guilds: [],
        session_id: 'bench',
        resume_gateway_url: 'ws://127.0.0.1:1',
        shard: [0, 1],
        application: { id: '1', flags: 0 }
      }
    })
  ];
  for (let i = 0; i < frames; i++) {
    const { t, d } = dispatch(r, stream);
    out.push(JSON.stringify({ t, s: i + 2, op: 0, d }));
  }
  out.push(JSON.stringify({ t: 'BENCH_END', s: frames + 2, op: 0, d: {} }));
  return out;
}

// ── server (child process) ────────────────────────────────────────────────────────────────────

async function encodeAll(compression: Compression, list: string[]): Promise<(string | Buffer)[]> {
  const frames: (string | Buffer)[] = [];
  const encoder = createEncoder(compression, (frame) => frames.push(frame));
  for (const payload of list) encoder.write(payload);
  while (frames.length < list.length) await new Promise((resolve) => setTimeout(resolve, 5));
  encoder.close();
  return frames;
}

async function runServer(): Promise<void> {
  const hello = JSON.stringify({ t: null, s: null, op: 10, d: { heartbeat_interval: 600_000 } });
  const streams = new Map<string, (string | Buffer)[]>();
  for (const stream of ['mixed', 'presences'] as StreamName[]) {
    const list = [hello, ...payloads(stream, FRAMES)];
    for (const compression of [null, 'zlib-stream', 'zstd-stream'] as Compression[]) {
      streams.set(`${stream}/${compression}`, await encodeAll(compression, list));
    }
  }
  // Die with the parent (a crashed bench must not leave its server behind).
  process.on('disconnect', () => process.exit(0));
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  server.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', 'ws://x');
    const frames = streams.get(`${url.pathname.slice(1)}/${url.searchParams.get('compress')}`)!;
    ws.send(frames[0]);
    ws.on('message', (data) => {
      if (JSON.parse(data.toString()).op !== 2) return;
      let i = 1;
      const pump = () => {
        while (i < frames.length && ws.bufferedAmount < 8 * 1024 * 1024) ws.send(frames[i++]);
        if (i < frames.length) setTimeout(pump, 1);
      };
      pump();
    });
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const bytes = [...streams.entries()].map(([key, frames]) => [
    key,
    frames.slice(1).reduce((n, f) => n + (typeof f === 'string' ? Buffer.byteLength(f) : f.length), 0)
  ]);
  process.send!({ port: (server.address() as AddressInfo).port, bytes: Object.fromEntries(bytes) });
}

// ── clients ───────────────────────────────────────────────────────────────────────────────────

interface Result {
  frames: number;
  inflatedBytes: number;
  wallMs: number;
  cpuMs: number;
}

/** Time from the first dispatch to BENCH_END, with the client's CPU time over the same span. */
function meter() {
  let wall0 = 0;
  let cpu0 = 0;
  return {
    start() {
      wall0 = performance.now();
      const c = process.cpuUsage();
      cpu0 = (c.user + c.system) / 1000;
    },
    stop(frames: number, inflatedBytes: number): Result {
      const c = process.cpuUsage();
      return { frames, inflatedBytes, wallMs: performance.now() - wall0, cpuMs: (c.user + c.system) / 1000 - cpu0 };
    }
  };
}

const streamBytes = (stream: StreamName) => payloads(stream, FRAMES).reduce((n, p) => n + Buffer.byteLength(p), 0);

async function rawClient(base: string, stream: StreamName, compression: Compression): Promise<Result> {
  const m = meter();
  let frames = 0;
  let bytes = 0;
  let ws: WebSocket;
  let onText: (text: string) => void = () => {};
  // The decompressor must exist before the socket opens, or HELLO could arrive with nobody listening.
  const decompressor = await createDecompressor(
    compression,
    { onMessage: (text) => onText(text), onError: (e) => console.error(e) },
    'native'
  );
  return new Promise((resolve) => {
    ws = new WebSocket(`${base}/${stream}?v=10&encoding=json${compression ? `&compress=${compression}` : ''}`, {
      perMessageDeflate: false
    });
    ws.on('message', (data: Buffer, binary: boolean) => {
      if (binary && decompressor) decompressor.push(data);
      else onText(data.toString());
    });
    onText = (text: string) => {
      const packet = JSON.parse(text);
      if (packet.op === 10) {
        ws.send(JSON.stringify({ op: 2, d: { token: TOKEN } }));
        return;
      }
      if (packet.t === 'READY') m.start();
      frames++;
      bytes += text.length;
      if (packet.t === 'BENCH_END') {
        ws.close();
        resolve(m.stop(frames, bytes));
      }
    };
  });
}

async function athenaClient(
  base: string,
  stream: StreamName,
  compression: Compression,
  extra: { disableEvents?: string[]; decompressor?: 'native' | 'js' } = {}
): Promise<Result> {
  const m = meter();
  let frames = 0;
  return new Promise((resolve) => {
    const manager = new ShardManager(
      TOKEN,
      { maxShards: 1, compress: compression ?? false, disableEvents: extra.disableEvents, identifyWindow: 0 },
      {
        decompressor: extra.decompressor,
        sink: (shard, t) => {
          if (t === 'READY') m.start();
          frames++;
          if (t === 'BENCH_END') {
            const result = m.stop(shard.stats.skippedDisabled + frames, shard.stats.bytesInflated);
            manager.disconnect();
            resolve(result);
          }
        }
      }
    );
    void manager.connect({ url: `${base}/${stream}` });
  });
}

async function discordjsClient(base: string, stream: StreamName): Promise<Result> {
  const m = meter();
  let frames = 0;
  // @discordjs/ws asks REST for GET /gateway/bot; answer it locally with the bench server's URL.
  const gatewayBot = {
    url: `${base}/${stream}`,
    shards: 1,
    session_start_limit: { total: 1000, remaining: 1000, reset_after: 60_000, max_concurrency: 1 }
  };
  const rest = { get: async () => gatewayBot } as unknown as REST;
  const manager = new WebSocketManager({
    token: TOKEN,
    intents: 0,
    rest,
    compression: CompressionMethod.ZlibSync,
    shardCount: 1
  });
  return new Promise((resolve) => {
    manager.on(WebSocketShardEvents.Dispatch, (payload) => {
      if (payload.t === ('READY' as string)) m.start();
      frames++;
      if ((payload.t as string) === 'BENCH_END') {
        const result = m.stop(frames, 0);
        void manager.destroy();
        resolve(result);
      }
    });
    void manager.connect();
  });
}

// ── main ──────────────────────────────────────────────────────────────────────────────────────

async function best(run: () => Promise<Result>): Promise<Result> {
  let top: Result | null = null;
  for (let i = 0; i < RUNS; i++) {
    const result = await run();
    if (!top || result.cpuMs < top.cpuMs) top = result;
  }
  return top!;
}

async function main(): Promise<void> {
  if (args.includes('--server')) return runServer();
  const child = fork(process.argv[1], ['--server', '--frames', String(FRAMES)], {
    execArgv: ['--import', 'tsx']
  });
  const info = await new Promise<{ port: number; bytes: Record<string, number> }>((resolve) =>
    child.once('message', (m) => resolve(m as { port: number; bytes: Record<string, number> }))
  );
  const base = `ws://127.0.0.1:${info.port}`;
  const inflated: Record<StreamName, number> = { mixed: streamBytes('mixed'), presences: streamBytes('presences') };
  const rows: string[][] = [];
  const floors = new Map<string, number>();
  const record = (label: string, stream: StreamName, compression: Compression, r: Result, floorKey?: string) => {
    const perCore = r.frames / (r.cpuMs / 1000);
    const mbPerCore = inflated[stream] / 1e6 / (r.cpuMs / 1000);
    if (floorKey === undefined) floors.set(`${stream}/${compression}`, perCore);
    const floor = floors.get(`${stream}/${compression}`);
    rows.push([
      stream,
      String(compression ?? 'none'),
      label,
      Math.round(r.frames / (r.wallMs / 1000)).toLocaleString('en-US'),
      Math.round(perCore).toLocaleString('en-US'),
      mbPerCore.toFixed(1),
      floor && floorKey !== undefined ? `${(perCore / floor).toFixed(2)}×` : '1.00× (floor)'
    ]);
    console.error(rows.at(-1)!.join(' | '));
  };
  for (const compression of ['zlib-stream', 'zstd-stream', null] as Compression[]) {
    const stream: StreamName = 'mixed';
    record(
      'raw floor (ws + inflate + JSON.parse)',
      stream,
      compression,
      await best(() => rawClient(base, stream, compression))
    );
    record('Athena ShardManager', stream, compression, await best(() => athenaClient(base, stream, compression)), 'x');
    if (compression === 'zstd-stream') {
      record(
        'Athena ShardManager (fzstd, pure JS)',
        stream,
        compression,
        await best(() => athenaClient(base, stream, compression, { decompressor: 'js' })),
        'x'
      );
    }
    if (compression === 'zlib-stream') {
      record(
        'Athena ShardManager (node:zlib fallback)',
        stream,
        compression,
        await best(() => athenaClient(base, stream, compression, { decompressor: 'js' })),
        'x'
      );
      record('@discordjs/ws 2 (zlib-sync)', stream, compression, await best(() => discordjsClient(base, stream)), 'x');
    }
  }
  const flood: StreamName = 'presences';
  record(
    'raw floor (ws + inflate + JSON.parse)',
    flood,
    'zlib-stream',
    await best(() => rawClient(base, flood, 'zlib-stream'))
  );
  record('Athena ShardManager', flood, 'zlib-stream', await best(() => athenaClient(base, flood, 'zlib-stream')), 'x');
  record(
    "Athena, disableEvents: ['PRESENCE_UPDATE']",
    flood,
    'zlib-stream',
    await best(() => athenaClient(base, flood, 'zlib-stream', { disableEvents: ['PRESENCE_UPDATE'] })),
    'x'
  );
  child.kill();
  console.log(
    `\nNode ${process.version}, ${FRAMES.toLocaleString('en-US')} dispatches per stream, best of ${RUNS} runs by client CPU time.`
  );
  console.log(
    `Stream sizes: mixed ${(inflated.mixed / 1e6).toFixed(1)} MB JSON (zlib ${(info.bytes['mixed/zlib-stream'] / 1e6).toFixed(1)} MB, zstd ${(info.bytes['mixed/zstd-stream'] / 1e6).toFixed(1)} MB on the wire); presences ${(inflated.presences / 1e6).toFixed(1)} MB JSON.\n`
  );
  console.log(
    '| stream | compress | client | frames/s (wall) | frames/s per core | MB/s per core (inflated JSON) | vs floor |'
  );
  console.log('|---|---|---|---:|---:|---:|---:|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
