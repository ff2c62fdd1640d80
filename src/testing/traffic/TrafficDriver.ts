/**
 * Generates live traffic through the world (so it reaches clients as dispatches on the right
 * shard): reactions on the reaction-role messages, member joins/edits/leaves, role and channel
 * edits, messages, presences and typing. Runs at a fixed rate, or as fast as the clients read
 * (it pauses while any socket is above the high-water mark).
 *
 * Reactions toggle: a user who already reacted with an emoji removes it, anyone else adds it. With
 * `trackReactions` the driver remembers each (message, emoji, user)'s final state, so a test can
 * compute which reaction roles every member should end with.
 */
import { mix, Rng } from '../world/random.js';
import { WorldError } from '../world/types.js';
import type { World } from '../world/World.js';

/** Every kind of event the traffic driver can generate, in the order reports list them. */
export const TRAFFIC_KINDS = [
  'reaction',
  'memberAdd',
  'memberUpdate',
  'memberRemove',
  'roleUpdate',
  'channelUpdate',
  'message',
  'presence',
  'typing'
] as const;
/** One kind of generated event (see {@link TRAFFIC_KINDS}). */
export type TrafficKind = (typeof TRAFFIC_KINDS)[number];

/** Options of {@link TrafficDriver.run}: how many events, how fast, which kinds and which guilds. */
export interface TrafficRunOptions {
  /** Number of events to emit (the run resolves when done or stopped). */
  events: number;
  /** Events per second; omitted = as fast as the clients read. */
  rate?: number;
  /** Relative weights per kind (default: only reactions). */
  mix?: Partial<Record<TrafficKind, number>>;
  /** Restrict traffic to these guilds (default: every guild). */
  guilds?: string[];
  /**
   * Consecutive events per picked guild (default 8). Real traffic is bursty per guild, and a
   * burst reuses the regenerated guild instead of rebuilding one per event.
   */
  burst?: number;
}

/** What one {@link TrafficDriver.run} emitted, per kind, and how long it took. */
export interface TrafficReport {
  emitted: number;
  byKind: Record<TrafficKind, number>;
  /** Events skipped because the world refused them (e.g. the picked user had left). */
  skipped: number;
  elapsedMs: number;
}

/**
 * The final state of one (message, emoji, user) reaction the driver toggled, with the role it grants;
 * recorded when `trackReactions` is on, so a test can compute which reaction roles each member should end
 * with.
 */
export interface ReactionState {
  guildID: string;
  messageID: string;
  userID: string;
  emoji: string;
  roleID: string;
  reacted: boolean;
}

const STATUSES = ['online', 'idle', 'dnd', 'offline'] as const;
const BATCH = 64;

/**
 * Generates live traffic through the world (`simulator.traffic`), so it reaches clients as dispatches on the
 * right shard: reaction toggles on the reaction-role messages, member joins, edits and leaves, role and
 * channel edits, messages, presences and typing. Runs at a fixed rate or as fast as the clients read (it
 * pauses while any socket is above the high-water mark).
 */
export class TrafficDriver {
  /** Set true before running to record final reaction states (see reactionStates()). */
  trackReactions = false;
  private readonly rng: Rng;
  private readonly reactionStateMap = new Map<string, ReactionState>();
  private allGuilds: string[] | null = null;
  private running = new Set<{ stop: () => void }>();
  private burstGuild: string | null = null;
  private burstFrom: readonly string[] | null = null;
  private burstLeft = 0;
  private burstSize = 8;

  constructor(
    private readonly world: World,
    private readonly writable: () => boolean,
    seed: number
  ) {
    this.rng = new Rng(mix(seed, 0x7aff1c));
  }

  /** Emit one event of a kind now (synchronously). Returns false when it had to be skipped. */
  emit(kind: TrafficKind, guildIDs?: string[]): boolean {
    const guilds = guildIDs ?? this.everyGuild();
    if (this.burstLeft <= 0 || this.burstFrom !== guilds || this.burstGuild === null) {
      this.burstGuild = guilds[Math.floor(this.rng.next() * guilds.length)];
      this.burstFrom = guilds;
      this.burstLeft = this.burstSize;
    }
    this.burstLeft--;
    const guildID = this.burstGuild;
    try {
      return this.emitIn(kind, guildID);
    } catch (error) {
      if (error instanceof WorldError) return false;
      throw error;
    }
  }

