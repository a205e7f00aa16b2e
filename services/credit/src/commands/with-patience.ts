import { CommandConflictError } from '@arc/platform';

/**
 * Re-runs a command that kept losing the race for a busy stream (a credit group's checks all meet on one
 * stream). Each lost race means another command won, so N concurrent commands settle within N rounds; the
 * same command id makes a re-run that already landed a no-op. Beyond `rounds` the 409 stands.
 * A race lost inside the caller's transaction that aborted it (two appends of the same version colliding)
 * cannot be re-run in it: that error goes to the transaction's owner, which reruns all of it.
 */
export async function withPatience<T>(run: () => Promise<T>, rounds = 25): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof CommandConflictError) || round >= rounds || abortedTransaction(error)) throw error;
    }
  }
}

/** The lost race aborted the transaction the command ran in (the event store's ConcurrencyError says so). */
function abortedTransaction(error: CommandConflictError): boolean {
  const cause = error.cause as { transactionAborted?: unknown } | undefined;
  return cause?.transactionAborted === true;
}
