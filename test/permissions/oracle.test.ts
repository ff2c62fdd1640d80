/**
 * Permission math against discord.js 14 as an oracle: the same GUILD_CREATE payload is built into
 * an Athena Guild and into a discord.js Guild (a Client that never logs in), and fast-check
 * generates the roles, overwrites, owners, administrators, timeouts and channel kinds.
 *
 * discord.js computes the raw overwrite result only (no timeout, no implicit denials), so:
 * - `{ implicit: false }` must equal discord.js exactly;
 * - the default result must equal discord.js's followed by the protocol reference's §7.5 rules,
 *   written out again here from the reference text.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Client, type Guild as DjsGuild, GatewayIntentBits } from 'discord.js';
import fc from 'fast-check';
import { createStructureContext, Guild, type GuildChannel, type ThreadChannel } from '../../src/structures/index.js';
import { ALL_PERMISSIONS, Permissions } from '../../src/util/constants.js';

const djs = new Client({ intents: [GatewayIntentBits.Guilds] });
after(() => djs.destroy());

const GUILD_ID = '100000000000000000';
const MEMBER_ID = '200000000000000001';
const OTHER_ID = '200000000000000002';
const CHANNEL_ID = '400000000000000001';
const THREAD_ID = '400000000000000002';
const roleID = (i: number) => String(300000000000000000n + BigInt(i));
const DAY = 86_400_000;

const P = Permissions;
const definedBits = Object.values(P).filter((bit) => bit !== P.administrator);

/** Dense random fields, sparse subsets of real bits, and the values that matter most. */
const bitsArb = fc.oneof(
  fc.bigInt({ min: 0n, max: ALL_PERMISSIONS }).map((b) => b & ~P.administrator),
  fc.subarray(definedBits, { maxLength: 6 }).map((bits) => bits.reduce((a, b) => a | b, 0n)),
  fc.constantFrom(0n, P.viewChannel, P.sendMessages, P.viewChannel | P.sendMessages, P.voiceConnect)
);
const overwriteArb = fc.option(fc.record({ allow: bitsArb, deny: bitsArb }), { nil: undefined });

/** [channel type, parent type when the channel is a thread] */
const channelKindArb = fc.constantFrom<[number, number | undefined]>(
  [0, undefined],
  [2, undefined],
  [4, undefined],
  [5, undefined],
  [13, undefined],
  [15, undefined],
  [16, undefined],
  [11, 0],
  [12, 0],
  [10, 5],
  [11, 15]
);

