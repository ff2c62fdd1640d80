/**
 * Where a Role's data lives. A role read from a guild's cache is a view over one row of the
 * guild's RoleStore (columns shared by all its roles); a role built on its own (`new Role(data,
 * guild)`, or the snapshot `remove` returns) keeps its row in a RoleRecord of its own. Role reads
 * and writes go through this interface either way, so both behave the same.
 */
import type { APIRoleTags } from 'discord-api-types/v10';
import { NO_PERMISSIONS } from '../../permissions/bits.js';
import { internName } from '../intern.js';
import { DEFAULT_PACKED, type RoleNumbers } from './packing.js';

/**
 * Fields most roles do not have; a row holds one only when its role has one of them. Treated as
 * immutable: a RoleStore shares one object among the rows (of every guild) that hold equal ones
 * (rare.ts), so a change is a new object given to `setExtraAt`.
 */
export interface RoleExtra {
  readonly icon: string | null;
  readonly unicodeEmoji: string | null;
  readonly secondaryColor: number | null;
  readonly tertiaryColor: number | null;
  readonly tags: APIRoleTags | undefined;
  /** The role's numbers when they do not fit the packed form (see packing.ts), else null. */
  readonly wide: Readonly<RoleNumbers> | null;
}

/** Rows of roles, read and written by row number. */
export interface RoleSource {
  /** The row holding `id`: `hint` when it still does, else where it is now; -1 once it is gone. */
  rowOf(id: string, hint: number): number;
  idAt(row: number): string;
  nameAt(row: number): string;
  setNameAt(row: number, name: string): void;
  permissionsAt(row: number): bigint;
  setPermissionsAt(row: number, bits: bigint): void;
  /** Position, colour, booleans and flags as packing.ts packs them (WIDE: see the extra). */
  packedAt(row: number): number;
  setPackedAt(row: number, packed: number): void;
  extraAt(row: number): RoleExtra | undefined;
  setExtraAt(row: number, extra: RoleExtra | undefined): void;
}

/** The extra of a role without rare fields (a row stores none: see `isEmptyExtra`). */
export const EMPTY_ROLE_EXTRA: RoleExtra = Object.freeze({
  icon: null,
  unicodeEmoji: null,
  secondaryColor: null,
  tertiaryColor: null,
  tags: undefined,
  wide: null
});

/** A copy of `base` with `changes` applied (only RoleExtra's own fields are copied). */
export function withExtra(base: RoleExtra, changes: Partial<RoleExtra>): RoleExtra {
  const wide = changes.wide === undefined ? base.wide : changes.wide;
  return {
    icon: changes.icon === undefined ? base.icon : changes.icon,
    unicodeEmoji: changes.unicodeEmoji === undefined ? base.unicodeEmoji : changes.unicodeEmoji,
    secondaryColor: changes.secondaryColor === undefined ? base.secondaryColor : changes.secondaryColor,
    tertiaryColor: changes.tertiaryColor === undefined ? base.tertiaryColor : changes.tertiaryColor,
    tags: 'tags' in changes ? changes.tags : base.tags,
    wide: wide === null ? null : { ...wide }
  };
}

/** Whether an extra holds only defaults (reads the same as none). */
export function isEmptyExtra(extra: RoleExtra): boolean {
  return (
    extra.icon === null &&
    extra.unicodeEmoji === null &&
    extra.secondaryColor === null &&
    extra.tertiaryColor === null &&
    extra.tags === undefined &&
    extra.wide === null
  );
}

/** The single row of a role that is not in a RoleStore. */
export class RoleRecord implements RoleSource {
  private readonly id: string;
  private name: string;
  private permissions: bigint;
  private packed: number;
  private extra: RoleExtra | undefined;

  constructor(id: string) {
    this.id = id;
    this.name = '';
    this.permissions = NO_PERMISSIONS;
    this.packed = DEFAULT_PACKED;
    this.extra = undefined;
  }

  rowOf(id: string): number {
    return id === this.id ? 0 : -1;
  }

  idAt(): string {
    return this.id;
  }

  nameAt(): string {
    return this.name;
  }

  setNameAt(_row: number, name: string): void {
    this.name = internName(name);
  }

  permissionsAt(): bigint {
    return this.permissions;
  }

  setPermissionsAt(_row: number, bits: bigint): void {
    this.permissions = bits;
  }

  packedAt(): number {
    return this.packed;
  }

  setPackedAt(_row: number, packed: number): void {
    this.packed = packed;
  }

  extraAt(): RoleExtra | undefined {
    return this.extra;
  }

  setExtraAt(_row: number, extra: RoleExtra | undefined): void {
    this.extra = extra;
  }
}
