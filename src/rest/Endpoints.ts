/**
 * Discord endpoints as methods with Eris's names. The Client extends or composes this class;
 * results are discord-api-types payloads (the structures layer wraps them).
 */
import type {
  APIChannel,
  APIGuild,
  APIGuildMember,
  APIMessage,
  APIUser,
  RESTGetAPIGatewayBotResult,
  RESTGetAPIGatewayResult,
  RESTPatchAPIChannelMessageJSONBody,
  RESTPatchAPIGuildMemberJSONBody,
  RESTPostAPIChannelMessageJSONBody
} from 'discord-api-types/v10';
import type { RestClient } from './RestClient.js';
import type { FileContent } from './requestBody.js';

/** Eris accepts a string or a message object. */
export type MessageContent = string | RESTPostAPIChannelMessageJSONBody;

export interface GetMessagesOptions {
  /** How many messages (default 50). Above 100, pages are fetched one after another. */
  limit?: number;
  before?: string;
  after?: string;
  around?: string;
}

export interface GetGuildMembersOptions {
  /** 1..1000 (default 1). */
  limit?: number;
  /** Highest user id of the previous page. */
  after?: string;
}

/** Path segment for a reaction: `name:id` for custom emoji (also from `<:name:id>`), Unicode as is. */
export function encodeReaction(reaction: string): string {
  const custom = /^<?a?:?([\w~]+):(\d{16,20})>?$/.exec(reaction);
  return encodeURIComponent(custom ? `${custom[1]}:${custom[2]}` : reaction);
}

function asMessageBody(content: MessageContent): RESTPostAPIChannelMessageJSONBody {
  return typeof content === 'string' ? { content } : content;
}

export class RESTMethods {
  constructor(readonly rest: RestClient) {}

  /** GET /gateway: the gateway URL, without authentication. */
  getGateway(): Promise<RESTGetAPIGatewayResult> {
    return this.rest.request('GET', '/gateway', { auth: false });
  }

  /**
   * GET /gateway/bot: the gateway URL, recommended shard count and session start limit (identifies left,
   * max_concurrency).
   */
  getBotGateway(): Promise<RESTGetAPIGatewayBotResult> {
    return this.rest.request('GET', '/gateway/bot');
  }

  /** Any user by id; `@me` for the bot itself. */
  getRESTUser(userID: string): Promise<APIUser> {
    return this.rest.request('GET', `/users/${userID}`);
  }

  /** GET /guilds/:id; `withCounts` adds approximate member and presence counts. */
  getRESTGuild(guildID: string, withCounts = false): Promise<APIGuild> {
    return this.rest.request('GET', `/guilds/${guildID}`, { query: withCounts ? { with_counts: true } : undefined });
  }

  /** GET one guild member. */
  getRESTGuildMember(guildID: string, memberID: string): Promise<APIGuildMember> {
    return this.rest.request('GET', `/guilds/${guildID}/members/${memberID}`);
  }

  /** GET one page of guild members in user id order; page on with `after` set to the last id. */
  getRESTGuildMembers(guildID: string, options: GetGuildMembersOptions = {}): Promise<APIGuildMember[]> {
    return this.rest.request('GET', `/guilds/${guildID}/members`, {
      query: { limit: options.limit, after: options.after }
    });
  }

  /**
   * PUT a role on a member (needs MANAGE_ROLES, and the role must be below the bot's highest); `reason` goes
   * to the audit log.
   */
  addGuildMemberRole(guildID: string, memberID: string, roleID: string, reason?: string): Promise<void> {
    return this.rest.request('PUT', `/guilds/${guildID}/members/${memberID}/roles/${roleID}`, { reason });
  }

  /** DELETE a role from a member (same rules as addGuildMemberRole); `reason` goes to the audit log. */
  removeGuildMemberRole(guildID: string, memberID: string, roleID: string, reason?: string): Promise<void> {
    return this.rest.request('DELETE', `/guilds/${guildID}/members/${memberID}/roles/${roleID}`, { reason });
  }

