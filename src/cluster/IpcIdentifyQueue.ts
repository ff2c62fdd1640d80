/**
 * The cluster side of the host's one identify queue: each acquire asks the manager for a slot and
 * resolves on its grant. Buckets and windows are the manager's (its LocalIdentifyQueue, or a
 * RedisIdentifyQueue shared with other hosts), so every cluster of the host shares one budget.
 */
import type { IdentifyQueue } from '../gateway/IdentifyQueue.js';
import type { WorkerPort } from './WorkerPort.js';

/** The manager's identify queue could not be reached over IPC (the manager is gone or shut down). */
export class IdentifyQueueUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentifyQueueUnavailableError';
  }
}

interface Pending {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class IpcIdentifyQueue implements IdentifyQueue {
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly port: WorkerPort) {
    port.on((message) => {
      if (message.athena !== 'identifyGrant' && message.athena !== 'identifyError') return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.athena === 'identifyGrant') {
        waiter.resolve();
        // After the shard's continuation ran (it writes the identify right away): the manager
        // starts the bucket's window from here, not from the grant, so IPC delays cannot bunch
        // two identifies of one bucket together on the wire.
        const id = message.id;
        setImmediate(() => this.port.send({ athena: 'identifySent', id }));
      } else waiter.reject(new IdentifyQueueUnavailableError(message.error));
    });
  }

  acquire(shardID: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.port.id();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        this.port.send({ athena: 'identifyCancel', id });
        reject(signal?.reason);
      };
      this.pending.set(id, {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        }
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      if (!this.port.send({ athena: 'identify', id, shardID })) {
        this.pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
        reject(new IdentifyQueueUnavailableError('the cluster manager is gone'));
      }
    });
  }

  /** Waiters still queued at the manager. */
  get waiting(): number {
    return this.pending.size;
  }
}
