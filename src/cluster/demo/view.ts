/**
 * The demo's terminal view: shards ready as a progress bar, then one line per cluster (state,
 * shards, heap, hot sets, hit rate, toggles per second). On a TTY it redraws in place with ANSI
 * (cursor up + clear line); otherwise it prints plain lines every few seconds.
 */
import type { ClusterInfo } from '../ClusterManager.js';
import type { ClusterStats } from '../stats.js';

export interface ViewFrame {
  title: string;
  elapsedSeconds: number;
  clusters: ClusterInfo[];
  stats: ClusterStats[];
  /** Toggles per second per cluster since the last frame. */
  togglesPerSecond: Map<number, number>;
  totalToggles: number;
  footer: string[];
}

const MB = 1024 * 1024;

function bar(done: number, total: number, width = 30): string {
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function percent(value: number | null): string {
  return value === null ? '  -  ' : `${(value * 100).toFixed(1).padStart(5)}%`;
}

/** Member lookups answered without REST: hot set hits plus shared-store hits. */
export function memberHitRate(s: ClusterStats): number | null {
  const hot = s.counters['member.hot'] ?? 0;
  const fetched = s.counters['member.fetched'] ?? 0;
  const total = hot + fetched;
  if (total === 0) return null;
  return Math.min(1, (hot + s.remote.members.hits) / total);
}

export function renderFrame(frame: ViewFrame): string[] {
  const shards = frame.clusters.flatMap((c) => c.shards);
  const ready = shards.filter((s) => s.status === 'ready').length;
  const lines = [
    `${frame.title}  (${frame.elapsedSeconds.toFixed(0)} s)`,
    `shards ready ${bar(ready, shards.length)} ${ready}/${shards.length}`,
    'cluster  state     shards   pid      heap MB  users   members  member hit  toggles/s  toggles'
  ];
  const byID = new Map(frame.stats.map((s) => [s.clusterID, s]));
  for (const c of frame.clusters) {
    const s = byID.get(c.id);
    const toggles = s ? (s.counters['toggles.add'] ?? 0) + (s.counters['toggles.remove'] ?? 0) : 0;
    lines.push(
      [
        String(c.id).padEnd(8),
        c.state.padEnd(9),
        `${c.firstShardID}-${c.lastShardID}`.padEnd(8),
        String(c.pid ?? '-').padEnd(8),
        (s ? (s.memory.heapUsed / MB).toFixed(1) : '-').padStart(7),
        String(s?.hot.users ?? '-').padStart(7),
        String(s?.hot.members ?? '-').padStart(9),
        (s ? percent(memberHitRate(s)) : '  -  ').padStart(11),
        (frame.togglesPerSecond.get(c.id) ?? 0).toFixed(0).padStart(10),
        String(toggles).padStart(8)
      ].join(' ')
    );
  }
  lines.push(`role toggles total ${frame.totalToggles}`, ...frame.footer);
  return lines;
}

/** Draws frames: in place on a TTY, as plain periodic blocks otherwise. */
export class TerminalView {
  private drawnLines = 0;
  private lastPlain = 0;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly plainEveryMs = 5000
  ) {}

  get tty(): boolean {
    return this.out.isTTY === true;
  }

  draw(lines: string[], force = false): void {
    if (this.tty) {
      let text = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A` : '';
      for (const line of lines) text += `\x1b[2K${line}\n`;
      this.out.write(text);
      this.drawnLines = lines.length;
      return;
    }
    const now = Date.now();
    if (!force && now - this.lastPlain < this.plainEveryMs) return;
    this.lastPlain = now;
    this.out.write(`${lines.join('\n')}\n\n`);
  }

  /** A line above the view (logs); the view is redrawn below it on the next frame. */
  log(line: string): void {
    if (this.tty && this.drawnLines > 0) {
      this.out.write(`\x1b[${this.drawnLines}A\x1b[0J`);
      this.drawnLines = 0;
    }
    this.out.write(`${line}\n`);
  }
}
