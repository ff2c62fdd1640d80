import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MissingIDError } from '../../src/cache/errors.js';
import { NullCollection } from '../../src/cache/NullCollection.js';
import {
  CategoryChannel,
  createChannel,
  createStructureContext,
  ForumChannel,
  Guild,
  Member,
  Message,
  NewsChannel,
  PartialChannel,
  PartialMessage,
  Permission,
  PrivateChannel,
  PublicThreadChannel,
  Role,
  StageChannel,
  type TextChannel,
  type ThreadChannel,
  UncachedMemberError,
  User,
  VoiceChannel,
  VoiceState
} from '../../src/structures/index.js';
import { Permissions as P } from '../../src/util/constants.js';
import {
  CATEGORY_ID,
  GUILD_ID,
  guildCreate,
  MEMBER_ROLE,
  MOD_ROLE,
  member,
  OWNER_ID,
  role,
  TEXT_ID,
  user,
  VOICE_ID
} from './fixtures.js';

const ALICE = '80351110224678912';
const BOB = '80351110224678913';
/** A fresh string instance with the same value (JSON.parse gives one per occurrence, as here). */
const copy = (s: string) => JSON.parse(JSON.stringify(s)) as string;

function world(messageLimit = 0) {
  const context = createStructureContext({ messageLimit });
  const guild = new Guild(
    guildCreate([
      member(user(OWNER_ID, 'owner'), []),
      member(user(ALICE, 'alice', { avatar: 'a_1234' }), [copy(MEMBER_ROLE), copy(MOD_ROLE)], { nick: 'Al' }),
      member(user(BOB, 'bob'), [copy(MEMBER_ROLE), copy(MOD_ROLE)])
    ]),
    context
  );
  return { context, guild };
}

test('a GUILD_CREATE builds every channel class by type, threads apart, and the scalar fields', () => {
  const { guild } = world();
  assert.equal(guild.name, 'Discord API');
  assert.equal(guild.ownerID, OWNER_ID);
  assert.equal(guild.memberCount, 3);
  assert.equal(guild.joinedAt, Date.parse('2020-01-01T00:00:00.000Z'));
  assert.deepEqual(guild.features, ['COMMUNITY', 'NEWS']);
  assert.ok(guild.channels.get(CATEGORY_ID) instanceof CategoryChannel);
  assert.ok(guild.channels.get(VOICE_ID) instanceof VoiceChannel);
  assert.ok(guild.channels.get('381870553235193860') instanceof NewsChannel);
  assert.ok(guild.channels.get('381870553235193861') instanceof StageChannel);
  assert.ok(guild.channels.get('381870553235193862') instanceof ForumChannel);
  assert.ok(guild.threads.get('381870553235193863') instanceof PublicThreadChannel);
  assert.equal(guild.channels.size, 6);
  const text = guild.channels.get(TEXT_ID) as TextChannel;
  assert.equal(text.topic, 'hello');
  assert.equal(text.rateLimitPerUser, 5);
  assert.equal(text.parentID, CATEGORY_ID);
  assert.equal(text.lastPinTimestamp, Date.parse('2023-01-02T03:04:05.678Z'));
  const category = guild.channels.get(CATEGORY_ID) as CategoryChannel;
  assert.deepEqual([...category.channels.keys()].sort(), [TEXT_ID, VOICE_ID]);
  assert.equal((guild.channels.get('381870553235193862') as ForumChannel).availableTags[0]?.emojiName, '🐛');
});

test('one User per id: every member of a user, in every guild, shares the users-collection instance', () => {
  const { context, guild } = world();
  const other = new Guild({ ...guildCreate([member(user(ALICE, 'alice'), [])]), id: '81384788765712385' }, context);
  const shared = context.users.get(ALICE);
  assert.ok(shared instanceof User);
  assert.equal(guild.members.get(ALICE)?.user, shared);
  assert.equal(other.members.get(ALICE)?.user, shared);
  assert.equal(context.users.size, 3);
});

