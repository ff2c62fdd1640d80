/**
 * A seeded stream of changes to the simulator's world: the traffic driver's kinds (member joins,
 * edits and leaves, role and channel edits, reactions, messages) interleaved with structural
 * changes the driver does not make (roles and channels created and deleted, member role sets,
 * thread edits and deletions) and REST edits by the bot (reaction-role toggles through the Client).
 *
 * The world refuses some picks (a member who already left, a role the bot cannot manage): those
 * are counted as skipped, never thrown.
 */
import type { Client } from '../../../src/Client.js';
import { type Simulator, type TrafficKind, WorldError } from '../../../src/testing/index.js';

export type WorldEventKind =
  | TrafficKind
  | 'roleCreate'
  | 'roleDelete'
  | 'channelCreate'
  | 'channelDelete'
  | 'memberRoles'
  | 'threadUpdate'
  | 'threadDelete'
  | 'restRoleToggle';

export const DEFAULT_EVENT_MIX: Record<WorldEventKind, number> = {
  memberAdd: 12,
  memberUpdate: 12,
  memberRemove: 8,
  roleUpdate: 10,
  channelUpdate: 10,
  reaction: 10,
  message: 6,
  presence: 2,
  typing: 2,
  roleCreate: 4,
  roleDelete: 3,
  channelCreate: 4,
  channelDelete: 3,
  memberRoles: 8,
  threadUpdate: 3,
  threadDelete: 1,
  restRoleToggle: 2
};

export interface WorldEventReport {
  emitted: number;
  skipped: number;
  byKind: Partial<Record<WorldEventKind, number>>;
  restFailures: number;
}

/** A small deterministic generator (mulberry32): the same seed drives the same changes. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function driveWorldEvents(
  sim: Simulator,
  client: Client,
  options: { events: number; seed: number; mix?: Record<WorldEventKind, number> }
): Promise<WorldEventReport> {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const world = sim.world;
  const guildIDs = [...world.guildIDs()];
  const kinds = Object.entries(options.mix ?? DEFAULT_EVENT_MIX) as [WorldEventKind, number][];
  const totalWeight = kinds.reduce((sum, [, w]) => sum + w, 0);
  const report: WorldEventReport = { emitted: 0, skipped: 0, byKind: {}, restFailures: 0 };
  const rest: Promise<void>[] = [];
  let created = 0;

  const pickKind = (): WorldEventKind => {
    let roll = random() * totalWeight;
    for (const [kind, weight] of kinds) {
      roll -= weight;
      if (roll < 0) return kind;
    }
    return kinds[kinds.length - 1][0];
  };

  /** A member of a guild other than the bot and the owner. */
  const someMember = (guildID: string): string | undefined => {
    const ids = world.memberIDs(guildID);
    for (let tries = 0; tries < 8; tries++) {
      const id = pick(ids);
      if (id !== world.botUser.id) return id;
    }
    return undefined;
  };

  const one = (kind: WorldEventKind): boolean => {
    const guildID = pick(guildIDs);
    switch (kind) {
      case 'roleCreate':
        world.createRole(guildID, `made-${created++}`);
        return true;
      case 'roleDelete': {
        const roles = world.editableRoleIDs(guildID);
        if (roles.length === 0) return false;
        world.deleteRole(guildID, pick(roles));
        return true;
      }
      case 'channelCreate':
        world.createChannel(guildID, `made-${created++}`);
        return true;
      case 'channelDelete': {
        const channels = world.textChannelIDs(guildID);
        if (channels.length === 0) return false;
        world.deleteChannel(pick(channels));
        return true;
      }
      case 'memberRoles': {
        const userID = someMember(guildID);
        const roles = world.editableRoleIDs(guildID);
        if (userID === undefined) return false;
        world.moderateMember(guildID, userID, { roles: roles.filter(() => random() < 0.3) });
        return true;
      }
      case 'threadUpdate':
      case 'threadDelete': {
        // Thread ids come from the cache under test; the world refuses any it does not know.
        const guild = client.guilds.peek(guildID);
        const threads = guild ? [...guild.threads.keys()] : [];
        if (threads.length === 0) return false;
        if (kind === 'threadUpdate') world.updateChannel(pick(threads), { name: `renamed-${created++}` });
        else world.deleteChannel(pick(threads));
        return true;
      }
      case 'restRoleToggle': {
        const setup = world.reactionRoles(guildID);
        const userID = someMember(guildID);
        if (setup.pairs.length === 0 || userID === undefined) return false;
        const { roleID } = pick(setup.pairs);
        const has = world.getMember(guildID, userID)?.roles.includes(roleID) ?? false;
        const call = has
          ? client.removeGuildMemberRole(guildID, userID, roleID, 'toggle')
          : client.addGuildMemberRole(guildID, userID, roleID, 'toggle');
        rest.push(
          call.catch(() => {
            report.restFailures++;
          })
        );
        return true;
      }
      default:
        return sim.traffic.emit(kind);
    }
  };

  for (let i = 0; i < options.events; i++) {
    const kind = pickKind();
    let done = false;
    try {
      done = one(kind);
    } catch (error) {
      if (!(error instanceof WorldError)) throw error;
    }
    if (done) {
      report.emitted++;
      report.byKind[kind] = (report.byKind[kind] ?? 0) + 1;
    } else {
      report.skipped++;
    }
    // Let sockets drain: the world emits synchronously, the gateway queues per session.
    if (i % 64 === 63) {
      await new Promise((resolve) => setImmediate(resolve));
      while (!sim.gateway.writable()) await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  await Promise.all(rest);
  return report;
}
