/**
 * Gateway accounting, for tests that must prove nothing was lost, doubled or sent too fast:
 * every identify with its bucket and time, every resume, and per session the event name of each
 * seq it sent (compact: one interned string per dispatch).
 */
import type { GatewayServer } from './GatewayServer.js';
import type { Session } from './Session.js';

/**
 * One IDENTIFY the simulated gateway handled: which shard and bucket, when, and whether it was accepted (with
 * the reason when refused).
 */
export interface IdentifyRecord {
  shard: [number, number];
  bucket: number;
  /** Date.now() when the server handled it. */
  at: number;
  accepted: boolean;
  reason?: 'bucket' | 'session-start-limit';
  sessionID?: string;
}

/**
 * One RESUME the simulated gateway handled: the seq it resumed from, how many dispatches were replayed, and
 * whether it succeeded.
 */
export interface ResumeRecord {
  sessionID: string;
  at: number;
  fromSeq: number;
  replayed: number;
  ok: boolean;
  reason?: string;
}

/** Snapshot of one simulated gateway session, live or retired, for assertions on seq, resumes and replay. */
export interface SessionSummary {
  sessionID: string;
  shard: [number, number];
  intents: number;
  /** Last seq sent (= number of dispatches). */
  seq: number;
  connected: boolean;
  resumable: boolean;
  resumes: number;
  replayed: number;
  pendingGuildCreates: number;
}

const RETIRED_LIMIT = 1000;

/**
 * Gateway accounting for tests that must prove nothing was lost, doubled or sent too fast: every identify and
 * resume, refusals by reason, and the event name of each dispatch per session. Reached as `simulator.stats`.
 */
export class GatewayStats {
  readonly identifies: IdentifyRecord[] = [];
  readonly resumes: ResumeRecord[] = [];
  /** Reasons payloads were refused or ignored, counted. */
  readonly rejected = new Map<string, number>();
  private readonly retired = new Map<string, { summary: SessionSummary; types: string[] }>();

  constructor(private readonly server: GatewayServer) {}

  /** Called by the server for every IDENTIFY, accepted or refused. */
  recordIdentify(record: IdentifyRecord): void {
    this.identifies.push(record);
  }

  /** Called by the server for every RESUME, successful or not. */
  recordResume(record: ResumeRecord): void {
    this.resumes.push(record);
  }

  /** Count one refused or ignored payload under `reason` (for example `close-4008`). */
  countRejected(reason: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  /** Accepted identifies (sessions started). */
  get identifyCount(): number {
    return this.identifies.filter((r) => r.accepted).length;
  }

  get resumeCount(): number {
    return this.resumes.filter((r) => r.ok).length;
  }

  /** Accepted identifies per bucket, each with its time, in order. */
  identifiesByBucket(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const r of this.identifies) {
      if (!r.accepted) continue;
      let list = out.get(r.bucket);
      if (!list) out.set(r.bucket, (list = []));
      list.push(r.at);
    }
    return out;
  }

  /**
   * Summaries of the sessions the server still holds (retired ones are only reachable through {@link
   * GatewayStats.session}).
   */
  sessions(): SessionSummary[] {
    return [...this.server.sessions.values()].map((s) => summarize(s));
  }

  /** Live sessions of one shard id (a shard that resumed or re-identified may have several). */
  sessionsForShard(shardID: number): SessionSummary[] {
    return this.sessions().filter((s) => s.shard[0] === shardID);
  }

  /** Summary of a live or retired (invalidated) session. */
  session(sessionID: string): SessionSummary | undefined {
    const live = this.server.sessions.get(sessionID);
    return live ? summarize(live) : this.retired.get(sessionID)?.summary;
  }

  /** Event names sent by a session; index i is seq i + 1. */
  dispatchTypes(sessionID: string): readonly string[] {
    return this.server.sessions.get(sessionID)?.dispatchTypes ?? this.retired.get(sessionID)?.types ?? [];
  }

  /** How many dispatches of event `t` a session sent. */
  countOf(sessionID: string, t: string): number {
    let n = 0;
    for (const type of this.dispatchTypes(sessionID)) if (type === t) n++;
    return n;
  }

  /**
   * Keep a summary and the dispatch log of an invalidated session so tests can still inspect it; only the
   * newest 1000 are kept.
   */
  retire(session: Session): void {
    if (this.retired.size >= RETIRED_LIMIT) this.retired.delete(this.retired.keys().next().value!);
    this.retired.set(session.id, {
      summary: { ...summarize(session), resumable: false },
      types: session.dispatchTypes
    });
  }
}

function summarize(s: Session): SessionSummary {
  return {
    sessionID: s.id,
    shard: [s.shard[0], s.shard[1]],
    intents: s.intents,
    seq: s.seq,
    connected: s.attached,
    resumable: !s.invalidated,
    resumes: s.resumes,
    replayed: s.replayed,
    pendingGuildCreates: s.pendingGuilds.length - s.pendingCursor
  };
}
