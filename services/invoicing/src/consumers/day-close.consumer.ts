import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { addDays, parseBusinessDate } from '@arc/clock';
import { BusinessDayClosed, dataOf, type EventEnvelope } from '@arc/contracts';
import { eventIdFor } from '@arc/decider';
import type { ArcKafkaContext } from '@arc/messaging';
import { Commands } from '@arc/platform';
import { REFERENCE_RATES_STREAM_ID, referenceRateOn, referenceRatesDecider } from '../domain/contract.decider';
import { INTEREST_DEBIT_NOTE_DAYS, invoiceStreamId } from '../domain/invoice.decider';
import { InvoiceCommands } from '../invoice-commands';
import { monthEnded, Statements } from '../statements/statements';
import { ReceivablesView } from '../views/receivables.view';
import { INVOICING_SYSTEM_ACTOR } from './invoice-cash.consumer';

/**
 * What invoicing does when a business day closes (BusinessDayClosed on arc.calendar, which invoicing's own
 * calendar publishes), in the consumer's batch transaction:
 * 1. every invoice with a late-interest rule and an instalment overdue accrues that day's interest, at the
 *    contract's rate (the reference rate in force that day + margin, or the fixed rate);
 * 2. on a month's last day, interest accrued and not charged (cadence 'month-end') is charged as debit notes,
 *    then every customer account with a movement so far gets its statement for the month.
 * Command ids derive from the day and the invoice (or account), so a redelivered close changes nothing. Not on a
 * replay: these are decisions, made once.
 */
@Controller()
export class DayCloseConsumer {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(InvoiceCommands) private readonly invoices: InvoiceCommands,
    @Inject(ReceivablesView) private readonly view: ReceivablesView,
    @Inject(Statements) private readonly statements: Statements,
  ) {}

  @EventPattern(BusinessDayClosed.type)
  async businessDayClosed(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const day = parseBusinessDate(dataOf(BusinessDayClosed, envelope).date);
    if (ctx.replaying) return;
    const rates = (await this.commands.state(referenceRatesDecider, REFERENCE_RATES_STREAM_ID)).state;
    const referenceRate = referenceRateOn(rates, day);
    const occurredAt = envelope.occurredAt;
    for (const { invoiceId, customerId } of await this.view.accruing(day)) {
      await this.invoices.execute({
        streamId: invoiceStreamId(invoiceId),
        customerId,
        command: { type: 'AccrueLateInterest', data: { day, referenceRateBasisPoints: referenceRate } },
        commandId: `accrue:${day}:${invoiceId}`,
        causationId: envelope.eventId,
        actor: INVOICING_SYSTEM_ACTOR,
        occurredAt,
      });
    }
    const month = monthEnded(day);
    if (month === null) return;
    for (const { invoiceId, customerId } of await this.view.interestToChargeAtMonthEnd()) {
      const seed = `interest:${day}:${invoiceId}`;
      await this.invoices.execute({
        streamId: invoiceStreamId(invoiceId),
        customerId,
        command: {
          type: 'ChargeLateInterest',
          data: {
            debitNoteId: eventIdFor(seed, 0),
            compensationDebitNoteId: eventIdFor(seed, 1),
            issueDate: day,
            dueDate: addDays(day, INTEREST_DEBIT_NOTE_DAYS),
          },
        },
        commandId: seed,
        causationId: envelope.eventId,
        actor: INVOICING_SYSTEM_ACTOR,
        occurredAt,
      });
    }
    for (const { customerId, currency } of await this.view.accounts(day)) {
      await this.statements.issue({
        customerId,
        currency,
        periodFrom: month.from,
        periodTo: month.to,
        issuedOn: day,
        trigger: 'month-end',
        actor: INVOICING_SYSTEM_ACTOR,
      });
    }
  }
}
