// Minimal structure classes following the cache's structure contract (src/cache/types.ts), shaped
// like User and Member: Member stores its user as { id } and is rebuilt with its user on read.

export interface RawUser {
  id: string;
  username: string;
}

export class TestUser {
  id: string;
  username: string;
  constructor(data: RawUser) {
    this.id = data.id;
    this.username = data.username;
  }
  update(data: Partial<RawUser>): void {
    if (data.username !== undefined) this.username = data.username;
  }
  static isStored(value: unknown): boolean {
    const v = value as RawUser;
    return typeof v.id === 'string' && typeof v.username === 'string';
  }
}

export interface RawMember {
  id: string;
  user: RawUser;
  roles: string[];
  nick?: string | null;
}

export interface MemberContext {
  guildID: string;
  users: Map<string, RawUser>;
}

export class TestMember {
  id: string;
  user: TestUser;
  roles: string[];
  nick: string | null;
  guildID: string;
  constructor(data: RawMember, context: MemberContext) {
    this.id = data.user.id;
    this.user = new TestUser(data.user);
    this.roles = data.roles;
    this.nick = data.nick ?? null;
    this.guildID = context.guildID;
  }
  update(data: Partial<RawMember>): void {
    if (data.roles) this.roles = data.roles;
    if (data.nick !== undefined) this.nick = data.nick;
  }
  toRaw(): RawMember {
    return {
      id: this.id,
      user: { id: this.user.id, username: this.user.username },
      roles: this.roles,
      nick: this.nick
    };
  }
  static toStored(raw: RawMember): unknown {
    return { ...raw, user: { id: raw.user.id } };
  }
  static isStored(value: unknown): boolean {
    const v = value as { id?: unknown; user?: { id?: unknown }; roles?: unknown };
    return (
      typeof v.id === 'string' &&
      typeof v.user?.id === 'string' &&
      Array.isArray(v.roles) &&
      Object.keys(v.user).length === 1
    );
  }
  static fromStored(stored: unknown, context?: unknown): RawMember | null {
    const record = stored as RawMember;
    const user = (context as MemberContext).users.get(record.user.id);
    return user ? { ...record, user } : null;
  }
}