const caseArb = fc.record({
  everyone: bitsArb,
  roles: fc.array(fc.record({ permissions: bitsArb, admin: fc.integer({ min: 0, max: 9 }).map((n) => n < 2) }), {
    maxLength: 6
  }),
  held: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  owner: fc.constantFrom(false, false, false, false, false, false, false, false, false, true),
  timeout: fc.constantFrom<'none' | 'past' | 'future'>('none', 'none', 'past', 'future'),
  kind: channelKindArb,
  everyoneOverwrite: overwriteArb,
  roleOverwrites: fc.array(overwriteArb, { minLength: 6, maxLength: 6 }),
  memberOverwrite: overwriteArb,
  otherOverwrite: overwriteArb
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function payloadFor(c: Case, now: number) {
  const roles = [
    { id: GUILD_ID, name: '@everyone', permissions: c.everyone.toString(), position: 0 },
    ...c.roles.map((role, i) => ({
      id: roleID(i),
      name: `r${i}`,
      permissions: (role.admin ? role.permissions | P.administrator : role.permissions).toString(),
      position: i + 1
    }))
  ].map((role) => ({ ...role, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }));
  const overwrites: { id: string; type: 0 | 1; allow: string; deny: string }[] = [];
  const push = (id: string, type: 0 | 1, o: { allow: bigint; deny: bigint } | undefined) => {
    if (o) overwrites.push({ id, type, allow: o.allow.toString(), deny: o.deny.toString() });
  };
  push(GUILD_ID, 0, c.everyoneOverwrite);
  for (let i = 0; i < c.roles.length; i++) push(roleID(i), 0, c.roleOverwrites[i]);
  push(MEMBER_ID, 1, c.memberOverwrite);
  push(OTHER_ID, 1, c.otherOverwrite);
  const [type, parentType] = c.kind;
  const target = {
    id: CHANNEL_ID,
    type: parentType ?? type,
    name: 'c',
    position: 0,
    permission_overwrites: overwrites
  };
  const channels = [target];
  const threads =
    parentType === undefined
      ? []
      : [
          {
            id: THREAD_ID,
            type,
            name: 't',
            parent_id: CHANNEL_ID,
            guild_id: GUILD_ID,
            thread_metadata: {
              archived: false,
              auto_archive_duration: 60,
              archive_timestamp: new Date(now).toISOString(),
              locked: false
            }
          }
        ];
  const timeout = c.timeout === 'none' ? null : new Date(now + (c.timeout === 'future' ? DAY : -DAY)).toISOString();
  return {
    id: GUILD_ID,
    name: 'oracle',
    owner_id: c.owner ? MEMBER_ID : OTHER_ID,
    roles,
    channels,
    threads,
    emojis: [],
    stickers: [],
    features: [],
    members: [
      {
        user: { id: MEMBER_ID, username: 'member', discriminator: '0', global_name: null, avatar: null },
        roles: c.roles.map((_, i) => roleID(i)).filter((_, i) => c.held[i]),
        joined_at: new Date(now - 10 * DAY).toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        communication_disabled_until: timeout
      }
    ]
  };
}

function build(c: Case) {
  const now = Date.now();
  const payload = payloadFor(c, now);
  const athena = new Guild(structuredClone(payload) as never, createStructureContext());
  const djsGuild = (djs.guilds as unknown as { _add(data: unknown): DjsGuild })._add(structuredClone(payload));
  const threadish = c.kind[1] !== undefined;
  const channel = (threadish ? athena.threads.get(THREAD_ID) : athena.channels.get(CHANNEL_ID)) as
    | GuildChannel
    | ThreadChannel;
  const djsChannel = djsGuild.channels.cache.get(threadish ? THREAD_ID : CHANNEL_ID);
  const djsMember = djsGuild.members.cache.get(MEMBER_ID);
  assert.ok(channel && djsChannel && djsMember, 'both libraries built the case');
  return { athena, channel, djsGuild, djsChannel, djsMember };
}

function release(djsGuild: DjsGuild) {
  djs.guilds.cache.delete(djsGuild.id);
  for (const id of [CHANNEL_ID, THREAD_ID]) djs.channels.cache.delete(id);
}

const TIMEOUT_KEEPS = P.viewChannel | P.readMessageHistory;
const VOICE_BITS_CLEARED_WITHOUT_CONNECT =
  P.manageChannels |
  P.manageRoles |
  P.prioritySpeaker |
  P.stream |
  P.voiceSpeak |
  P.voiceMuteMembers |
  P.voiceDeafenMembers |
  P.voiceMoveMembers |
  P.voiceUseVAD |
  P.voiceRequestToSpeak |
  P.useEmbeddedActivities |
  P.useSoundboard |
  P.useExternalSounds |
  P.setVoiceChannelStatus;

/** §7.5 of the protocol reference, applied to discord.js's raw channel result. */
function withImplicitRules(raw: bigint, c: Case): bigint {
  if (raw === ALL_PERMISSIONS) return raw; // owner or administrator: discord.js already said All
  let bits = raw;
  if (c.timeout === 'future') bits &= TIMEOUT_KEEPS;
  if ((bits & P.viewChannel) === 0n) return 0n;
  const [type, parentType] = c.kind;
  const thread = parentType !== undefined;
  if ((bits & (thread ? P.sendMessagesInThreads : P.sendMessages)) === 0n) {
    bits &= ~(P.mentionEveryone | P.sendTTSMessages | P.attachFiles | P.embedLinks);
  }
  const voiceType = thread ? parentType : type;
  if ((voiceType === 2 || voiceType === 13) && (bits & P.voiceConnect) === 0n)
    bits &= ~VOICE_BITS_CLEARED_WITHOUT_CONNECT;
  return bits;
}

test('guild-level permissions agree with discord.js (owner, @everyone, roles, administrator, timeout)', () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      const { athena, djsGuild, djsMember } = build(c);
      try {
        const raw = djsMember.permissions.bitfield;
        let expected = (raw & P.administrator) !== 0n ? ALL_PERMISSIONS : raw;
        if (c.timeout === 'future' && expected !== ALL_PERMISSIONS) expected &= TIMEOUT_KEEPS;
        assert.equal(athena.members.get(MEMBER_ID)!.permissions.allow, expected);
      } finally {
        release(djsGuild);
      }
    }),
    { numRuns: 3000 }
  );
});

test('channel overwrites agree with discord.js permissionsFor (raw, implicit: false)', () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      const { channel, djsGuild, djsChannel, djsMember } = build(c);
      try {
        const expected = (djsChannel as unknown as { permissionsFor(m: unknown): { bitfield: bigint } }).permissionsFor(
          djsMember
        ).bitfield;
        assert.equal(channel.permissionBitsOf(MEMBER_ID, { implicit: false }), expected);
      } finally {
        release(djsGuild);
      }
    }),
    { numRuns: 4000 }
  );
});

test('channel permissions equal discord.js followed by the timeout and implicit-denial rules', () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      const { channel, djsGuild, djsChannel, djsMember } = build(c);
      try {
        const raw = (djsChannel as unknown as { permissionsFor(m: unknown): { bitfield: bigint } }).permissionsFor(
          djsMember
        ).bitfield;
        assert.equal(channel.permissionsOf(MEMBER_ID).allow, withImplicitRules(raw, c));
      } finally {
        release(djsGuild);
      }
    }),
    { numRuns: 4000 }
  );
});
