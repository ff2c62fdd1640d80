/**
 * Records one shard's session from the simulator, once, for the replay gateway: READY, every
 * GUILD_CREATE of the world (as the simulator's gateway sends them, through a real socket), then
 * `reactions` MESSAGE_REACTION_ADD dispatches with `member`, numbered on after the GUILD_CREATEs.
 *
 * The reactions are taken from the world's dispatch feed while the traffic driver toggles
 * reactions on the reaction-role messages (removes are dropped: the stream is adds only), so
 * each carries the member exactly as the simulator's gateway would send it, without paying for a
 * socket per event while recording.
 */
import WebSocket from 'ws';
import { Simulator } from '../../src/testing/index.js';

export interface Recording {
  /** READY then the GUILD_CREATEs, each a complete gateway payload (JSON text). */
  session: string[];
  /** MESSAGE_REACTION_ADD payloads (JSON text) with seq continuing after `session`. */
  reactions: string[];
  guilds: number;
  /** The bot user from READY (answered at GET /users/@me). */
  botUserJSON: string;
}

/** Placeholder in READY's resume_gateway_url, replaced by the replay gateway's own URL. */
export const RESUME_URL_PLACEHOLDER = 'ws://replay.invalid';

export async function recordSession(options: { guilds: number; reactions: number; seed: string }): Promise<Recording> {
  const sim = await Simulator.start({
    guilds: options.guilds,
    seed: options.seed,
    shards: 1,
    identifyIntervalMs: 0,
    // One stream holds the whole world (the replay is one connection), past Discord's 2,500 per shard.
    maxGuildsPerShard: Math.max(2500, options.guilds)
  });
  try {
    const session = await recordHandshake(sim);
    const ready = JSON.parse(session[0]) as { s: number; d: { user: unknown } };
    let seq = JSON.parse(session[session.length - 1]).s as number;
    const reactions: string[] = [];
    const stop = sim.world.onDispatch((event) => {
      if (event.t !== 'MESSAGE_REACTION_ADD' || reactions.length >= options.reactions) return;
      reactions.push(`{"op":0,"t":"MESSAGE_REACTION_ADD","s":${++seq},"d":${JSON.stringify(event.d)}}`);
    });
    // Toggling: about half the emitted events are removes, so this loops until enough adds.
    for (let tries = 0; reactions.length < options.reactions; tries++) {
      if (tries > options.reactions * 20) throw new Error('the simulator stopped producing reaction adds');
      sim.traffic.emit('reaction');
    }
    stop();
    return {
      session,
      reactions,
      guilds: session.length - 1,
      botUserJSON: JSON.stringify(ready.d.user)
    };
  } finally {
    await sim.close();
  }
}

/** A bare client (no compression) identifies as shard [0, 1] and keeps READY and every GUILD_CREATE. */
async function recordHandshake(sim: Simulator): Promise<string[]> {
  const socket = new WebSocket(`${sim.gatewayURL}/?v=10&encoding=json`);
  const frames: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let expected = -1;
      socket.on('error', reject);
      socket.on('close', (code) => reject(new Error(`recording socket closed (${code})`)));
      socket.on('message', (data: Buffer) => {
        const text = data.toString();
        const packet = JSON.parse(text) as { op: number; t?: string; d: { guilds?: unknown[] } };
        if (packet.op === 10) {
          socket.send(
            JSON.stringify({
              op: 2,
              d: {
                token: sim.token,
                intents: (1 << 0) | (1 << 10),
                shard: [0, 1],
                properties: { os: 'linux', browser: 'recorder', device: 'recorder' }
              }
            })
          );
        } else if (packet.t === 'READY') {
          expected = packet.d.guilds?.length ?? 0;
          frames.push(text.replace(/"resume_gateway_url":"[^"]*"/, `"resume_gateway_url":"${RESUME_URL_PLACEHOLDER}"`));
        } else if (packet.t === 'GUILD_CREATE') {
          frames.push(text);
        }
        if (expected >= 0 && frames.length === expected + 1) resolve();
      });
    });
  } finally {
    socket.removeAllListeners('close');
    socket.on('error', () => {});
    socket.close();
  }
  return frames;
}
