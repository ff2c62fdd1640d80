import { Base } from '../Base.js';
import type { ChannelPayload } from './types.js';

/** Root of every channel: id and type (Eris's Channel). */
export class Channel extends Base {
  readonly id: string;
  type: number;

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