  /** Run traffic until `events` were emitted (or stop() was called). */
  run(options: TrafficRunOptions): Promise<TrafficReport> {
    const kinds = this.weights(options.mix);
    const guilds = options.guilds ?? this.everyGuild();
    if (guilds.length === 0) throw new TypeError('traffic needs at least one guild');
    if (options.rate !== undefined && !(options.rate > 0))
      throw new TypeError('traffic rate must be a positive number');
    const report: TrafficReport = {
      emitted: 0,
      byKind: Object.fromEntries(TRAFFIC_KINDS.map((k) => [k, 0])) as Record<TrafficKind, number>,
      skipped: 0,
      elapsedMs: 0
    };
    const started = Date.now();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      let immediate: NodeJS.Immediate | null = null;
      let done = false;
      const handle = { stop: () => finish() };
      const finish = () => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        if (immediate) clearImmediate(immediate);
        this.running.delete(handle);
        report.elapsedMs = Date.now() - started;
        resolve(report);
      };
      this.running.add(handle);
      const one = () => {
        const kind = this.pickKind(kinds);
        if (this.emit(kind, guilds)) {
          report.emitted++;
          report.byKind[kind]++;
        } else {
          report.skipped++;
        }
      };
      const total = () => report.emitted + report.skipped;
      if (options.rate === undefined) {
        const loop = () => {
          immediate = null;
          timer = null;
          if (done) return;
          if (!this.writable()) {
            timer = setTimeout(loop, 1);
            return;
          }
          for (let i = 0; i < BATCH && total() < options.events; i++) one();
          if (total() >= options.events) finish();
          else immediate = setImmediate(loop);
        };
        loop();
      } else {
        const rate = options.rate;
        const tick = () => {
          timer = null;
          if (done) return;
          const due = Math.min(options.events, Math.floor(((Date.now() - started) / 1000) * rate) + 1);
          while (total() < due) one();
          if (total() >= options.events) finish();
          else timer = setTimeout(tick, Math.max(1, Math.min(50, 1000 / rate)));
        };
        tick();
      }
    });
  }

  /** Stop every running traffic loop (their promises resolve with what was emitted). */
  stop(): void {
    for (const handle of [...this.running]) handle.stop();
  }

  /** Final state of every (message, emoji, user) touched while trackReactions was on. */
  reactionStates(): ReactionState[] {
    return [...this.reactionStateMap.values()].map((s) => ({ ...s }));
  }

  private emitIn(kind: TrafficKind, guildID: string): boolean {
    const world = this.world;
    const rng = this.rng;
    // Not copied: guilds may hold thousands of members and this runs per event.
    const members = world.memberIDs(guildID);
    const humans = { length: members.length - 1 };
    const anyone = () => {
      for (;;) {
        const id = members[Math.floor(rng.next() * members.length)];
        if (id !== world.botUser.id) return id;
      }
    };
    switch (kind) {
      case 'reaction': {
        const setup = world.reactionRoles(guildID);
        if (setup.pairs.length === 0 || humans.length === 0) return false;
        const pair = rng.pick(setup.pairs);
        const userID = anyone();
        const reacted = world.hasReacted(setup.messageID, pair.emoji, userID);
        if (reacted) world.removeReaction(setup.channelID, setup.messageID, userID, pair.emoji);
        else world.addReaction(setup.channelID, setup.messageID, userID, pair.emoji);
        if (this.trackReactions) {
          this.reactionStateMap.set(`${setup.messageID}:${pair.emoji}:${userID}`, {
            guildID,
            messageID: setup.messageID,
            userID,
            emoji: pair.emoji,
            roleID: pair.roleID,
            reacted: !reacted
          });
        }
        return true;
      }
      case 'memberAdd': {
        const index = rng.int(0, world.options.users - 1);
        const userID = world.userIDAt(index);
        return world.addMember(guildID, userID);
      }
      case 'memberRemove':
        return humans.length > 2 && world.removeMember(guildID, anyone());
      case 'memberUpdate':
        if (humans.length === 0) return false;
        world.moderateMember(guildID, anyone(), { nick: rng.chance(0.2) ? null : `nick${rng.int(0, 9999)}` });
        return true;
      case 'roleUpdate': {
        const roles = world.editableRoleIDs(guildID);
        if (roles.length === 0) return false;
        world.updateRole(guildID, rng.pick(roles), { color: rng.int(0, 0xffffff) });
        return true;
      }
      case 'channelUpdate':
        world.updateChannel(rng.pick(world.textChannelIDs(guildID)), { topic: `topic ${rng.int(0, 99999)}` });
        return true;
      case 'message':
        if (humans.length === 0) return false;
        world.createMessage(rng.pick(world.textChannelIDs(guildID)), anyone(), `hello ${rng.int(0, 99999)}`);
        return true;
      case 'presence':
        if (humans.length === 0) return false;
        world.setPresence(guildID, anyone(), rng.pick(STATUSES));
        return true;
      case 'typing':
        if (humans.length === 0) return false;
        world.typing(rng.pick(world.textChannelIDs(guildID)), anyone());
        return true;
    }
  }

  private weights(mixOption: TrafficRunOptions['mix']): [TrafficKind, number][] {
    const entries = Object.entries(mixOption ?? { reaction: 1 }) as [TrafficKind, number][];
    for (const [kind, weight] of entries) {
      if (!TRAFFIC_KINDS.includes(kind)) throw new TypeError(`unknown traffic kind "${kind}"`);
      if (typeof weight !== 'number' || !(weight >= 0)) throw new TypeError(`traffic weight for ${kind} must be >= 0`);
    }
    const positive = entries.filter(([, w]) => w > 0);
    if (positive.length === 0) throw new TypeError('traffic mix needs at least one positive weight');
    return positive;
  }

  private pickKind(kinds: [TrafficKind, number][]): TrafficKind {
    if (kinds.length === 1) return kinds[0][0];
    let total = 0;
    for (const [, w] of kinds) total += w;
    let roll = this.rng.next() * total;
    for (const [kind, w] of kinds) {
      roll -= w;
      if (roll < 0) return kind;
    }
    return kinds[kinds.length - 1][0];
  }

  private everyGuild(): string[] {
    if (!this.allGuilds) this.allGuilds = [...this.world.guildIDs()];
    return this.allGuilds;
  }
}
