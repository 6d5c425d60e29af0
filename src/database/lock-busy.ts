/**
 * A lock that is taken without waiting (`pg_try_advisory_xact_lock`) is held by another transaction. Not a
 * failure of the work: it is put back and done again once the other transaction has ended. Waiting instead
 * would let two transactions that each hold one such lock deadlock on the other's.
 */
export class LockBusyError extends Error {
  /** `beforeAnyWrite`: thrown before the work wrote anything, so there is nothing of it to roll back. */
  constructor(
    what: string,
    readonly beforeAnyWrite = false,
  ) {
    super(`${what} is being written by another transaction`);
    this.name = 'LockBusyError';
  }
}
