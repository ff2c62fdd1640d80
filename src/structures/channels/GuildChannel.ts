import { Collection } from '../../cache/Collection.js';
import {
  type ChannelPermissionOptions,
  channelPermissions,
  type MemberPermissionInput
} from '../../permissions/compute.js';
import {
  EMPTY_RUN,
  overwriteAt,
  overwriteCount,
  overwritesToAPI,
  type PackedOverwrites,
  packOverwrites
} from '../../permissions/overwrites.js';
import type { Guild } from '../Guild.js';
import type { Member } from '../Member.js';
import { Permission } from '../Permission.js';
import { PermissionOverwrite } from '../PermissionOverwrite.js';
import { Channel } from './Channel.js';
import { UncachedMemberError } from './errors.js';
import type { ChannelPayload } from './types.js';

const NSFW = 1;
const FLAGS_SHIFT = 1;

/**
 * A channel in a guild. Overwrites live in the guild's overwrite pool (see
 * permissions/overwrites.ts); the channel holds a run number, or, once detached from its guild (a
 * deleted channel), a handle on a pool of its own. `permissionOverwrites` builds Eris's Collection
 * on read. nsfw and the channel flags share one small integer.
 */
export class GuildChannel extends Channel {
  declare readonly guild: Guild;
  declare name: string;
  declare position: number;
  /** Category (or, for a thread, parent channel) id, or null. */
  declare parentID: string | null;
  /** Run number in the guild's overwrite pool, or a detached copy (see `detachOverwrites`). */
  declare private _overwrites: number | PackedOverwrites;
  declare protected _bits: number;

  constructor(data: ChannelPayload, guild: Guild) {
    super(data);
    this.guild = guild;
    this.name = typeof data.name === 'string' ? data.name : '';
    this.position = typeof data.position === 'number' ? data.position : 0;
    this.parentID = typeof data.parent_id === 'string' ? guild.internChannelID(data.parent_id) : null;
    this._overwrites = EMPTY_RUN;
    this.storeOverwrites(data.permission_overwrites);
    this._bits = (data.nsfw ? NSFW : 0) | ((typeof data.flags === 'number' ? data.flags : 0) << FLAGS_SHIFT);
  }

  /** Apply a CHANNEL_UPDATE payload in place (name, position, parent, overwrites, nsfw, flags); absent fields kept. */
  override update(data: Partial<ChannelPayload>): void {
    super.update(data);
    if (data.name !== undefined) this.name = data.name ?? '';
    if (data.position !== undefined) this.position = data.position;
    if (data.parent_id !== undefined) {
      this.parentID = data.parent_id === null ? null : this.guild.internChannelID(data.parent_id);
    }
    if (data.permission_overwrites !== undefined) this.storeOverwrites(data.permission_overwrites);
    if (data.nsfw !== undefined) this._bits = data.nsfw ? this._bits | NSFW : this._bits & ~NSFW;
    if (typeof data.flags === 'number') this._bits = (this._bits & NSFW) | (data.flags << FLAGS_SHIFT);
  }

  /**
   * Store overwrites as a new run of the guild's pool, or share the parent category's run when the
   * set is identical, as it is for every channel synced with its category.
   */
  private storeOverwrites(raw: ChannelPayload['permission_overwrites']): void {
    if (typeof this._overwrites !== 'number') {
      // Detached: keep to a pool of its own, out of the guild's compactions.
      this._overwrites = packOverwrites(raw, (id) => this.guild.internOverwriteID(id));
      return;
    }
    const pool = this.guild.overwritePool;
    const parentID = this.parentID;
    const parent = parentID === null ? undefined : this.guild.channels.peek(parentID);
    const share = parent === undefined ? EMPTY_RUN : parent.overwriteRun;
    const next = pool.add(raw, share);
    // Read after add: a compaction inside it may have moved this channel's run.
    const previous = this._overwrites;
    if (typeof previous === 'number') pool.release(previous);
    this._overwrites = next;
  }

  /** This channel's run in the guild's overwrite pool (EMPTY_RUN when detached). @internal */
  get overwriteRun(): number {
    return typeof this._overwrites === 'number' ? this._overwrites : EMPTY_RUN;
  }

  set overwriteRun(run: number) {
    if (typeof this._overwrites === 'number') this._overwrites = run;
  }

  /**
   * Copy the overwrites out of the guild's pool, for a channel that has left its guild's channels
   * (the pool may reuse its run). Later updates store runs in the guild's pool again.
   */
  detachOverwrites(): void {
    const run = this._overwrites;
    if (typeof run !== 'number') return;
    const pool = this.guild.overwritePool;
    this._overwrites = pool.detach(run);
    pool.release(run);
  }

  /** This channel's overwrites (a read handle; read `permissionOverwrites` for objects). */
  get overwrites(): PackedOverwrites {
    const stored = this._overwrites;
    return typeof stored === 'number' ? this.guild.overwritePool.view(stored) : stored;
  }

  get nsfw(): boolean {
    return (this._bits & NSFW) !== 0;
  }

  get flags(): number {
    return this._bits >>> FLAGS_SHIFT;
  }

  /** Eris's Collection of PermissionOverwrite, built from the packed form on each read. */
  get permissionOverwrites(): Collection<string, PermissionOverwrite> {
    const collection = new Collection<string, PermissionOverwrite>(PermissionOverwrite);
    const packed = this.overwrites;
    for (let i = 0; i < overwriteCount(packed); i++) collection.add(new PermissionOverwrite(overwriteAt(packed, i)));
    return collection;
  }

  /**
   * A member's permissions in this channel: guild base, overwrites in Discord's order, then the
   * timeout and implicit rules (pass `{ implicit: false }` for the raw overwrite result, as Eris
   * returns it). Throws UncachedMemberError for an id the cache does not hold.
   */
  permissionsOf(memberOrID: Member | string, options?: ChannelPermissionOptions): Permission {
    return new Permission(this.permissionBitsOf(memberOrID, options));
  }

  /** As permissionsOf, as a bigint. */
  permissionBitsOf(memberOrID: Member | string, options?: ChannelPermissionOptions): bigint {
    const input = this.memberInput(memberOrID);
    return channelPermissions(input, { type: this.type, overwrites: this.overwrites }, options);
  }

  /**
   * The permission input of a cached member (by instance or id); throws UncachedMemberError when the id is
   * not cached.
   */
  protected memberInput(memberOrID: Member | string): MemberPermissionInput {
    const member = typeof memberOrID === 'string' ? this.guild.members.get(memberOrID) : memberOrID;
    if (member === undefined) throw new UncachedMemberError(this.guild.id, memberOrID as string);
    return this.guild.permissionInputOf(member);
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    const json = super.toJSON(['flags', 'name', 'nsfw', 'parentID', 'position', ...props]);
    json.permissionOverwrites = overwritesToAPI(this.overwrites);
    return json;
  }
}
