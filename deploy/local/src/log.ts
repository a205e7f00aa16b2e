/** Everything arc-infra says goes to stderr, so that stdout stays machine-readable (`--json`). */
export function log(message: string): void {
  process.stderr.write(`[arc-infra] ${message}\n`);
}
