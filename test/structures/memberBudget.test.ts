/**
 * MemberStore under a process-wide CacheBudget (`cache.memberBudget`): the bound across guilds,
 * second-chance recency, eviction counts, removal bookkeeping, and a model test against unbounded
 * Maps of Members kept in step with the evictions.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { APIGuildMember } from 'discord-api-types/v10';
import fc from 'fast-check';
import type { CacheBudget } from '../../src/cache/CacheBudget.js';
import { Collection } from '../../src/cache/Collection.js';
import { resolveCacheOptions } from '../../src/client/options.js';
import { createStructureContext } from '../../src/structures/defaults.js';
import { Guild } from '../../src/structures/Guild.js';
import { Member, type MemberPayload } from '../../src/structures/Member.js';
import { MemberStore } from '../../src/structures/members/MemberStore.js';
import { InvalidOptionError } from '../../src/util/errors.js';
import { MEMBER_ROLE, MOD_ROLE, member, OWNER_ID, role, user } from './fixtures.js';

const uid = (n: number) => String(80351110224678912n + BigInt(n) * 4194304n + BigInt(n % 7));
const gid = (n: number) => String(81384788765712384n + BigInt(n) * 4194304n);

function payload(n: number, extra: Partial<APIGuildMember> = {}): MemberPayload {
  const raw = member(user(uid(n), `user${n}`), [], extra) as MemberPayload;
  raw.id = uid(n);
  return raw;
}

/** `count` guilds whose members are MemberStores under one budget of `max` (as the Client builds them). */
function world(count: number, max: number, members: (guild: number) => APIGuildMember[] = () => []) {
  const resolved = resolveCacheOptions({ memberBudget: max }, 0);
  const context = createStructureContext({ messageLimit: 0, cache: resolved.factories });
  const budget = resolved.memberBudget as CacheBudget;
  const guilds = Array.from(
    { length: count },
    (_, g) =>
      new Guild(
        {
          id: gid(g),
          name: `g${g}`,
          owner_id: OWNER_ID,
          roles: [role(gid(g), '@everyone', 0n, 0), role(MOD_ROLE, 'mod', 1n, 1), role(MEMBER_ROLE, 'm', 2n, 2)],
          members: members(g)
        } as never,
        context
      )
  );
  return { budget, guilds };
}

function held(guilds: readonly Guild[]): number {
  return guilds.reduce((n, guild) => n + guild.members.size, 0);
}

