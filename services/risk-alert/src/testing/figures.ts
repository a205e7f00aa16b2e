/* Change events as projections (and invoicing, payments, calendar) publish them, for the integration tests (each valid against its contract). */
import { randomUUID } from 'node:crypto';
import {
  CustomerAgingChanged,
  CustomerExposureChanged,
  InvoiceIssued,
  PaymentAllocated,
  PortfolioKpisChanged,
  type InvoiceIssuedData,
  type PaymentAllocatedData,
  type KpiSegment,
  type PortfolioKpisChangedData,
  type CustomerAgingChangedData,
  type CustomerExposureChangedData,
  type EventEnvelope,
} from '@arc/contracts';

const EUR = (amountMinor: bigint | string) => ({ amountMinor: String(amountMinor), currency: 'EUR' });
const halfUp = (numerator: bigint, denominator: bigint): number | null =>
  denominator === 0n ? null : Number((2n * numerator + denominator) / (2n * denominator));

/** Envelopes numbered per stream, as projections' relay numbers them. */
export class ProjectionsFeed {
  private readonly versions = new Map<string, number>();

  private envelope<T>(eventType: string, streamId: string, customerId: string, asOf: string, data: T): EventEnvelope<T> {
    const streamVersion = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, streamVersion);
    return {
      eventId: randomUUID(),
      eventType,
      schemaVersion: 1,
      streamId,
      streamVersion,
      customerId,
      occurredAt: `${asOf}T23:00:00.000Z`,
      recordedAt: `${asOf}T23:00:00.000Z`,
      correlationId: randomUUID(),
      causationId: null,
      actor: 'system:projections',
      data,
    };
  }

  /** Exposure (all open AR, `overdueMinor` of it overdue) against a credit limit, both in minor units of EUR. */
  exposure(
    customerId: string,
    exposureMinor: bigint,
    limitMinor: bigint,
    asOf: string,
    creditClass: CustomerExposureChangedData['creditClass'] = null,
    overdueMinor = 0n,
  ): EventEnvelope<CustomerExposureChangedData> {
    const data: CustomerExposureChangedData = {
      customerId,
      asOf,
      currency: 'EUR',
      creditLimit: EUR(limitMinor),
      openAr: EUR(exposureMinor),
      overdue: EUR(overdueMinor),
      disputed: EUR(0n),
      reserved: EUR(0n),
      unappliedCash: EUR(0n),
      exposure: EUR(exposureMinor),
      availableCredit: EUR(limitMinor - exposureMinor),
      utilisationBasisPoints: Number((exposureMinor * 20_000n + limitMinor) / (2n * limitMinor)),
      creditClass,
      onHold: false,
    };
    const valid = CustomerExposureChanged.validate(data);
    if (!valid.ok) throw new Error(`exposure sample breaks its contract: ${valid.problems.join('; ')}`);
    return this.envelope('CustomerExposureChanged', `customer-exposure-${customerId}`, customerId, asOf, data);
  }

  /** Aging in the standard set: `ninetyPlusMinor` in 90+, everything else not yet due. */
  aging(
    customerId: string,
    ninetyPlusMinor: bigint,
    asOf: string,
    oldestDaysPastDue: number | null = null,
  ): EventEnvelope<CustomerAgingChangedData> {
    const data: CustomerAgingChangedData = {
      customerId,
      asOf,
      currency: 'EUR',
      bucketSetId: 'standard',
      notYetDue: EUR(0n),
      buckets: [
        { label: '0-30', amount: EUR(0n) },
        { label: '31-60', amount: EUR(0n) },
        { label: '61-90', amount: EUR(0n) },
        { label: '90+', amount: EUR(ninetyPlusMinor) },
      ],
      overdue: EUR(ninetyPlusMinor),
      totalOpen: EUR(ninetyPlusMinor),
      oldestDaysPastDue: ninetyPlusMinor > 0n ? (oldestDaysPastDue ?? 95) : null,
    };
    const valid = CustomerAgingChanged.validate(data);
    if (!valid.ok) throw new Error(`aging sample breaks its contract: ${valid.problems.join('; ')}`);
    return this.envelope('CustomerAgingChanged', `customer-aging-${customerId}-standard-EUR`, customerId, asOf, data);
  }

  /** A segment's KPIs in `currency` over a 90-day period (opening AR = total AR; no cash, write-offs or disputes). */
  kpis(
    segment: KpiSegment,
    asOf: string,
    figures: { totalAr: bigint; overdue: bigint; creditSales: bigint; arTurnoverBasisPoints: number | null },
    currency = 'EUR',
  ): EventEnvelope<PortfolioKpisChangedData> {
    const money = (amountMinor: bigint) => ({ amountMinor: String(amountMinor), currency });
    const { totalAr, overdue, creditSales } = figures;
    const d = 90n;
    const data: PortfolioKpisChangedData = {
      asOf,
      segment,
      currency,
      periodDays: 90,
      totalAr: money(totalAr),
      overdue: money(overdue),
      currentAr: money(totalAr - overdue),
      openingAr: money(totalAr),
      creditSales: money(creditSales),
      collected: money(0n),
      writtenOff: money(0n),
      disputed: money(0n),
      overdueRatioBasisPoints: halfUp(overdue * 10_000n, totalAr),
      dsoDays: halfUp(totalAr * d, creditSales),
      dsoCountbackDays: null,
      bestPossibleDsoDays: halfUp((totalAr - overdue) * d, creditSales),
      averageDaysDelinquent: halfUp(overdue * d, creditSales),
      arTurnoverBasisPoints: figures.arTurnoverBasisPoints,
      ceiBasisPoints: null,
      badDebtRatioBasisPoints: halfUp(0n, creditSales),
      collectionRateBasisPoints: null,
      disputeRateBasisPoints: halfUp(0n, totalAr),
    };
    const valid = PortfolioKpisChanged.validate(data);
    if (!valid.ok) throw new Error(`KPI sample breaks its contract: ${valid.problems.join('; ')}`);
    const key = segment.key ?? 'portfolio';
    return this.envelope('PortfolioKpisChanged', `kpis-${segment.kind}-${key}-${currency}`, key, asOf, data);
  }
}

