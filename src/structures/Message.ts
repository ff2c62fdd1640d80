import type {
  APIAttachment,
  APIEmbed,
  APIGuildMember,
  APIMessage,
  APIMessageReference,
  APIReaction
} from 'discord-api-types/v10';
import { Base } from './Base.js';
import type { TextableChannel } from './channels/types.js';
import type { StructureContext } from './context.js';
import type { Guild } from './Guild.js';
import { EMPTY_STRINGS } from './intern.js';
import type { Member } from './Member.js';
import { parseTimestamp } from './time.js';
import type { User } from './User.js';

/** A message payload as MESSAGE_CREATE carries it (member without `user`, guild_id added). */
export type MessagePayload = Partial<APIMessage> &
  Pick<APIMessage, 'id'> & { guild_id?: string; member?: Omit<APIGuildMember, 'user'> };

/** A channel the cache does not hold: its id, and its guild when known. */
export class PartialChannel {
  constructor(
    readonly id: string,
    readonly guild: Guild | undefined,
    readonly context: StructureContext
  ) {}

  get mention(): string {
    return `<#${this.id}>`;
  }
}

/** The channel a message belongs to (cached, or only its id). */
export type MessageChannel = TextableChannel | PartialChannel;

/** Finds a guild's channel by id when a deferred partial message's `channel` is first read. */
export type ChannelResolver = (guild: Guild, channelID: string) => MessageChannel;

/**
 * A message the cache does not hold (e.g. the target of a reaction when messageLimit is 0).
 *
 * Its channel is either given, or (`PartialMessage.deferred`) looked up in its guild the first time
 * `channel` is read: a reaction handler that never reads it costs no channel lookup. Read inside the
 * event handler, both give the same channel.
 */
export class PartialMessage {
  readonly id: string;
  readonly guildID: string | undefined;
  private _channel: MessageChannel | undefined;
  /** Until `channel` is first read, for a deferred message: where and how to find the channel. */
  private _channelID: string | undefined;
  private _guild: Guild | undefined;
  private _resolve: ChannelResolver | undefined;

  constructor(id: string, channel: MessageChannel, guildID: string | undefined) {
    this.id = id;
    this.guildID = guildID;
    this._channel = channel;
    this._channelID = undefined;
    this._guild = undefined;
    this._resolve = undefined;
  }

  /** A partial message whose channel is resolved in `guild` on first read of `channel`. */
  static deferred(id: string, guild: Guild, channelID: string, resolve: ChannelResolver): PartialMessage {
    // Built by the constructor, then given its deferred state: one object shape for both kinds.
    const message = new PartialMessage(id, undefined as unknown as MessageChannel, guild.id);
    message._channelID = channelID;
    message._guild = guild;
    message._resolve = resolve;
    return message;
  }

  /** The channel (cached, or partial): looked up on first read for a deferred message. */
  get channel(): MessageChannel {
    let channel = this._channel;
    if (channel === undefined) {
      channel = (this._resolve as ChannelResolver)(this._guild as Guild, this._channelID as string);
      this._channel = channel;
      this._resolve = undefined;
      this._guild = undefined;
    }
    return channel;
  }

  /** The channel's id, without resolving a deferred channel. */
  get channelID(): string {
    return this._channel === undefined ? (this._channelID as string) : this._channel.id;
  }

  /** Ids only: a partial message holds nothing else. */
  toJSON(): { id: string; channelID: string; guildID: string | undefined } {
    return { id: this.id, channelID: this.channelID, guildID: this.guildID };
  }
}

/** Eris's reaction summary, by `name:id` (or the unicode name). */
export interface ReactionCount {
  count: number;
  me: boolean;
  meBurst: boolean;
  burstCount: number;
}

function contextOf(channel: MessageChannel): StructureContext {
  return 'context' in channel ? channel.context : channel.guild.context;
}

function guildOf(channel: MessageChannel): Guild | undefined {
  return 'guild' in channel ? channel.guild : undefined;
}

/**
 * A message. The author and mentioned users are the shared Users; the author's member (from the
 * payload's `member`) goes into the guild's members hot set, as a reaction-role bot needs it.
 */
export class Message extends Base {
  readonly id: string;
  readonly channel: MessageChannel;
  guildID: string | undefined;
  author: User | null;
  member: Member | null;
  content: string;
  /** ms since 1970. */
  timestamp: number;
  editedTimestamp: number | null;
  tts: boolean;
  mentionEveryone: boolean;
  mentions: User[];
  roleMentions: readonly string[];
  attachments: APIAttachment[];
  embeds: APIEmbed[];
  reactions: Record<string, ReactionCount>;
  pinned: boolean;
  type: number;
  flags: number;
  webhookID: string | undefined;
  applicationID: string | undefined;
  messageReference: { messageID?: string; channelID?: string; guildID?: string } | null;

