import type { Collection } from '../../cache/Collection.js';
import type { StructureContext } from '../context.js';
import type { Message, MessagePayload } from '../Message.js';
import type { User } from '../User.js';
import { Channel } from './Channel.js';
import type { ChannelPayload } from './types.js';

/** A DM channel (type 1; group DMs, type 3, use it too). The recipient is the shared User. */
export class PrivateChannel extends Channel {
  readonly context: StructureContext;
  private _type: number;
  recipient: User | null;
  lastMessageID: string | null;
  private _messages: Collection<string, Message, MessagePayload> | null;

  constructor(data: ChannelPayload, context: StructureContext) {
    super(data);
    this.context = context;
    this._type = data.type;
    const first = Array.isArray(data.recipients) ? data.recipients[0] : undefined;
    this.recipient = first ? context.users.update(first) : null;
    this.lastMessageID = data.last_message_id ?? null;
    this._messages = null;
  }

  /** Apply a CHANNEL_UPDATE payload in place: last message id and recipient. */
  override update(data: Partial<ChannelPayload>): void {
    super.update(data);
    if (data.last_message_id !== undefined) this.lastMessageID = data.last_message_id;
    const first = Array.isArray(data.recipients) ? data.recipients[0] : undefined;
    if (first) this.recipient = this.context.users.update(first);
  }

  get type(): number {
    return this._type;
  }

  set type(value: number) {
    this._type = value;
  }

  get messages(): Collection<string, Message, MessagePayload> {
    return (this._messages ??= this.context.cache.messages(this));
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON(['lastMessageID', 'recipient', ...props]);
  }
}