test('members with the same role set share one frozen array whose ids come from the role map', () => {
  const { guild } = world();
  const alice = guild.members.get(ALICE)!;
  const bob = guild.members.get(BOB)!;
  assert.equal(alice.roles, bob.roles);
  assert.ok(Object.isFrozen(alice.roles));
  assert.deepEqual(alice.roles, [MEMBER_ROLE, MOD_ROLE]);
  assert.equal(guild.members.get(OWNER_ID)!.roles, guild.internRoles([]));
  bob.update({ roles: [copy(MOD_ROLE)] });
  assert.deepEqual(bob.roles, [MOD_ROLE]);
  assert.deepEqual(alice.roles, [MEMBER_ROLE, MOD_ROLE], 'updating one member never mutates a shared array');
  assert.equal(guild.internRoleID(copy(MOD_ROLE)), guild.roles.get(MOD_ROLE)!.id);
});

test('member fields: timestamps as numbers with ms precision, partial updates, toJSON', () => {
  const { guild } = world();
  const alice = guild.members.get(ALICE)!;
  assert.equal(alice.id, ALICE);
  assert.equal(alice.joinedAt, Date.parse('2019-04-01T17:12:02.271Z'));
  assert.equal(alice.nick, 'Al');
  assert.equal(alice.avatar, null);
  assert.equal(alice.mention, `<@!${ALICE}>`);
  alice.update({ nick: null, deaf: true, flags: 2, communication_disabled_until: '2999-01-01T00:00:00.000000+00:00' });
  assert.equal(alice.nick, null);
  assert.equal(alice.deaf, true);
  assert.equal(alice.mute, false);
  assert.equal(alice.flags, 2);
  assert.equal(alice.joinedAt, Date.parse('2019-04-01T17:12:02.271Z'), 'untouched by the update');
  assert.equal(alice.communicationDisabledUntil, Date.parse('2999-01-01T00:00:00Z'));
  assert.equal(alice.timedOut, true);
  alice.update({ premium_since: '2022-02-02T02:02:02.020000+00:00', pending: true });
  assert.equal(alice.premiumSince, Date.parse('2022-02-02T02:02:02.020Z'));
  assert.equal(alice.pending, true);
  const json = alice.toJSON();
  assert.equal(json.id, ALICE);
  assert.equal(json.joinedAt, alice.joinedAt);
  assert.deepEqual(json.roles, [MEMBER_ROLE, MOD_ROLE]);
  assert.equal((json.user as { username: string }).username, 'alice');
  assert.equal(JSON.parse(JSON.stringify(alice)).nick, null);
});

test('a member update carrying its user updates the shared User in place', () => {
  const { context, guild } = world();
  const before = context.users.get(ALICE)!;
  guild.members.get(ALICE)!.update({ user: user(ALICE, 'alice2', { global_name: 'Alice' }) });
  assert.equal(context.users.get(ALICE), before);
  assert.equal(before.username, 'alice2');
  assert.equal(guild.members.get(ALICE)!.globalName, 'Alice');
});

test('Member.toStored keeps only the user id and a stored member rebuilds onto the shared User', () => {
  const { context, guild } = world();
  const raw = member(user(ALICE, 'alice'), [MOD_ROLE], { nick: 'x' });
  const stored = JSON.parse(JSON.stringify(Member.toStored(raw)));
  assert.deepEqual(stored.user, { id: ALICE });
  assert.equal(stored.nick, 'x');
  assert.equal(Member.isStored(stored), true);
  assert.equal(Member.isStored({ user: { id: 'abc' } }), false);
  assert.equal(Member.isStored({ id: ALICE, roles: 'nope' }), false);
  assert.equal(Member.isStored(null), false);
  const rebuilt = new Member(stored, guild);
  assert.equal(rebuilt.user, context.users.get(ALICE));
  assert.equal(rebuilt.nick, 'x');
  const unknown = new Member({ user: { id: '999999999999999999' }, roles: [] }, guild);
  assert.equal(unknown.id, '999999999999999999');
  assert.equal(context.users.get('999999999999999999'), undefined, 'a placeholder never enters the users cache');
  assert.deepEqual(new Member(rebuilt.toRaw(), guild).toJSON(), rebuilt.toJSON());
});

