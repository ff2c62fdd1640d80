import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyImplicitRules,
  channelPermissions,
  findOverwrite,
  guildPermissions,
  malformedBitfieldCount,
  NO_OVERWRITES,
  OverwriteType,
  overwriteAt,
  overwriteCount,
  overwritesToAPI,
  packOverwrites,
  parseBits,
  unpackOverwrites
} from '../../src/permissions/index.js';
import { ALL_PERMISSIONS, ChannelTypes, Permissions as P } from '../../src/util/constants.js';

test('packOverwrites round-trips ids, types and bitfields, including bit 52', () => {
  const raw = [
    { id: '1', type: 0 as const, allow: String(P.viewChannel | P.bypassSlowmode), deny: '0' },
    { id: '2', type: 1 as const, allow: '0', deny: String(P.sendMessages) }
  ];
  const packed = packOverwrites(raw);
  assert.equal(overwriteCount(packed), 2);
  assert.deepEqual(unpackOverwrites(packed), [
    { id: '1', type: OverwriteType.Role, allow: P.viewChannel | P.bypassSlowmode, deny: 0n },
    { id: '2', type: OverwriteType.Member, allow: 0n, deny: P.sendMessages }
  ]);
  assert.deepEqual(overwritesToAPI(packed), raw);
});

test('packOverwrites interns ids through the given function', () => {
  const roleID = ['3', '0', '0'].join('');
  const packedA = packOverwrites([{ id: '300', type: 0, allow: '1024', deny: '0' }], () => roleID);
  const packedB = packOverwrites([{ id: '300', type: 0, allow: '1024', deny: '0' }], () => roleID);
  assert.equal(overwriteAt(packedA, 0).id, roleID);
  assert.equal(overwriteAt(packedB, 0).id, roleID);
  assert.equal(overwriteAt(packedA, 0).allow, 1024n);
});

test('packOverwrites skips entries without ids, reads malformed bitfields as 0, and keeps the last duplicate', () => {
  const before = malformedBitfieldCount();
  const packed = packOverwrites([
    { type: 0, allow: '1', deny: '0' },
    { id: '5', type: 0, allow: 'not a number', deny: '-1' },
    { id: '5', type: 0, allow: '2048', deny: '0' },
    null as never
  ]);
  assert.equal(overwriteCount(packed), 1);
  assert.deepEqual(unpackOverwrites(packed)[0], { id: '5', type: 0, allow: 2048n, deny: 0n });
  assert.equal(malformedBitfieldCount() - before, 2);
  assert.equal(packOverwrites(undefined), NO_OVERWRITES);
  assert.equal(findOverwrite(packed, 'nope'), -1);
});

test('parseBits accepts strings, numbers and bigints and refuses the rest without throwing', () => {
  assert.equal(parseBits('8'), 8n);
  assert.equal(parseBits(8), 8n);
  assert.equal(parseBits(8n), 8n);
  assert.equal(parseBits(null), 0n);
  assert.equal(parseBits('1e3'), 0n);
  assert.equal(parseBits(String(1n << 70n)), 0n);
  assert.equal(parseBits({}), 0n);
});

const member = (over: Partial<Parameters<typeof guildPermissions>[0]> = {}) => ({
  guildID: 'g',
  ownerID: 'owner',
  userID: 'u',
  roleIDs: ['r1'],
  rolePermissions: (id: string) =>
    id === 'g' ? P.viewChannel : id === 'r1' ? P.sendMessages | P.banMembers : undefined,
  now: 1_000,
  ...over
});

test('timeout strips all but VIEW_CHANNEL and READ_MESSAGE_HISTORY, and only while in the future', () => {
  assert.equal(guildPermissions(member({ communicationDisabledUntil: 2_000 })), P.viewChannel);
  assert.equal(
    guildPermissions(member({ communicationDisabledUntil: 500 })),
    P.viewChannel | P.sendMessages | P.banMembers
  );
  assert.equal(guildPermissions(member({ userID: 'owner', communicationDisabledUntil: 2_000 })), ALL_PERMISSIONS);
});

test('implicit rules: no VIEW_CHANNEL means nothing; no send means no embeds or files', () => {
  const text = { type: ChannelTypes.GuildText, overwrites: NO_OVERWRITES };
  assert.equal(applyImplicitRules(P.sendMessages | P.banMembers, text, false), 0n);
  assert.equal(applyImplicitRules(P.viewChannel | P.embedLinks | P.attachFiles, text, false), P.viewChannel);
  const thread = { type: ChannelTypes.PublicThread, overwrites: NO_OVERWRITES, parentType: ChannelTypes.GuildText };
  assert.equal(
    applyImplicitRules(P.viewChannel | P.sendMessagesInThreads | P.embedLinks, thread, false),
    P.viewChannel | P.sendMessagesInThreads | P.embedLinks
  );
});

test('a private thread the member has not joined is invisible without MANAGE_THREADS', () => {
  const channel = {
    type: ChannelTypes.PrivateThread,
    overwrites: NO_OVERWRITES,
    parentType: ChannelTypes.GuildText,
    threadMember: false
  };
  assert.equal(channelPermissions(member(), channel), 0n);
  const manager = member({ rolePermissions: (id) => (id === 'g' ? P.viewChannel | P.manageThreads : undefined) });
  assert.equal(channelPermissions(manager, channel), P.viewChannel | P.manageThreads);
  assert.equal(channelPermissions(member(), { ...channel, threadMember: true }) !== 0n, true);
});
