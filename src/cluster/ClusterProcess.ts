/**
 * The manager's view of one cluster: its shard range, the child process currently running it (one
 * at a time), its state, its requests in flight, and the shards it reported. Spawning, crash
 * detection and stopping live here; when to respawn is the manager's decision.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { type ClusterAssignment, isWorkerMessage, type ManagerMessage, type WorkerMessage } from './protocol.js';

/** The lifecycle state of a cluster process as the manager sees it. */
export type ClusterState = 'idle' | 'starting' | 'ready' | 'stopping' | 'dead';

/** What the manager knows about one shard of a cluster: its status and how often it became ready or resumed. */
export interface ClusterShardState {
  id: number;
  status: 'waiting' | 'ready' | 'disconnected';
  /** READYs (identify) and RESUMEDs seen, over every process of this cluster. */
  readies: number;
  resumes: number;
}

export interface SpawnOptions {
  file: string;
  args: string[];
  execArgv: string[];
  env: NodeJS.ProcessEnv;
  /** Pipe the child's stdout/stderr to `output` events instead of inheriting them. */
  silent: boolean;
}

/** A request to a cluster failed: it timed out, the cluster exited, or its handler threw. */
export class ClusterRequestError extends Error {
  constructor(
    readonly clusterID: number,
    message: string
  ) {
    super(`cluster ${clusterID}: ${message}`);
    this.name = 'ClusterRequestError';
  }
}

interface PendingRequest {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface ClusterProcessEvents {
  message: [message: WorkerMessage];
  exit: [code: number | null, signal: NodeJS.Signals | null, expected: boolean];
  ready: [];
  output: [line: string, stream: 'stdout' | 'stderr'];
}

export class ClusterProcess extends EventEmitter<ClusterProcessEvents> {
  state: ClusterState = 'idle';
  child: ChildProcess | null = null;
  /** Processes started for this cluster (1 + respawns + restarts). */
  spawns = 0;
  /** Unexpected exits in a row (reset once a process reaches ready). */
  crashesInRow = 0;
  crashes = 0;
  readonly shards = new Map<number, ClusterShardState>();
  private readonly requests = new Map<number, PendingRequest>();
  private nextRequestID = 1;
  private expectingExit = false;

  constructor(readonly assignment: ClusterAssignment) {
    super();
    for (let id = assignment.firstShardID; id <= assignment.lastShardID; id++) {
      this.shards.set(id, { id, status: 'waiting', readies: 0, resumes: 0 });
    }
  }

  get id(): number {
    return this.assignment.clusterID;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  spawn(options: SpawnOptions, assignmentEnv: string): void {
    if (this.child) throw new Error(`cluster ${this.id} is already running (pid ${this.child.pid})`);
    this.expectingExit = false;
    this.state = 'starting';
    this.spawns++;
    for (const shard of this.shards.values()) shard.status = 'waiting';
    const child = fork(options.file, options.args, {
      execArgv: options.execArgv,
      env: { ...options.env, [assignmentEnv]: JSON.stringify(this.assignment) },
      serialization: 'advanced',
      silent: options.silent
    });
    this.child = child;
    if (options.silent) {
      for (const stream of ['stdout', 'stderr'] as const) {
        const source = child[stream];
        if (source) createInterface({ input: source }).on('line', (line) => this.emit('output', line, stream));
      }
    }
    child.on('message', (raw: unknown) => {
      if (!isWorkerMessage(raw)) return;
      this.onMessage(raw);
      this.emit('message', raw);
    });
    child.on('error', () => {
      // Spawn failures and send errors end in 'exit' (or never started: treat as an exit).
      if (child.exitCode === null && child.signalCode === null && child.pid === undefined) this.onExit(child, 1, null);
    });
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    const expected = this.expectingExit;
    this.state = expected ? 'idle' : 'dead';
    if (!expected) {
      this.crashes++;
      this.crashesInRow++;
    }
    for (const shard of this.shards.values()) shard.status = 'disconnected';
    for (const [id, pending] of this.requests) {
      clearTimeout(pending.timer);
      pending.reject(new ClusterRequestError(this.id, 'the process exited before answering'));
      this.requests.delete(id);
    }
    this.emit('exit', code, signal, expected);
  }

  private onMessage(message: WorkerMessage): void {
    switch (message.athena) {
      case 'ready':
        this.state = 'ready';
        this.crashesInRow = 0;
        this.emit('ready');
        return;
      case 'shard': {
        const shard = this.shards.get(message.shardID);
        if (!shard) return;
        if (message.event === 'ready') {
          shard.status = 'ready';
          shard.readies++;
        } else if (message.event === 'resume') {
          shard.status = 'ready';
          shard.resumes++;
        } else {
          shard.status = 'disconnected';
        }
        return;
      }
      case 'reply': {
        const pending = this.requests.get(message.id);
        if (!pending) return;
        this.requests.delete(message.id);
        clearTimeout(pending.timer);
        if (message.ok) pending.resolve(message.data);
        else pending.reject(new ClusterRequestError(this.id, message.error));
        return;
      }
      default:
        return;
    }
  }

  send(message: ManagerMessage): boolean {
    const child = this.child;
    if (!child?.connected) return false;
    try {
      child.send(message);
      return true;
    } catch {
      return false;
    }
  }

  request(op: string, data: unknown, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.nextRequestID++;
      const timer = setTimeout(() => {
        this.requests.delete(id);
        reject(new ClusterRequestError(this.id, `no answer to "${op}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.requests.set(id, { resolve, reject, timer });
      if (!this.send({ athena: 'request', id, op, data })) {
        clearTimeout(timer);
        this.requests.delete(id);
        reject(new ClusterRequestError(this.id, 'not running'));
      }
    });
  }

  /**
   * Ask the process to stop (it finishes its work and hands over sessions), kill it after
   * `timeoutMs`. Resolves when it has exited.
   */
  stop(keepSessions: boolean, timeoutMs: number): Promise<void> {
    const child = this.child;
    if (!child) {
      this.state = 'idle';
      return Promise.resolve();
    }
    this.expectingExit = true;
    this.state = 'stopping';
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (!this.send({ athena: 'stop', keepSessions })) child.kill('SIGTERM');
    });
  }

  /** Kill the process without notice (tests use it to simulate a crash). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): boolean {
    return this.child?.kill(signal) ?? false;
  }
}