test('malformed payloads give typed errors or safe defaults', () => {
  const { guild } = world();
  assert.throws(() => new Member({ roles: [] }, guild), MissingIDError);
  assert.throws(() => new VoiceState({ channel_id: null }), MissingIDError);
  const weird = new Role({ ...role('5', 'x', 0n, 1), permissions: 'lots' }, guild);
  assert.equal(weird.permissionBits, 0n);
  const odd = new Member({ id: ALICE, roles: [5, null, MOD_ROLE] as never, joined_at: 'yesterday' }, guild);
  assert.deepEqual(odd.roles, [MOD_ROLE]);
  assert.equal(odd.joinedAt, null);
});

test('User: packed flags and discriminator, partial update, URLs, toJSON', () => {
  const legacy = new User(user('80351110224678914', 'old', { discriminator: '0042', bot: true, public_flags: 64 }));
  assert.equal(legacy.discriminator, '0042');
  assert.equal(legacy.bot, true);
  assert.equal(legacy.system, false);
  assert.equal(legacy.defaultAvatar, 42 % 5);
  legacy.update({ bot: false, system: true, discriminator: '0' });
  assert.equal(legacy.bot, false);
  assert.equal(legacy.system, true);
  assert.equal(legacy.discriminator, '0');
  assert.equal(legacy.username, 'old');
  legacy.update({ avatar: 'a_abc', banner: 'b' });
  assert.equal(legacy.avatarURL, 'https://cdn.discordapp.com/avatars/80351110224678914/a_abc.gif?size=128');
  assert.equal(legacy.banner, 'b');
  assert.equal(legacy.mention, '<@80351110224678914>');
  assert.equal(legacy.createdAt, Number(BigInt('80351110224678914') >> 22n) + 1420070400000);
  assert.deepEqual(Object.keys(legacy.toJSON()).sort(), [
    'avatar',
    'banner',
    'bot',
    'createdAt',
    'discriminator',
    'globalName',
    'id',
    'publicFlags',
    'system',
    'username'
  ]);
  assert.deepEqual(new User(legacy.toRaw()).toJSON(), legacy.toJSON());
});

test('Role and Permission: has, json, update, tags, colors', () => {
  const { guild } = world();
  const mod = guild.roles.get(MOD_ROLE)!;
  assert.ok(mod.permissions instanceof Permission);
  assert.equal(mod.permissions.has('manageMessages'), true);
  assert.equal(mod.permissions.has('administrator'), false);
  assert.deepEqual(mod.permissions.json, { kickMembers: true, manageMessages: true });
  assert.equal(mod.hoist, true);
  assert.equal(mod.mentionable, true);
  assert.equal(mod.color, 0xff0000);
  mod.update({ permissions: '8', hoist: false, tags: { premium_subscriber: null } });
  assert.equal(mod.permissions.has(P.administrator), true);
  assert.equal(mod.hoist, false);
  assert.deepEqual(mod.tags, { premium_subscriber: true });
  assert.deepEqual(mod.colors, { primaryColor: 0xff0000, secondaryColor: null, tertiaryColor: null });
  assert.equal(mod.toJSON().permissions && (mod.toJSON().permissions as { allow: string }).allow, '8');
  const overwrite = new Permission(P.sendMessages, P.viewChannel);
  assert.deepEqual(overwrite.json, { viewChannel: false, sendMessages: true });
});

