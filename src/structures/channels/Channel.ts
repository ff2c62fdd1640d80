import { Base } from '../Base.js';
import type { ChannelPayload } from './types.js';

/**
 * Root of every channel: id and type (Eris's Channel). Where `type` is kept is the subclass's
 * choice: a field of a DM channel, a column of the guild's channel table for guild channels.
 *
 * Channel classes declare their fields with `declare` and assign them in their constructors: a
 * plain field (ES2022 define semantics) would first be defined as undefined after super() returns.
 */
export abstract class Channel extends Base {
  declare readonly id: string;

  constructor(data: ChannelPayload, _extra?: unknown) {
    super();
    this.id = data.id;
  }

  /** The channel type (ChannelTypes). */
  abstract get type(): number;
  abstract set type(value: number);

  get mention(): string {
    return `<#${this.id}>`;
  }

  /** Apply a CHANNEL_UPDATE payload in place; fields absent from `data` keep their values. */
  update(data: Partial<ChannelPayload>): void {
    if (data.type !== undefined) this.type = data.type;
  }

  override toJSON(props: readonly string[] = []): Record<string, unknown> {
    return super.toJSON(['type', ...props]);
  }
}