/** Invoicing's and payments' events as their relays publish them (each valid against its contract), and day closes. */
export class ReceivablesFeed {
  private readonly versions = new Map<string, number>();

  envelope<T>(eventType: string, streamId: string, customerId: string, on: string, data: T): EventEnvelope<T> {
    const streamVersion = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, streamVersion);
    return {
      eventId: randomUUID(),
      eventType,
      schemaVersion: 1,
      streamId,
      streamVersion,
      customerId,
      occurredAt: `${on}T12:00:00.000Z`,
      recordedAt: `${on}T12:00:00.000Z`,
      correlationId: randomUUID(),
      causationId: null,
      actor: 'system:test',
      data,
    };
  }

  /** An invoice of `totalMinor` EUR (one line, no tax), issued on `issueDate`, due on `dueDate`. */
  issued(
    customerId: string,
    invoiceNumber: string,
    totalMinor: bigint,
    issueDate: string,
    dueDate: string,
  ): EventEnvelope<InvoiceIssuedData> {
    const invoiceId = randomUUID();
    const data: InvoiceIssuedData = {
      invoiceId,
      invoiceNumber,
      customerId,
      currency: 'EUR',
      lines: [{ description: 'Pumps', netAmount: EUR(totalMinor), taxAmount: EUR(0n) }],
      total: EUR(totalMinor),
      issueDate,
      dueDate,
      earlyPaymentDiscount: null,
      reservationId: null,
    };
    const valid = InvoiceIssued.validate(data);
    if (!valid.ok) throw new Error(`invoice sample breaks its contract: ${valid.problems.join('; ')}`);
    return this.envelope('InvoiceIssued', `invoice-${invoiceId}`, customerId, issueDate, data);
  }

  /** Cash of `amountMinor` EUR allocated to an invoice on `on`. */
  allocated(invoice: InvoiceIssuedData, amountMinor: bigint, on: string): EventEnvelope<PaymentAllocatedData> {
    const paymentId = randomUUID();
    const data: PaymentAllocatedData = {
      paymentId,
      customerId: invoice.customerId,
      invoiceId: invoice.invoiceId,
      amount: EUR(amountMinor),
      allocatedOn: on,
    };
    const valid = PaymentAllocated.validate(data);
    if (!valid.ok) throw new Error(`allocation sample breaks its contract: ${valid.problems.join('; ')}`);
    return this.envelope('PaymentAllocated', `payment-${paymentId}`, invoice.customerId, on, data);
  }

  dayClosed(date: string): EventEnvelope<{ date: string }> {
    return this.envelope('BusinessDayClosed', 'calendar-test', 'calendar', date, { date });
  }
}
