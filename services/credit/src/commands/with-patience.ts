import { CommandConflictError } from '@arc/platform';

/**
 * Re-runs a command that kept losing the race for a busy stream (a credit group's checks all meet on one
 * stream). Each lost race means another command won, so N concurrent commands settle within N rounds; the
 * same command id makes a re-run that already landed a no-op. Beyond `rounds` the 409 stands.
 */
export async function withPatience<T>(run: () => Promise<T>, rounds = 25): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof CommandConflictError) || round >= rounds) throw error;
    }
  }
}
