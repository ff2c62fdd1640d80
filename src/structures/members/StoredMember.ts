import type { Guild } from '../Guild.js';
import { Member, type MemberPayload, type MemberRow } from '../Member.js';
import type { User } from '../User.js';
import type { MemberStore } from './MemberStore.js';

/**
 * A Member built from a `MemberStore`'s columns: a copy of the member's fields at the time it was
 * read, plus where it came from, so that writes reach the store: `update(data)` writes the payload
 * to the columns (and refreshes this copy), and assigning `user`, `roles` or `nick` writes that
 * field through, as on an Eris member. Another copy read earlier does not see the change (each
 * read is a snapshot). Once the member has left the store, both change this copy only.
 */
export class StoredMember extends Member {
  declare private _user: User;
  declare private _roles: readonly string[];
  declare private _nick: string | null;
  /** Undefined only while Member's constructor runs (a setter then writes nothing through). */
  private readonly store: MemberStore;
  /** Where the member was when read; checked (and looked up again by id) before every write. */
  private slot: number;

  static {
    const proto = StoredMember.prototype;
    Object.defineProperties(proto, {
      user: {
        configurable: true,
        get(this: StoredMember): User {
          return this._user;
        },
        set(this: StoredMember, value: User) {
          const slot = this.attachedSlot();
          // A copy finds its row again by its user's id: another user (which the store refuses as
          // well: the id is the row's key) would point later writes at that user's member.
          if (slot >= 0 && !(value instanceof Object && value.id === this._user.id)) return;
          this._user = value;
          if (slot >= 0) this.store.writeUser(slot, value);
        }
      },
      roles: {
        configurable: true,
        get(this: StoredMember): readonly string[] {
          return this._roles;
        },
        set(this: StoredMember, value: readonly string[]) {
          this._roles = value;
          const slot = this.attachedSlot();
          if (slot >= 0) this.store.writeRoles(slot, value);
        }
      },
      nick: {
        configurable: true,
        get(this: StoredMember): string | null {
          return this._nick;
        },
        set(this: StoredMember, value: string | null) {
          this._nick = value;
          const slot = this.attachedSlot();
          if (slot >= 0) this.store.writeNick(slot, value);
        }
      }
    });
  }

  constructor(row: MemberRow, guild: Guild, store: MemberStore, slot: number) {
    super(row, guild);
    this.store = store;
    this.slot = slot;
  }

  /** Apply a partial payload to the stored member (and this copy), or to this copy only once it has left. */
  override update(data: MemberPayload): void {
    const slot = this.attachedSlot();
    if (slot < 0) {
      super.update(data);
      return;
    }
    this.store.patch(slot, data);
    this.assignRow(this.store.readRow(slot));
  }

  /** Into the backing fields: the constructor's and a refresh's writes must not write through. */
  protected override assignRow(row: MemberRow): void {
    this._user = row.user;
    this._roles = row.roles;
    this._nick = row.nick;
    this._joined = row.joined;
    this._bits = row.bits;
    this._extra = row.extra;
  }

  /** The member's slot now, or -1 when it has left the store (or while it is being constructed). */
  private attachedSlot(): number {
    const store = this.store as MemberStore | undefined;
    if (store === undefined) return -1;
    const slot = store.locate(this._user.id, this.slot);
    if (slot >= 0) this.slot = slot;
    return slot;
  }
}
