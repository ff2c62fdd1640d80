/**
 * A TCP proxy in front of Redis whose replies can be delayed (in order) at will: a "slow store"
 * without DEBUG SLEEP, which would stall Redis for every other test on the machine.
 */

import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';

export class DelayProxy {
  /** Delay applied to each reply chunk from Redis, in ms. */
  delay = 0;
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly port: number
  ) {}

  static async start(target = { host: '127.0.0.1', port: 6379 }): Promise<DelayProxy> {
    let proxy: DelayProxy | null = null;
    const server = createServer((client) => {
      const upstream = connect(target);
      proxy?.track(client, upstream);
      let releaseAt = 0;
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => {
        // Replies keep their order: each leaves no earlier than the one before it.
        const at = Math.max(Date.now() + (proxy?.delay ?? 0), releaseAt);
        releaseAt = at;
        const timer = setTimeout(() => client.destroyed || client.write(chunk), at - Date.now());
        timer.unref();
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new DelayProxy(server, (server.address() as AddressInfo).port);
    return proxy;
  }

  private track(...sockets: Socket[]): void {
    for (const socket of sockets) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
