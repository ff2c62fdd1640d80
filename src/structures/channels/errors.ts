import { AthenaError } from '../../util/errors.js';

/** Permission math was asked about a member id the cache does not hold; fetch the member first. */
export class UncachedMemberError extends AthenaError {
  override name = 'UncachedMemberError';
  constructor(
    readonly guildID: string,
    readonly memberID: string
  ) {
    super(`member ${memberID} of guild ${guildID} is not cached; use guild.fetchMember(id) first`);
  }
}
