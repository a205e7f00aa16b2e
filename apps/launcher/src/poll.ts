/**
 * Polls `probe` every `intervalMs` until it returns true, and fails with `description` after
 * `timeoutMs` (with the probe's last error, if it threw).
 */
export async function until(
  probe: () => Promise<boolean>,
  { timeoutMs, intervalMs, description }: { timeoutMs: number; intervalMs: number; description: string },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() <= deadline) {
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${cause}`);
}