test('channel.permissionsOf follows overwrites, owner, voice and thread rules', () => {
  const { guild } = world();
  const text = guild.channels.get(TEXT_ID) as TextChannel;
  const outsider = new Member(member(user('80351110224678915', 'carol'), []), guild);
  guild.members.add(outsider);
  assert.equal(text.permissionsOf(ALICE).has('sendMessages'), true, 'role overwrite allows');
  assert.equal(text.permissionsOf(outsider).has('sendMessages'), false, '@everyone overwrite denies');
  assert.equal(text.permissionsOf(outsider).has('embedLinks'), false);
  assert.equal(text.permissionsOf(OWNER_ID).allow, new Permission(text.permissionBitsOf(OWNER_ID)).allow);
  assert.equal(text.permissionsOf(OWNER_ID).has('administrator'), true);
  const voice = guild.channels.get(VOICE_ID) as VoiceChannel;
  assert.equal(voice.permissionsOf(ALICE).has('voiceConnect'), false);
  const thread = guild.threads.get('381870553235193863') as ThreadChannel;
  assert.equal(thread.parent?.id, text.id); // channel objects are views made on read: equal, not identical
  assert.equal(
    thread.permissionBitsOf(outsider, { implicit: false }),
    text.permissionBitsOf(outsider, { implicit: false })
  );
  assert.throws(() => text.permissionsOf('1'), UncachedMemberError);
  assert.equal(guild.permissionsOf(ALICE).has('kickMembers'), true);
  const overwrites = text.permissionOverwrites;
  assert.equal(overwrites.size, 2);
  assert.equal(overwrites.get(GUILD_ID)?.deny, P.sendMessages);
  text.update({ permission_overwrites: [] });
  assert.equal(text.permissionOverwrites.size, 0);
  assert.equal(text.permissionsOf(outsider).has('sendMessages'), true);
});

test('messageLimit 0 keeps no messages; a limit keeps the newest', () => {
  const none = world(0);
  const text0 = none.guild.channels.get(TEXT_ID) as TextChannel;
  assert.ok(text0.messages instanceof NullCollection);
  const built = text0.messages.add(messagePayload('1100000000000000001'), text0);
  assert.ok(built instanceof Message);
  assert.equal(text0.messages.size, 0);

  const some = world(2);
  const text2 = some.guild.channels.get(TEXT_ID) as TextChannel;
  for (const id of ['1100000000000000001', '1100000000000000002', '1100000000000000003']) {
    text2.messages.add(messagePayload(id), text2);
  }
  assert.deepEqual([...text2.messages.keys()], ['1100000000000000002', '1100000000000000003']);
});

function messagePayload(id: string) {
  return {
    id,
    channel_id: TEXT_ID,
    guild_id: GUILD_ID,
    author: user(BOB, 'bob'),
    member: { roles: [MOD_ROLE], joined_at: '2019-04-01T17:12:02.271000+00:00', deaf: false, mute: false, flags: 0 },
    content: 'hi <#381870553235193858>',
    timestamp: '2024-05-06T07:08:09.100000+00:00',
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [user(ALICE, 'alice')],
    mention_roles: [MOD_ROLE],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    reactions: [
      {
        count: 2,
        count_details: { burst: 0, normal: 2 },
        me: true,
        me_burst: false,
        emoji: { id: null, name: '👍' },
        burst_colors: []
      }
    ]
  } as never;
}

test('Message: shared author and mentions, the member enters the hot set, partial forms', () => {
  const { context, guild } = world(10);
  const text = guild.channels.get(TEXT_ID) as TextChannel;
  guild.members.delete(BOB);
  const message = text.messages.add(messagePayload('1100000000000000009'), text);
  assert.equal(message.author, context.users.get(BOB));
  assert.equal(message.mentions[0], context.users.get(ALICE));
  // The default MemberStore builds a Member per read: the same member, not the same object.
  assert.deepEqual(message.member?.toJSON(), guild.members.get(BOB)?.toJSON());
  assert.deepEqual(message.member?.roles, [MOD_ROLE]);
  assert.equal(message.timestamp, Date.parse('2024-05-06T07:08:09.100Z'));
  assert.deepEqual(message.channelMentions, [TEXT_ID]);
  assert.deepEqual(message.reactions['👍'], { count: 2, me: true, meBurst: false, burstCount: 0 });
  message.update({ content: 'edited', edited_timestamp: '2024-05-06T07:09:00.000000+00:00' });
  assert.equal(message.content, 'edited');
  assert.equal(message.editedTimestamp, Date.parse('2024-05-06T07:09:00Z'));
  assert.equal(message.toJSON().channelID, TEXT_ID);

  const partial = new PartialMessage('1', new PartialChannel('2', guild, context), GUILD_ID);
  assert.deepEqual(partial.toJSON(), { id: '1', channelID: '2', guildID: GUILD_ID });
});

