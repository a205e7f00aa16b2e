import { invoiceStreamId } from '../domain/invoice.decider';

/**
 * Stream, command id and instant of a command on an invoice arriving over HTTP. The command id is the
 * Idempotency-Key when there is one, else the client-supplied id of what is issued (invoice or credit
 * note id): a retried request derives the same event ids and appends nothing.
 */
export function commandContext(invoiceId: string, customerId: string, idempotencyKey: string | undefined, issuedId: string) {
  return {
    streamId: invoiceStreamId(invoiceId),
    customerId,
    commandId: idempotencyKey ?? issuedId,
    occurredAt: new Date().toISOString(),
  };
}
