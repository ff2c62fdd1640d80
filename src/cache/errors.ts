import { AthenaError } from '../util/errors.js';

/** `Collection.add`/`update` received something without a usable id. */
export class MissingIDError extends AthenaError {
  override name = 'MissingIDError';
  constructor(readonly collection: string) {
    super(`${collection}: object has no string id`);
  }
}

/** A remote store operation failed (network, protocol, closed client). Wraps the store's own error. */
export class RemoteStoreError extends AthenaError {
  override name = 'RemoteStoreError';
  constructor(
    readonly operation: string,
    override readonly cause: unknown
  ) {
    super(`remote store ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
