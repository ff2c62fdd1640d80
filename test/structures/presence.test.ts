/**
 * MemberPresence: compact fields (shared empty activities, interned client statuses), in-place updates that
 * ignore malformed fields, guild.presences filled from GUILD_CREATE only when presences are present, and
 * Member's Eris getters (status, activities, clientStatus).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GatewayActivity } from 'discord-api-types/v10';
import { MissingIDError } from '../../src/cache/errors.js';
import { NullCollection } from '../../src/cache/NullCollection.js';
import {
  createStructureContext,
  Guild,
  MemberPresence,
  NO_ACTIVITIES,
  NO_CLIENT_STATUS,
  type PresencePayload
} from '../../src/structures/index.js';
import { GUILD_ID, guildCreate, member, OWNER_ID, user } from './fixtures.js';

const ALICE = '80351110224678912';
const BOB = '80351110224678913';
const GAME = { name: 'chess', type: 0 } as GatewayActivity;

function presence(id: string, status: string, extra: Partial<PresencePayload> = {}): PresencePayload {
  return { user: { id }, status, activities: [], client_status: { desktop: status }, ...extra };
}

function guildWith(presences: PresencePayload[] | undefined, context = createStructureContext()): Guild {
  const data = guildCreate([member(user(OWNER_ID, 'owner'), []), member(user(ALICE, 'alice'), [])]);
  const payload = { ...data, presences } as unknown as typeof data;
  if (presences === undefined) delete (payload as { presences?: unknown }).presences;
  return new Guild(payload, context);
}

test('a presence keeps status, activities and client status; empty ones are shared', () => {
  const p = new MemberPresence(presence(ALICE, 'idle', { activities: [GAME], client_status: { mobile: 'idle' } }));
  assert.equal(p.id, ALICE);
  assert.equal(p.status, 'idle');
  assert.deepEqual(p.activities, [GAME]);
  assert.deepEqual(p.clientStatus, { mobile: 'idle' });
  const q = new MemberPresence(presence(BOB, 'online', { client_status: { mobile: 'idle' } }));
  // One frozen object per client-status shape, one frozen empty activities array for all.
  assert.equal(q.clientStatus, p.clientStatus);
  assert.equal(q.activities, NO_ACTIVITIES);
  assert.ok(Object.isFrozen(q.clientStatus) && Object.isFrozen(q.activities));
  assert.deepEqual(p.toJSON(), {
    id: ALICE,
    createdAt: p.createdAt,
    status: 'idle',
    activities: [GAME],
    clientStatus: { mobile: 'idle' }
  });
  assert.throws(() => new MemberPresence({ status: 'online' }), MissingIDError);
});

test('update applies given fields in place and ignores malformed ones', () => {
  const p = new MemberPresence(presence(ALICE, 'online', { activities: [GAME] }));
  const before = p.snapshot();
  p.update({ status: 'dnd', client_status: { web: 'dnd', desktop: 'bogus' } });
  assert.equal(p.status, 'dnd');
  assert.deepEqual(p.activities, [GAME], 'absent activities are kept');
  assert.deepEqual(p.clientStatus, { web: 'dnd' }, 'unknown statuses are dropped');
  p.update({ status: 'sleeping', activities: 'not a list', client_status: 7 } as PresencePayload);
  assert.equal(p.status, 'dnd');
  assert.deepEqual(p.activities, [GAME]);
  assert.deepEqual(p.clientStatus, { web: 'dnd' });
  p.update({ activities: null, client_status: {} });
  assert.equal(p.activities, NO_ACTIVITIES);
  assert.equal(p.clientStatus, NO_CLIENT_STATUS);
  // The snapshot taken before is not changed by later updates.
  assert.deepEqual(before, { status: 'online', activities: [GAME], clientStatus: { desktop: 'online' } });
});

test('GUILD_CREATE presences fill guild.presences, offline ones left out; members read them', () => {
  const guild = guildWith([presence(ALICE, 'dnd', { activities: [GAME] }), presence(OWNER_ID, 'offline')]);
  assert.deepEqual([...guild.presences.keys()], [ALICE]);
  const alice = guild.members.get(ALICE);
  const owner = guild.members.get(OWNER_ID);
  assert.ok(alice && owner);
  assert.equal(alice.status, 'dnd');
  assert.deepEqual(alice.activities, [GAME]);
  assert.deepEqual(alice.clientStatus, { desktop: 'dnd' });
  assert.equal(owner.status, 'offline');
  assert.equal(owner.activities, NO_ACTIVITIES);
  assert.equal(owner.clientStatus, NO_CLIENT_STATUS);
  // Going offline drops the entry; a payload without a user id is ignored.
  assert.equal(guild.applyPresence(presence(ALICE, 'offline')), null);
  assert.equal(guild.presences.size, 0);
  assert.equal(guild.applyPresence({ status: 'online' }), null);
  assert.equal(guild.presences.size, 0);
});

test('a guild without presences builds no presences collection, and members still answer', () => {
  let built = 0;
  const context = createStructureContext({
    cache: {
      presences: () => {
        built++;
        return new NullCollection<MemberPresence, PresencePayload>(MemberPresence);
      }
    }
  });
  for (const presences of [undefined, []]) {
    const guild = guildWith(presences, context);
    const alice = guild.members.get(ALICE);
    assert.ok(alice);
    assert.equal(alice.status, 'offline');
    assert.equal(guild.presenceOf(ALICE), undefined);
    assert.equal(guild.removePresence(ALICE), null);
  }
  assert.equal(built, 0);
  // The factory is what decides: a NullCollection keeps nothing.
  const guild = guildWith([presence(ALICE, 'online')], context);
  assert.equal(built, 1);
  assert.equal(guild.presences.size, 0);
  assert.equal(guild.members.get(ALICE)?.status, 'offline');
  assert.equal(guild.id, GUILD_ID);
});
