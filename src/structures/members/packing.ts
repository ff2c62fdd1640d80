/**
 * How a member's small fields are packed, shared by `Member` (one object per member) and
 * `MemberStore` (columns per guild), so both read and write the same layout.
 *
 * `bits`: deaf (bit 0), mute (1), pending (2), member flags (bits 3–15), the join time's
 * millisecond remainder (bits 16–25). Bits 26–30 are free for a store's own markers.
 * `joined`: seconds since the Discord epoch, -1 for none (see time.ts).
 */
import type { APIAvatarDecorationData } from 'discord-api-types/v10';
import type { MemberPayload } from '../Member.js';
import { msRemainder, parseTimestamp, toEpochSeconds } from '../time.js';

export const DEAF = 1;
export const MUTE = 2;
export const PENDING = 4;
export const FLAGS_SHIFT = 3;
/** Member flags use bits 0–10 today; 13 bits leave room. */
export const FLAGS_MASK = 0x1fff;
/** The join time's millisecond remainder (0–999, 10 bits) sits above the flags. */
export const JOIN_MS_SHIFT = 16;
/** Everything below the join milliseconds. */
export const LOW_MASK = (1 << JOIN_MS_SHIFT) - 1;
/** Everything a payload decides (a store's markers above bit 25 excluded). */
export const PAYLOAD_MASK = (1 << 26) - 1;

/** Fields few members have; allocated only for those that do. Treated as immutable once shared. */
export interface MemberExtra {
  avatar: string | null;
  banner: string | null;
  premiumSince: number | null;
  communicationDisabledUntil: number | null;
  avatarDecorationData: APIAvatarDecorationData | null | undefined;
}

/** Packed bits of a full payload whose join time (ms) is `joined`. */
export function packBits(data: MemberPayload, joined: number | null): number {
  return (
    (data.deaf ? DEAF : 0) |
    (data.mute ? MUTE : 0) |
    (data.pending ? PENDING : 0) |
    ((typeof data.flags === 'number' ? data.flags & FLAGS_MASK : 0) << FLAGS_SHIFT) |
    (msRemainder(joined) << JOIN_MS_SHIFT)
  );
}

/** `bits` with the fields a partial payload carries applied (the join time is the caller's: see `joinSeconds`). */
export function patchBits(bits: number, data: MemberPayload, joined: number | null): number {
  if (data.joined_at !== undefined) bits = (bits & ~(0x3ff << JOIN_MS_SHIFT)) | (msRemainder(joined) << JOIN_MS_SHIFT);
  if (data.deaf !== undefined) bits = data.deaf ? bits | DEAF : bits & ~DEAF;
  if (data.mute !== undefined) bits = data.mute ? bits | MUTE : bits & ~MUTE;
  if (data.pending !== undefined) bits = data.pending ? bits | PENDING : bits & ~PENDING;
  if (typeof data.flags === 'number') {
    bits = (bits & ~(FLAGS_MASK << FLAGS_SHIFT)) | ((data.flags & FLAGS_MASK) << FLAGS_SHIFT);
  }
  return bits;
}

/** The payload's join time in ms (null when absent or unparsable). */
export function joinedMs(data: MemberPayload): number | null {
  return parseTimestamp(data.joined_at);
}

/** Seconds since the Discord epoch, -1 for none. */
export const joinSeconds = toEpochSeconds;

/**
 * The extra fields after a payload: `current` itself when nothing changes, null when every field is
 * at its default (the getters then answer the same), otherwise a new object: copy on write, so a
 * member built from a store's columns never shares a mutable object with the store.
 */
export function nextExtra(current: MemberExtra | null, data: MemberPayload): MemberExtra | null {
  if (
    current === null &&
    !(
      data.avatar ||
      data.banner ||
      data.premium_since ||
      data.communication_disabled_until ||
      data.avatar_decoration_data
    )
  ) {
    return null;
  }
  const avatar = data.avatar !== undefined ? data.avatar : (current?.avatar ?? null);
  const banner = data.banner !== undefined ? data.banner : (current?.banner ?? null);
  const premiumSince =
    data.premium_since !== undefined ? parseTimestamp(data.premium_since) : (current?.premiumSince ?? null);
  const communicationDisabledUntil =
    data.communication_disabled_until !== undefined
      ? parseTimestamp(data.communication_disabled_until)
      : (current?.communicationDisabledUntil ?? null);
  const avatarDecorationData =
    data.avatar_decoration_data !== undefined ? data.avatar_decoration_data : current?.avatarDecorationData;
  if (
    current !== null &&
    avatar === current.avatar &&
    banner === current.banner &&
    premiumSince === current.premiumSince &&
    communicationDisabledUntil === current.communicationDisabledUntil &&
    avatarDecorationData === current.avatarDecorationData
  ) {
    return current;
  }
  if (!avatar && !banner && premiumSince === null && communicationDisabledUntil === null && !avatarDecorationData) {
    return null;
  }
  return { avatar, banner, premiumSince, communicationDisabledUntil, avatarDecorationData };
}
