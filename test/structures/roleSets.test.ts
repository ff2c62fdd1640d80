/** A member store's role-set table (RoleSetTable.ts) against a reference count of sets, across growth and the Map switch. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Guild } from '../../src/structures/Guild.js';
import {
  findRoleSet,
  holdRoleSet,
  insertRoleSet,
  internedSet,
  liveSets,
  type RoleSets,
  releaseRoleSet,
  roleIDs,
  roleSetAt,
  withRoom
} from '../../src/structures/members/RoleSetTable.js';

const guild = { internRoleID: (id: string) => id } as unknown as Guild;
const ROLES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6'];

test('acquire/release sequences keep every held index naming its set, one index per distinct set', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('acquire' as const), ids: fc.subarray(ROLES, { minLength: 1 }) }),
    fc.record({ kind: fc.constant('release' as const), pick: fc.nat() })
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
      let sets: RoleSets | null = null;
      const held: { index: number; key: string }[] = [];
      for (const o of ops) {
        if (o.kind === 'acquire') {
          const clean = roleIDs(o.ids) as string[];
          const known = findRoleSet(sets, clean);
          let index: number;
          if (known > 0) index = holdRoleSet(sets as RoleSets, known);
          else {
            sets = withRoom(sets);
            index = insertRoleSet(sets, internedSet(guild, clean));
          }
          const same = held.find((h) => h.key === clean.join(','));
          if (same) assert.equal(index, same.index, 'one index per distinct set');
          held.push({ index, key: clean.join(',') });
        } else if (held.length > 0) {
          const [gone] = held.splice(o.pick % held.length, 1);
          releaseRoleSet(sets, (gone as { index: number }).index);
        }
        for (const h of held) assert.equal(roleSetAt(sets as RoleSets, h.index).join(','), h.key);
        assert.equal(liveSets(sets), new Set(held.map((h) => h.key)).size);
      }
    }),
    { numRuns: 200 }
  );
  assert.equal(roleIDs([1, null]), null);
  assert.deepEqual(roleIDs(['a', 2, 'b']), ['a', 'b']);
});
