import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

/** True when something answers PING on host:port within the timeout. */
export function redisAnswers(port = 6379, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.once('error', () => done(false));
  });
}

export const REDIS_SKIP = 'Redis not reachable on 127.0.0.1:6379';

/** A prefix no other run or test uses, so runs never see each other's keys. */
export function uniquePrefix(tag: string): string {
  return `athena-test:${tag}:${randomBytes(6).toString('hex')}:`;
}
