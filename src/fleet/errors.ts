import { AthenaError } from '../util/errors.js';

/**
 * The fleet's daily identify budget (`session_start_limit`) is spent down to its reserve: Athena
 * refuses the identify itself instead of letting Discord refuse it (and, repeated, reset the token).
 * The shard retries after `resetAfter` ms, when Discord refills the budget.
 */
export class SessionStartLimitError extends AthenaError {
  override name = 'SessionStartLimitError';
  constructor(
    readonly shardID: number,
    /** Identifies left fleet-wide when refused (at or below the reserve). */
    readonly remaining: number,
    /** Milliseconds until the budget resets. */
    readonly resetAfter: number
  ) {
    super(
      `identify of shard ${shardID} refused: the fleet's daily session start budget is spent ` +
        `(${remaining} left, resets in ${Math.ceil(resetAfter / 1000)} s)`
    );
  }

  /** Read by the Shard: when to try again. */
  get retryAfter(): number {
    return this.resetAfter;
  }
}

/** Redis did not answer (or answered nonsense) where the fleet needs it. */
export class FleetStoreError extends AthenaError {
  override name = 'FleetStoreError';
}