test('DM channels use the shared User; the factory refuses a guild channel without its guild', () => {
  const { context } = world();
  const dm = createChannel({ id: '5', type: 1, recipients: [user(ALICE, 'alice')], last_message_id: null }, context);
  assert.ok(dm instanceof PrivateChannel);
  assert.equal(dm.recipient, context.users.get(ALICE));
  assert.throws(() => createChannel({ id: '6', type: 0 }, context));
});

test('voice states, stage instances and emojis; rarely used collections are created on first use', () => {
  const { guild } = world();
  assert.equal((guild as unknown as { _voiceStates: unknown })._voiceStates, null);
  const state = guild.voiceStates.add(
    {
      id: ALICE,
      user_id: ALICE,
      channel_id: VOICE_ID,
      session_id: 's',
      deaf: false,
      mute: true,
      self_deaf: false,
      self_mute: true,
      self_video: false,
      suppress: false,
      request_to_speak_timestamp: null
    },
    guild
  );
  assert.equal(state.mute, true);
  assert.equal(state.selfMute, true);
  state.update({ channel_id: null, session_id: 's' });
  assert.equal(state.sessionID, null);
  state.update({ channel_id: VOICE_ID, session_id: 't' });
  assert.deepEqual([...(guild.channels.get(VOICE_ID) as VoiceChannel).voiceMembers.keys()], [ALICE]);
  assert.equal(guild.members.get(ALICE)!.voiceState, state);
  const stage = guild.stageInstances.add(
    {
      id: '77',
      guild_id: GUILD_ID,
      channel_id: '381870553235193861',
      topic: 't',
      privacy_level: 2,
      discoverable_disabled: false,
      guild_scheduled_event_id: undefined
    },
    guild
  );
  assert.equal((guild.channels.get('381870553235193861') as StageChannel).stageInstance, stage);
  const emoji = guild.emojis.add({ id: '88', name: 'blob', animated: true, roles: [MOD_ROLE], available: true }, guild);
  assert.equal(emoji.mention, '<a:blob:88>');
  assert.deepEqual(emoji.roles, [MOD_ROLE]);
});

test('guild update, fetchMember through the context, and JSON', async () => {
  const seen: string[] = [];
  const context = createStructureContext({
    fetchMember: async (guild, id) => {
      seen.push(`${guild.id}/${id}`);
      return guild.members.get(id) ?? null;
    }
  });
  const guild = new Guild(guildCreate([member(user(ALICE, 'alice'), [])]), context);
  guild.update({ name: 'renamed', owner_id: ALICE, features: [] });
  assert.equal(guild.name, 'renamed');
  assert.equal(guild.ownerID, ALICE);
  assert.deepEqual(guild.features, []);
  assert.equal(guild.afkTimeout, 300, 'untouched');
  assert.deepEqual((await guild.fetchMember(ALICE))?.toJSON(), guild.members.get(ALICE)?.toJSON());
  assert.deepEqual(seen, [`${GUILD_ID}/${ALICE}`]);
  const json = JSON.parse(JSON.stringify(guild));
  assert.equal(json.name, 'renamed');
  assert.equal(Object.keys(json.channels).length, 6);
  assert.equal(json.members[ALICE].user.username, 'alice');
  const unavailable = new Guild({ id: '1', unavailable: true }, context);
  assert.equal(unavailable.unavailable, true);
  assert.equal(unavailable.members.size, 0);
});
