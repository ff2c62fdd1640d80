/**
 * The cluster process's end of the IPC channel: typed send, tagged-message dispatch, and ids for
 * request/reply pairs. Messages without an `athena` tag are left to whoever else listens.
 */
import { isManagerMessage, type ManagerMessage, type WorkerMessage } from './protocol.js';

type Listener = (message: ManagerMessage) => void;

export class WorkerPort {
  private nextID = 1;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly proc: NodeJS.Process = process) {
    if (typeof proc.send !== 'function') throw new Error('not a cluster process: no IPC channel to the manager');
    proc.on('message', (raw: unknown) => {
      if (!isManagerMessage(raw)) return;
      for (const listener of this.listeners) listener(raw);
    });
  }

  /** Fresh id for a request that expects a reply. */
  id(): number {
    return this.nextID++;
  }

  /** Send to the manager; false when the channel is closed (the manager is gone). */
  send(message: WorkerMessage): boolean {
    if (!this.proc.connected || typeof this.proc.send !== 'function') return false;
    try {
      this.proc.send(message);
      return true;
    } catch {
      return false;
    }
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Let the process exit while the channel is open (the channel keeps the loop alive otherwise). */
  unref(): void {
    const channel = (this.proc as NodeJS.Process & { channel?: { unref(): void } }).channel;
    channel?.unref();
  }
}