describe('MemberStore under a CacheBudget', () => {
  test('cache.memberBudget gives every guild a MemberStore counted against the one budget', () => {
    const { budget, guilds } = world(2, 10);
    for (const guild of guilds) {
      assert.ok(guild.members instanceof MemberStore);
      assert.equal(guild.members.budget, budget);
    }
    assert.equal(budget.maxEntries, 10);
    assert.throws(() => new MemberStore(guilds[0] as Guild, {} as CacheBudget), InvalidOptionError);
  });

  test('the bound holds across many guilds loading and updating members; size and evictions are exact', () => {
    const max = 300;
    const { budget, guilds } = world(60, max, (g) =>
      Array.from({ length: 37 }, (_, i) => member(user(uid(g * 1000 + i), `u${i}`), i % 2 ? [MOD_ROLE] : []))
    );
    assert.equal(budget.size, max);
    assert.equal(held(guilds), max);
    assert.equal(budget.evictions, 60 * 37 - max);
    // The newest guilds' members are the ones kept (nothing was read: first in, first out).
    const last = guilds[59] as Guild;
    assert.equal(last.members.size, 37);
    assert.equal((guilds[0] as Guild).members.size, 0);
    let added = 0;
    for (let i = 0; i < 5000; i++) {
      const guild = guilds[(i * 7) % 60] as Guild;
      const before = guild.members.has(uid(i % 900));
      const m = guild.members.update(payload(i % 900, { nick: `n${i}` }));
      assert.equal(m.nick, `n${i}`);
      assert.equal(guild.members.get(uid(i % 900))?.nick, `n${i}`, 'the member just written is held');
      if (!before) added++;
      assert.ok(budget.size <= max);
      assert.equal(held(guilds), budget.size);
    }
    assert.equal(budget.evictions, 60 * 37 + added - max);
  });

  test('a member read since the hand last passed survives; unread older members go first', () => {
    const { budget, guilds } = world(2, 10);
    const [a, b] = guilds as [Guild, Guild];
    for (let i = 0; i < 10; i++) a.members.add(payload(i));
    assert.ok(a.members.get(uid(3)));
    a.members.update({ id: uid(5), nick: 'written' });
    // peek and has do not count as use.
    assert.ok(a.members.peek(uid(7)));
    assert.ok(a.members.has(uid(8)));
    for (let i = 100; i < 108; i++) b.members.add(payload(i));
    assert.deepEqual([...a.members.keys()], [uid(3), uid(5)]);
    assert.equal(b.members.size, 8);
    assert.equal(budget.evictions, 8);
    assert.equal(budget.size, 10);
  });

  test('a member entered where a removal freed room is not the next one evicted', () => {
    const { budget, guilds } = world(1, 4);
    const guild = guilds[0] as Guild;
    for (let i = 0; i < 4; i++) guild.members.add(payload(i));
    guild.members.delete(uid(0));
    guild.members.add(payload(4));
    guild.members.add(payload(5));
    assert.deepEqual([...guild.members.keys()], [uid(2), uid(3), uid(4), uid(5)]);
    assert.equal(budget.evictions, 1);
  });

  test('remove, delete and clear give their count back; an emptied store can be refilled', () => {
    const { budget, guilds } = world(2, 6);
    const [a, b] = guilds as [Guild, Guild];
    for (let i = 0; i < 4; i++) a.members.add(payload(i));
    for (let i = 10; i < 12; i++) b.members.add(payload(i));
    assert.equal(budget.size, 6);
    assert.equal(a.members.remove({ id: uid(0) })?.id, uid(0));
    assert.equal(a.members.delete(uid(1)), true);
    assert.equal(budget.size, 4);
    b.members.clear();
    assert.equal(budget.size, 2);
    for (let i = 20; i < 24; i++) b.members.add(payload(i));
    assert.equal(budget.size, 6);
    assert.equal(budget.evictions, 0);
    b.members.add(payload(24));
    assert.equal(budget.evictions, 1);
    assert.equal(budget.size, 6);
    assert.equal(held(guilds), 6);
  });

  test('the member an event enters is returned whole even when its add evicts from the same guild', () => {
    const { budget, guilds } = world(1, 1);
    const guild = guilds[0] as Guild;
    guild.members.add(payload(1, { nick: 'first' }));
    const reactor = guild.members.update(payload(2, { nick: 'reactor', roles: [MOD_ROLE] }));
    assert.equal(reactor.id, uid(2));
    assert.equal(reactor.nick, 'reactor');
    assert.deepEqual([...reactor.roles], [MOD_ROLE]);
    assert.deepEqual([...guild.members.keys()], [uid(2)]);
    assert.equal(budget.evictions, 1);
    // A write through the copy reaches the store.
    reactor.nick = 'renamed';
    assert.equal(guild.members.get(uid(2))?.nick, 'renamed');
  });

  test('a Map-based Collection and MemberStores share one budget: the sum is bounded', () => {
    const { budget, guilds } = world(3, 20);
    const own = new Collection<string, Member, MemberPayload>(Member, undefined, { budget });
    for (let i = 0; i < 200; i++) {
      const guild = guilds[i % 3] as Guild;
      if (i % 4 === 0) own.add(new Member(payload(i), guild));
      else guild.members.add(payload(i));
      assert.ok(budget.size <= 20);
      assert.equal(budget.size, own.size + held(guilds));
    }
    assert.ok(own.size > 0 && held(guilds) > 0);
  });

  test('random operations on a few guilds: held members equal unbounded Maps minus the evicted', () => {
    const fieldsArb = fc.record(
      {
        roles: fc.subarray([MOD_ROLE, MEMBER_ROLE]),
        nick: fc.option(fc.constantFrom('a', 'bee'), { nil: null }),
        deaf: fc.boolean(),
        premium_since: fc.option(fc.constant('2023-03-03T03:03:03.333000+00:00'), { nil: null })
      },
      { requiredKeys: [] }
    );
    const op = fc.record({
      kind: fc.constantFrom('add', 'update', 'get', 'peek', 'remove', 'delete', 'set', 'clear', 'assign'),
      g: fc.nat(2),
      n: fc.nat(40),
      data: fieldsArb
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }), fc.array(op, { maxLength: 300 }), (max, ops) => {
        const { budget, guilds } = world(3, max);
        const refs = guilds.map(() => new Map<string, Member>());
        for (const { kind, g, n, data } of ops) {
          const guild = guilds[g] as Guild;
          const ref = refs[g] as Map<string, Member>;
          const id = uid(n);
          const before = budget.evictions;
          switch (kind) {
            case 'add': {
              const full = payload(n, data as Partial<APIGuildMember>);
              guild.members.add(full);
              if (!ref.has(id)) ref.set(id, new Member(full, guild));
              break;
            }
            case 'update': {
              guild.members.update({ id, ...data } as MemberPayload);
              const known = ref.get(id);
              if (known) known.update({ id, ...data } as MemberPayload);
              else ref.set(id, new Member({ id, ...data } as MemberPayload, guild));
              break;
            }
            case 'get':
              assert.equal(guild.members.get(id)?.id, ref.get(id)?.id);
              break;
            case 'peek':
              assert.equal(guild.members.peek(id)?.id, ref.get(id)?.id);
              break;
            case 'remove':
              assert.equal(guild.members.remove({ id })?.id, ref.has(id) ? id : undefined);
              ref.delete(id);
              break;
            case 'delete':
              assert.equal(guild.members.delete(id), ref.delete(id));
              break;
            case 'set': {
              const value = new Member(payload(n, data as Partial<APIGuildMember>), guild);
              guild.members.set(id, value);
              ref.set(id, new Member(payload(n, data as Partial<APIGuildMember>), guild));
              break;
            }
            case 'clear':
              guild.members.clear();
              ref.clear();
              break;
            case 'assign': {
              const copy = guild.members.get(id);
              if (copy) {
                copy.nick = 'assigned';
                (ref.get(id) as Member).nick = 'assigned';
              }
              break;
            }
          }
          // Whoever the budget evicted leaves the model too; one entry enters per operation, so at most one leaves.
          let evicted = 0;
          for (const [r, m] of refs.entries()) {
            for (const key of [...m.keys()]) {
              if (!(guilds[r] as Guild).members.has(key)) {
                m.delete(key);
                evicted++;
              }
            }
          }
          assert.equal(evicted, budget.evictions - before);
          assert.ok(budget.size <= max);
          assert.equal(budget.size, held(guilds));
          for (const [r, m] of refs.entries()) {
            const members = (guilds[r] as Guild).members;
            assert.equal(members.size, m.size);
            assert.deepEqual([...members.keys()], [...m.keys()]);
            for (const [key, expected] of m) assert.deepEqual(members.peek(key)?.toJSON(), expected.toJSON());
          }
        }
      }),
      { numRuns: 150 }
    );
  });
});
