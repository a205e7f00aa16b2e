import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  BusinessDayClosed,
  CollectionCaseClosed,
  CollectionCaseOpened,
  CreditCheckPassed,
  CreditHoldPlaced,
  CreditHoldReleased,
  CreditNoteIssued,
  CreditPolicySet,
  CreditReservationConsumed,
  CreditReservationReleased,
  CustomerRegistered,
  InvoiceIssued,
  PaymentAllocated,
  PaymentAllocationReduced,
  PaymentReceived,
  InvoiceCancelled,
  DebitNoteIssued,
  DisputeRaised,
  DisputeResolved,
  InvoiceWrittenOff,
  WriteOffRecovered,
  PaymentDiscountTaken,
  PaymentDiscountWithdrawn,
  PaymentRefunded,
  PaymentReversed,
  type EventEnvelope,
  dataOf,
} from '@arc/contracts';
import { PostgresEventStore, type EventStore } from '@arc/event-store';
import type { ArcKafkaContext } from '@arc/messaging';
import { ReplaySettler } from './replay-settle';
import { projectCases, type CaseEvent } from './cases.projector';
import { projectBatch, type Incoming, type ProjectedEvent } from './read-model.projector';

/** One deferred write per batch: the whole batch is folded and written by projectBatch. */
const BATCH_KEY = 'projections/read-model';
/** The collection cases, written apart from the receivables read model (they move no figure of it). */
const CASES_KEY = 'projections/cases';

/**
 * Consumes credit, invoicing, payments and calendar events into the read model. Each handler only checks
 * the event against its contract and defers it; the batch is applied at its end, in its transaction
 * (exactly once with the consumer's position).
 */
@Controller()
export class ReadModelConsumer {
  constructor(
    @Inject(PostgresEventStore) private readonly store: EventStore,
    @Inject(ReplaySettler) private readonly settler: ReplaySettler,
  ) {}

  @EventPattern(CustomerRegistered.type)
  customerRegistered(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: CustomerRegistered.type, data: dataOf(CustomerRegistered, e) });
  }

  @EventPattern(CreditPolicySet.type)
  creditPolicySet(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: CreditPolicySet.type, data: dataOf(CreditPolicySet, e) });
  }

  @EventPattern(CreditCheckPassed.type)
  creditCheckPassed(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: CreditCheckPassed.type, data: dataOf(CreditCheckPassed, e) });
  }

  @EventPattern(CreditReservationReleased.type)
  creditReservationReleased(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: CreditReservationReleased.type, data: dataOf(CreditReservationReleased, e) });
  }

  @EventPattern(CreditReservationConsumed.type)
  creditReservationConsumed(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: CreditReservationConsumed.type, data: dataOf(CreditReservationConsumed, e) });
  }

  @EventPattern(CreditHoldPlaced.type)
  creditHoldPlaced(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: CreditHoldPlaced.type, data: dataOf(CreditHoldPlaced, e) });
  }

  @EventPattern(CreditHoldReleased.type)
  creditHoldReleased(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: CreditHoldReleased.type, data: dataOf(CreditHoldReleased, e) });
  }

  @EventPattern(InvoiceIssued.type)
  invoiceIssued(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: InvoiceIssued.type, data: dataOf(InvoiceIssued, e) });
  }

  @EventPattern(CreditNoteIssued.type)
  creditNoteIssued(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: CreditNoteIssued.type, data: dataOf(CreditNoteIssued, e) });
  }

  @EventPattern(PaymentReceived.type)
  paymentReceived(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: PaymentReceived.type, data: dataOf(PaymentReceived, e) });
  }

  @EventPattern(PaymentAllocated.type)
  paymentAllocated(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: PaymentAllocated.type, data: dataOf(PaymentAllocated, e) });
  }

  @EventPattern(PaymentAllocationReduced.type)
  paymentAllocationReduced(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: PaymentAllocationReduced.type, data: dataOf(PaymentAllocationReduced, e) });
  }

  @EventPattern(BusinessDayClosed.type)
  businessDayClosed(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: BusinessDayClosed.type, data: dataOf(BusinessDayClosed, e) });
  }

  @EventPattern(InvoiceCancelled.type)
  invoiceCancelled(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: InvoiceCancelled.type, data: dataOf(InvoiceCancelled, e) });
  }

  @EventPattern(DebitNoteIssued.type)
  debitNoteIssued(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: DebitNoteIssued.type, data: dataOf(DebitNoteIssued, e) });
  }

  @EventPattern(DisputeRaised.type)
  disputeRaised(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: DisputeRaised.type, data: dataOf(DisputeRaised, e) });
  }

  @EventPattern(DisputeResolved.type)
  disputeResolved(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: DisputeResolved.type, data: dataOf(DisputeResolved, e) });
  }

  @EventPattern(InvoiceWrittenOff.type)
  invoiceWrittenOff(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: InvoiceWrittenOff.type, data: dataOf(InvoiceWrittenOff, e) });
  }

  @EventPattern(WriteOffRecovered.type)
  writeOffRecovered(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: WriteOffRecovered.type, data: dataOf(WriteOffRecovered, e) });
  }

  @EventPattern(PaymentDiscountTaken.type)
  paymentDiscountTaken(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: PaymentDiscountTaken.type, data: dataOf(PaymentDiscountTaken, e) });
  }

  @EventPattern(PaymentDiscountWithdrawn.type)
  paymentDiscountWithdrawn(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: PaymentDiscountWithdrawn.type, data: dataOf(PaymentDiscountWithdrawn, e) });
  }

  @EventPattern(PaymentRefunded.type)
  paymentRefunded(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: PaymentRefunded.type, data: dataOf(PaymentRefunded, e) });
  }

  @EventPattern(PaymentReversed.type)
  paymentReversed(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.defer(ctx, e, { type: PaymentReversed.type, data: dataOf(PaymentReversed, e) });
  }

  @EventPattern(CollectionCaseOpened.type)
  collectionCaseOpened(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.deferCase(ctx, { type: CollectionCaseOpened.type, data: dataOf(CollectionCaseOpened, e) });
  }

  @EventPattern(CollectionCaseClosed.type)
  collectionCaseClosed(@Payload() e: EventEnvelope, @Ctx() ctx: ArcKafkaContext): void {
    this.deferCase(ctx, { type: CollectionCaseClosed.type, data: dataOf(CollectionCaseClosed, e) });
  }

  private deferCase(ctx: ArcKafkaContext, event: CaseEvent): void {
    ctx.batch.defer<CaseEvent>(CASES_KEY, event, (tx, items) => projectCases(tx, items));
  }

  private defer(ctx: ArcKafkaContext, envelope: EventEnvelope, event: ProjectedEvent): void {
    // A replayed batch leaves the derived figures to the end of the replay (replay-settle.ts).
    if (ctx.replaying) this.settler.nudge();
    ctx.batch.defer<Incoming>(BATCH_KEY, { envelope, event, replaying: ctx.replaying }, (tx, items) => projectBatch(tx, items, this.store));
  }
}
