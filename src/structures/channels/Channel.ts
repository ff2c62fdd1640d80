import { Base } from '../Base.js';
import type { ChannelPayload } from './types.js';

/**
 * Root of every channel: id and type (Eris's Channel).
 *
 * Channel classes declare their fields with `declare` and assign them all in their constructors,
 * in declaration order: a plain field (ES2022 define semantics) first defines it as undefined
 * after super() returns, an extra step per field per channel on the GUILD_CREATE path. Own-key
 * order is unchanged; no field name shadows an accessor of a parent class.
 */
export class Channel extends Base {
  declare readonly id: string;
  declare type: number;

  constructor(data: ChannelPayload, _extra?: unknown) {
    super();
    this.id = data.id;
    this.type = data.type;
  }

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
