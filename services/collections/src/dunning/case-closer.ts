import { Inject, Injectable } from '@nestjs/common';
import type { Queryable } from '@arc/event-store';
import type { Money } from '@arc/money';
import { caseIdFor } from '../consumers/aging.consumer';
import { Commands } from '@arc/platform';
import { collectionCaseDecider, collectionStreamId, type CloseCase } from '../domain';
import { applyCaseEvents } from '../views/cases.view';
import { dunningCustomersOf } from '../views/receivables.view';

export interface CloseTrigger {
  /** The event that ended collection (InvoiceWrittenOff, the run's PaymentArrangementKept): part of the command id. */
  causationId: string;
  actor: string;
  occurredAt: string;
}

/**
 * Closes a customer's open collection case when collection ended without the aging saying so first (a write-off,
 * a completed repayment plan) and nothing else of the customer is overdue on `on`. In the caller's transaction,
 * with the cases view: both or neither.
 */
@Injectable()
export class CaseCloser {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  async closeIfNothingOverdue(
    db: Queryable,
    customerId: string,
    on: string,
    reason: CloseCase['data']['reason'],
    trigger: CloseTrigger,
  ): Promise<boolean> {
    const [customer] = await dunningCustomersOf(db, [customerId]);
    if ((customer?.items ?? []).some((i) => i.dueDate < on)) return false;
    const streamId = collectionStreamId(customerId);
    const result = await this.commands.execute(collectionCaseDecider, {
      streamId,
      customerId,
      command: { type: 'CloseCase', data: { customerId, on, reason } },
      commandId: `close-case:${reason}:${trigger.causationId}`,
      fingerprint: `close-case:${customerId}:${reason}`,
      causationId: trigger.causationId,
      actor: trigger.actor,
      occurredAt: trigger.occurredAt,
    });
    await applyCaseEvents(
      db,
      result.events.map((e) => ({ streamId, eventType: e.eventType, data: e.data })),
    );
    return result.events.length > 0;
  }

  /**
   * A rejected write-off: the invoice's open amount is collectable again, so a case closed as written off opens again
   * when the last figure seen is beyond what it is still closed for (see `restoreOverdue`). In the caller's transaction.
   */
  async restoreOverdue(db: Queryable, customerId: string, on: string, amount: Money, trigger: CloseTrigger): Promise<void> {
    const streamId = collectionStreamId(customerId);
    const result = await this.commands.execute(collectionCaseDecider, {
      streamId,
      customerId,
      command: {
        type: 'RestoreOverdue',
        data: { customerId, caseId: caseIdFor(customerId, trigger.causationId), on, amount },
      },
      commandId: `restore-overdue:${trigger.causationId}`,
      causationId: trigger.causationId,
      actor: trigger.actor,
      occurredAt: trigger.occurredAt,
    });
    await applyCaseEvents(
      db,
      result.events.map((e) => ({ streamId, eventType: e.eventType, data: e.data })),
    );
  }
}