  constructor(data: MessagePayload, channel: MessageChannel) {
    super();
    this.id = data.id;
    this.channel = channel;
    this.guildID = data.guild_id ?? guildOf(channel)?.id;
    this.author = null;
    this.member = null;
    this.content = '';
    this.timestamp = parseTimestamp(data.timestamp) ?? this.createdAt;
    this.editedTimestamp = null;
    this.tts = false;
    this.mentionEveryone = false;
    this.mentions = [];
    this.roleMentions = EMPTY_STRINGS;
    this.attachments = [];
    this.embeds = [];
    this.reactions = {};
    this.pinned = false;
    this.type = data.type ?? 0;
    this.flags = data.flags ?? 0;
    this.webhookID = data.webhook_id;
    this.applicationID = data.application_id;
    this.messageReference = null;
    this.update(data);
  }

  /**
   * Apply a MESSAGE_UPDATE payload in place (partial: absent fields keep their values); an author with member
   * data also updates the cached member.
   */
  update(data: Partial<MessagePayload>): void {
    const context = contextOf(this.channel);
    const guild = guildOf(this.channel);
    if (data.author !== undefined) {
      this.author = data.webhook_id ? null : context.users.update(data.author);
      if (data.webhook_id) this.webhookID = data.webhook_id;
    }
    if (data.member !== undefined && guild !== undefined && data.author !== undefined && !data.webhook_id) {
      this.member = guild.members.update({ ...data.member, id: data.author.id, user: data.author }, guild);
    }
    if (data.content !== undefined) this.content = data.content;
    if (data.edited_timestamp !== undefined) this.editedTimestamp = parseTimestamp(data.edited_timestamp);
    if (data.tts !== undefined) this.tts = data.tts;
    if (data.mention_everyone !== undefined) this.mentionEveryone = data.mention_everyone;
    if (data.mentions !== undefined) this.mentions = data.mentions.map((user) => context.users.update(user));
    if (data.mention_roles !== undefined) {
      this.roleMentions = guild ? guild.internRoles(data.mention_roles) : data.mention_roles;
    }
    if (data.attachments !== undefined) this.attachments = data.attachments;
    if (data.embeds !== undefined) this.embeds = data.embeds;
    if (data.reactions !== undefined) this.reactions = toReactions(data.reactions);
    if (data.pinned !== undefined) this.pinned = data.pinned;
    if (data.flags !== undefined) this.flags = data.flags;
    if (data.message_reference !== undefined) this.messageReference = toReference(data.message_reference);
  }

  get jumpLink(): string {
    return `https://discord.com/channels/${this.guildID ?? '@me'}/${this.channel.id}/${this.id}`;
  }

  /** Channel ids mentioned in the content (computed on read). */
  get channelMentions(): string[] {
    return [...this.content.matchAll(/<#(\d+)>/g)].map((match) => match[1] as string);
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    const json = super.toJSON([
      'attachments',
      'author',
      'content',
      'editedTimestamp',
      'embeds',
      'flags',
      'mentionEveryone',
      'mentions',
      'messageReference',
      'pinned',
      'reactions',
      'roleMentions',
      'timestamp',
      'tts',
      'type',
      'webhookID',
      ...props
    ]);
    json.channelID = this.channel.id;
    if (this.guildID !== undefined) json.guildID = this.guildID;
    return json;
  }
}

/** Eris's reaction key: `name:id` for custom emoji, the name for unicode ones. */
export function reactionKey(emoji: { id?: string | null; name?: string | null }): string {
  return emoji.id ? `${emoji.name ?? ''}:${emoji.id}` : (emoji.name ?? '');
}

function toReactions(reactions: APIReaction[]): Record<string, ReactionCount> {
  const out: Record<string, ReactionCount> = {};
  for (const reaction of reactions) {
    setReaction(out, reactionKey(reaction.emoji), {
      count: reaction.count,
      me: reaction.me,
      meBurst: reaction.me_burst ?? false,
      burstCount: reaction.count_details?.burst ?? 0
    });
  }
  return out;
}

/**
 * A message's summary for one emoji key, or undefined: only its own entries count, so an emoji named
 * `__proto__`, `constructor` or `toString` never reads (and then writes) a shared builtin object.
 * @internal
 */
export function reactionOf(reactions: Record<string, ReactionCount>, key: string): ReactionCount | undefined {
  return Object.hasOwn(reactions, key) ? reactions[key] : undefined;
}

/**
 * Store a message's summary for one emoji key as an own property (an assignment to `__proto__`
 * would replace the object's prototype instead).
 * @internal
 */
export function setReaction(reactions: Record<string, ReactionCount>, key: string, count: ReactionCount): void {
  Object.defineProperty(reactions, key, { value: count, writable: true, enumerable: true, configurable: true });
}

function toReference(reference: APIMessageReference): Message['messageReference'] {
  return { messageID: reference.message_id, channelID: reference.channel_id, guildID: reference.guild_id };
}