  /** PATCH a member (nick, roles, mute, deaf, timeout…); `reason` goes to the audit log. */
  editGuildMember(
    guildID: string,
    memberID: string,
    options: RESTPatchAPIGuildMemberJSONBody,
    reason?: string
  ): Promise<APIGuildMember> {
    return this.rest.request('PATCH', `/guilds/${guildID}/members/${memberID}`, { body: options, reason });
  }

  /** GET a channel or thread. */
  getRESTChannel(channelID: string): Promise<APIChannel> {
    return this.rest.request('GET', `/channels/${channelID}`);
  }

  /** Eris: createMessage(channelID, content, file). */
  createMessage(channelID: string, content: MessageContent, files?: FileContent | FileContent[]): Promise<APIMessage> {
    return this.rest.request('POST', `/channels/${channelID}/messages`, {
      body: asMessageBody(content),
      files: files === undefined ? undefined : Array.isArray(files) ? files : [files]
    });
  }

  /** PATCH one of the bot's messages: new content (a string) or a message object, with optional new files. */
  editMessage(
    channelID: string,
    messageID: string,
    content: string | RESTPatchAPIChannelMessageJSONBody,
    files?: FileContent | FileContent[]
  ): Promise<APIMessage> {
    return this.rest.request('PATCH', `/channels/${channelID}/messages/${messageID}`, {
      body: typeof content === 'string' ? { content } : content,
      files: files === undefined ? undefined : Array.isArray(files) ? files : [files]
    });
  }

  /** DELETE a message (another author's needs MANAGE_MESSAGES); `reason` goes to the audit log. */
  deleteMessage(channelID: string, messageID: string, reason?: string): Promise<void> {
    return this.rest.request('DELETE', `/channels/${channelID}/messages/${messageID}`, { reason });
  }

  /** GET one message. */
  getMessage(channelID: string, messageID: string): Promise<APIMessage> {
    return this.rest.request('GET', `/channels/${channelID}/messages/${messageID}`);
  }

  /** Newest first. A limit above 100 pages backwards (or forwards with `after`) as Eris does. */
  async getMessages(channelID: string, options: GetMessagesOptions = {}): Promise<APIMessage[]> {
    const wanted = options.limit ?? 50;
    if (wanted <= 100 || options.around) {
      return this.rest.request('GET', `/channels/${channelID}/messages`, {
        query: { limit: Math.min(wanted, 100), before: options.before, after: options.after, around: options.around }
      });
    }
    const messages: APIMessage[] = [];
    let before = options.before;
    let after = options.after;
    while (messages.length < wanted) {
      const page: APIMessage[] = await this.rest.request('GET', `/channels/${channelID}/messages`, {
        query: { limit: Math.min(100, wanted - messages.length), before, after }
      });
      if (page.length === 0) break;
      if (after !== undefined) {
        // Pages after a cursor come newest first; continue from the newest one.
        messages.unshift(...page);
        after = page[0].id;
      } else {
        messages.push(...page);
        before = page[page.length - 1].id;
      }
      if (page.length < 100) break;
    }
    return messages;
  }

  /** Add the bot's reaction: a Unicode emoji, or a custom one as `name:id` or `<:name:id>`. */
  addMessageReaction(channelID: string, messageID: string, reaction: string): Promise<void> {
    return this.rest.request(
      'PUT',
      `/channels/${channelID}/messages/${messageID}/reactions/${encodeReaction(reaction)}/@me`
    );
  }

  /** Removes the bot's reaction, or `userID`'s (needs MANAGE_MESSAGES). */
  removeMessageReaction(channelID: string, messageID: string, reaction: string, userID = '@me'): Promise<void> {
    return this.rest.request(
      'DELETE',
      `/channels/${channelID}/messages/${messageID}/reactions/${encodeReaction(reaction)}/${userID}`
    );
  }
}
