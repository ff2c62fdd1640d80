/**
 * The reaction handlers on a Client that never connects: dispatches are fed straight to the
 * handlers with the Client as their context, as a shard would deliver them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Client,
  Collection,
  dispatchHandlers,
  Member,
  PartialChannel,
  PartialMessage,
  type Shard
} from '../../src/index.js';

const shard = { id: 0, guildsReceived: true } as unknown as Shard;
const GUILD = '81384788765712384';
const CHANNEL = '81384788765712385';
const USER = '80351110224678912';

function feed(client: Client, t: string, d: unknown): void {
  dispatchHandlers.get(t)!(client, d, shard);
}

function clientWithGuild(
  messageLimit: number,
  cache?: NonNullable<ConstructorParameters<typeof Client>[1]>['cache']
): Client {
  const client = new Client('not-a-real-token', {
    messageLimit,
    rest: { baseURL: 'http://127.0.0.1:9/api/v10' },
    ...(cache ? { cache } : {})
  });
  feed(client, 'GUILD_CREATE', {
    id: GUILD,
    name: 'g',
    owner_id: USER,
    roles: [
      {
        id: GUILD,
        name: '@everyone',
        position: 0,
        permissions: '1024',
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0
      }
    ],
    channels: [{ id: CHANNEL, type: 0, name: 'roles', position: 0, permission_overwrites: [] }],
    members: [],
    member_count: 1
  });
  return client;
}

const member = {
  user: { id: USER, username: 'nelly', discriminator: '0', global_name: null, avatar: null },
  roles: [],
  nick: null,
  joined_at: '2020-01-01T00:00:00.000000+00:00',
  deaf: false,
  mute: false,
  flags: 0
};

test('MESSAGE_REACTION_ADD on an uncached message: a partial message, the member from the event enters the hot set', () => {
  const client = clientWithGuild(0);
  const seen: unknown[][] = [];
  client.on('messageReactionAdd', (...args) => seen.push(args));
  feed(client, 'MESSAGE_REACTION_ADD', {
    user_id: USER,
    channel_id: CHANNEL,
    message_id: '900000000000000001',
    guild_id: GUILD,
    member: structuredClone(member),
    emoji: { id: null, name: '🔴' },
    burst: false,
    type: 0
  });
  assert.equal(seen.length, 1);
  const [message, emoji, reactor, burst] = seen[0];
  assert.ok(message instanceof PartialMessage);
  assert.equal((message as PartialMessage).id, '900000000000000001');
  assert.deepEqual(emoji, { id: null, name: '🔴' });
  assert.ok(reactor instanceof Member);
  assert.equal((reactor as Member).user.username, 'nelly');
  // The default MemberStore builds a Member per read: the cached member, as a copy.
  assert.deepEqual(
    client.guilds.get(GUILD)!.members.get(USER)?.toJSON(),
    (reactor as Member).toJSON(),
    'the reactor is the cached member'
  );
  assert.equal(burst, false);
});

test('messageLimit 0: the partial message finds its channel when read (cached channel, thread-less partial channel)', () => {
  const client = clientWithGuild(0);
  const seen: PartialMessage[] = [];
  client.on('messageReactionAdd', (message) => seen.push(message as PartialMessage));
  const reaction = (channelID: string) => ({
    user_id: USER,
    channel_id: channelID,
    message_id: '900000000000000003',
    guild_id: GUILD,
    member: structuredClone(member),
    emoji: { id: null, name: '🔴' }
  });
  feed(client, 'MESSAGE_REACTION_ADD', reaction(CHANNEL));
  feed(client, 'MESSAGE_REACTION_ADD', reaction('81384788765712399'));
  const [cached, uncached] = seen;
  assert.deepEqual(cached.toJSON(), { id: '900000000000000003', channelID: CHANNEL, guildID: GUILD });
  assert.equal(cached.channel.id, CHANNEL);
  assert.equal((cached.channel as { name?: string }).name, 'roles', 'the cached text channel');
  assert.equal(cached.channel, cached.channel, 'resolved once');
  assert.ok(uncached.channel instanceof PartialChannel);
  assert.equal(uncached.channel.id, '81384788765712399');
  assert.equal((uncached.channel as PartialChannel).guild, client.guilds.get(GUILD));
  assert.equal(uncached.guildID, GUILD);
});

test('MESSAGE_REACTION_REMOVE gives the user id; counts follow add/remove on a cached message', () => {
  const client = clientWithGuild(10);
  feed(client, 'MESSAGE_CREATE', {
    id: '900000000000000002',
    channel_id: CHANNEL,
    guild_id: GUILD,
    author: member.user,
    content: 'react here',
    timestamp: '2024-01-01T00:00:00.000000+00:00',
    type: 0
  });
  const removed: unknown[][] = [];
  client.on('messageReactionRemove', (...args) => removed.push(args));
  const reaction = {
    user_id: USER,
    channel_id: CHANNEL,
    message_id: '900000000000000002',
    guild_id: GUILD,
    emoji: { id: null, name: '🟢' }
  };
  feed(client, 'MESSAGE_REACTION_ADD', { ...reaction, member: structuredClone(member) });
  const channel = client.getChannel(CHANNEL) as unknown as {
    messages: Map<string, { reactions: Record<string, { count: number }> }>;
  };
  assert.equal(channel.messages.get('900000000000000002')!.reactions['🟢'].count, 1);
  feed(client, 'MESSAGE_REACTION_REMOVE', reaction);
  assert.equal(channel.messages.get('900000000000000002')!.reactions['🟢'], undefined);
  assert.equal(removed[0][2], USER);
});

test('a malformed reaction is counted and reported, not thrown', () => {
  const client = clientWithGuild(0);
  const warnings: string[] = [];
  client.on('warn', (message) => warnings.push(message));
  (client as unknown as { handleDispatch(s: Shard, t: string, d: unknown): void }).handleDispatch(
    shard,
    'MESSAGE_REACTION_ADD',
    {
      channel_id: CHANNEL
    }
  );
  assert.equal(client.dispatchStats.malformed, 1);
  assert.match(warnings[0], /MESSAGE_REACTION_ADD: missing or invalid "user_id"/);
});

test('a reaction whose emoji is named __proto__ or constructor counts on the message, never on Object.prototype', () => {
  const client = clientWithGuild(10);
  feed(client, 'MESSAGE_CREATE', {
    id: '900000000000000009',
    channel_id: CHANNEL,
    guild_id: GUILD,
    author: member.user,
    content: 'react here',
    timestamp: '2024-01-01T00:00:00.000000+00:00',
    type: 0
  });
  for (const name of ['__proto__', 'constructor', '__proto__']) {
    feed(client, 'MESSAGE_REACTION_ADD', {
      user_id: USER,
      channel_id: CHANNEL,
      message_id: '900000000000000009',
      guild_id: GUILD,
      member: structuredClone(member),
      emoji: { id: null, name }
    });
  }
  const message = (
    client.getChannel(CHANNEL) as unknown as { messages: Map<string, { reactions: object }> }
  ).messages.get('900000000000000009')!;
  assert.equal(({} as { count?: unknown }).count, undefined, 'Object.prototype untouched');
  assert.equal(Object.getPrototypeOf(message.reactions), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(message.reactions, '__proto__')?.value, {
    count: 2,
    me: false,
    meBurst: false,
    burstCount: 0
  });
  assert.equal(Object.getOwnPropertyDescriptor(message.reactions, 'constructor')?.value.count, 1);
});

test("the reactor's member enters the default store without a key written into the event's payload, and a user's own members Collection still gets it", () => {
  const reaction = (d: Record<string, unknown>) => ({
    user_id: USER,
    channel_id: CHANNEL,
    message_id: '1',
    guild_id: GUILD,
    emoji: { id: null, name: '👍' },
    member: d
  });
  const payload = structuredClone(member);
  const client = clientWithGuild(0);
  feed(client, 'MESSAGE_REACTION_ADD', reaction(payload));
  assert.equal('id' in payload, false, 'the payload is left as it came');
  assert.equal(client.guilds.get(GUILD)!.members.get(USER)?.user.username, 'nelly');
  // The same member again, now with a nickname: the stored one is updated in place.
  feed(client, 'MESSAGE_REACTION_ADD', reaction({ ...structuredClone(member), nick: 'nel' }));
  assert.equal(client.guilds.get(GUILD)!.members.get(USER)?.nick, 'nel');
  assert.equal(client.guilds.get(GUILD)!.members.size, 1);

  const own = clientWithGuild(0, { members: () => new Collection(Member) });
  feed(own, 'MESSAGE_REACTION_ADD', reaction(structuredClone(member)));
  feed(own, 'MESSAGE_REACTION_ADD', reaction({ ...structuredClone(member), nick: 'nel' }));
  const members = own.guilds.get(GUILD)!.members;
  assert.equal(members instanceof Collection, true);
  assert.equal(members.size, 1);
  assert.equal(members.get(USER)?.nick, 'nel');
  assert.equal(members.get(USER)?.user.username, 'nelly');
});
