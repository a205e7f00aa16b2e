import { randomUUID } from 'node:crypto';

/** Command id and instant of a command arriving over HTTP: the Idempotency-Key (a retry derives the same event ids), else a fresh id. */
export function commandContext(idempotencyKey: string | undefined) {
  return { commandId: idempotencyKey ?? randomUUID(), occurredAt: new Date().toISOString() };
}
