import { randomUUID } from 'node:crypto';
import { customerCreditAccountStreamId } from '../domain/customer-credit-account.decider';

/** Stream, command id and instant of a command arriving over HTTP. */
export function commandContext(customerId: string, idempotencyKey: string | undefined) {
  return {
    streamId: customerCreditAccountStreamId(customerId),
    customerId,
    // The key as the command id: a retried request derives the same event ids and appends nothing.
    commandId: idempotencyKey ?? randomUUID(),
    occurredAt: new Date().toISOString(),
  };
}
