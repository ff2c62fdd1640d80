import type { GatewayActivity, GatewayPresenceClientStatus } from 'discord-api-types/v10';
import { MissingIDError } from '../cache/errors.js';
import { Base } from './Base.js';
import type { Guild } from './Guild.js';

/** A user's status as Discord sends it in presences ('invisible' arrives as 'offline'). */
export type UserStatus = 'online' | 'idle' | 'dnd' | 'offline';

/** Which client each status comes from (Eris's `clientStatus`). */
export type ClientStatus = Readonly<GatewayPresenceClientStatus>;

/** A presence payload (GUILD_CREATE `presences`, PRESENCE_UPDATE); `id` may be given in place of `user.id`. */
export interface PresencePayload {
  id?: string;
  user?: { id?: unknown };
  status?: unknown;
  activities?: unknown;
  client_status?: unknown;
}

/** What a presence was before an update, as Eris's `presenceUpdate` gives it. */
export interface PresenceSnapshot {
  status: UserStatus;
  activities: readonly GatewayActivity[];
  clientStatus: ClientStatus;
}

const STATUSES: ReadonlySet<string> = new Set<UserStatus>(['online', 'idle', 'dnd', 'offline']);
const PLATFORMS = ['desktop', 'mobile', 'web'] as const;

/** Shared by every presence without activities, and by Member.activities when none is cached. */
export const NO_ACTIVITIES: readonly GatewayActivity[] = Object.freeze([]);
/** Shared by every presence without client statuses, and by Member.clientStatus when none is cached. */
export const NO_CLIENT_STATUS: ClientStatus = Object.freeze({});

/**
 * Client statuses take at most 4³ shapes (three platforms, four statuses each), so each shape is one frozen
 * object shared by every presence that has it instead of an object per presence.
 */
const clientStatusShapes = new Map<string, ClientStatus>([['', NO_CLIENT_STATUS]]);

function internClientStatus(value: unknown): ClientStatus | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const raw = value as Record<string, unknown>;
  let key = '';
  for (const platform of PLATFORMS) {
    const status = raw[platform];
    if (typeof status === 'string' && STATUSES.has(status)) key += `${platform}:${status};`;
  }
  let shape = clientStatusShapes.get(key);
  if (shape === undefined) {
    const built: Record<string, string> = {};
    for (const platform of PLATFORMS) {
      const status = raw[platform];
      if (typeof status === 'string' && STATUSES.has(status)) built[platform] = status;
    }
    shape = Object.freeze(built) as ClientStatus;
    clientStatusShapes.set(key, shape);
  }
  return shape;
}

/**
 * A member's presence in one guild (Eris keeps these fields on Member; here they live in
 * `guild.presences`, so the members of a fleet without the presences intent pay nothing for them).
 * `id` is the user id. Activities are kept as Discord sent them; fields of a malformed payload are
 * ignored rather than stored.
 */
export class MemberPresence extends Base {
  readonly id: string;
  status: UserStatus;
  activities: readonly GatewayActivity[];
  clientStatus: ClientStatus;

  constructor(data: PresencePayload, _guild?: Guild) {
    super();
    const id = data.id ?? data.user?.id;
    if (typeof id !== 'string') throw new MissingIDError('MemberPresence');
    this.id = id;
    this.status = 'offline';
    this.activities = NO_ACTIVITIES;
    this.clientStatus = NO_CLIENT_STATUS;
    this.update(data);
  }

  /** Apply a PRESENCE_UPDATE in place; absent or malformed fields keep their value. */
  update(data: PresencePayload): void {
    if (typeof data.status === 'string' && STATUSES.has(data.status)) this.status = data.status as UserStatus;
    if (Array.isArray(data.activities)) {
      this.activities = data.activities.length === 0 ? NO_ACTIVITIES : (data.activities as GatewayActivity[]);
    } else if (data.activities === null) {
      this.activities = NO_ACTIVITIES;
    }
    const clientStatus = internClientStatus(data.client_status);
    if (clientStatus !== undefined) this.clientStatus = clientStatus;
  }

  /** The fields an update may change, for the `presenceUpdate` event's old value. */
  snapshot(): PresenceSnapshot {
    // Safe to share: activities are replaced (never mutated) on update and client statuses are frozen.
    return { status: this.status, activities: this.activities, clientStatus: this.clientStatus };
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON(['status', 'activities', 'clientStatus', ...props]);
  }
}
