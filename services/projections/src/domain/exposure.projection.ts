/*
 * Exposure state of one customer, folded from credit, invoicing and payments events, plus the figures it
 * gives together with the customer's ledger rows on a business date.
 * Reservations: open = reserved − released, and nothing once consumed. Consumption is known either from
 * credit's CreditReservationConsumed or from an InvoiceIssued naming the reservation, whichever comes first
 * (topics are not ordered against each other); both only set the same flag, so the invoice's amount never
 * counts twice (once in open AR, once as a reservation), and no order of arrival changes the result.
 */
import type { BusinessDate } from '@arc/clock';
import type {
  CreditCheckPassed,
  CreditClass,
  CreditHoldPlaced,
  CreditHoldReleased,
  CreditPolicySet,
  CreditReservationConsumed,
  CreditReservationReleased,
  CustomerRegistered,
  EventOf,
  InvoiceIssued,
  PaymentAllocated,
  PaymentAllocationReduced,
  PaymentReceived,
  PaymentRefunded,
  PaymentReversed,
} from '@arc/contracts';
import {
  CurrencyMismatchError,
  add,
  currencyCode,
  exactNumberOrNull,
  isNegative,
  isPositive,
  money,
  parseMoney,
  ratioBasisPoints,
  subtract,
  zero,
  type CurrencyCode,
  type Money,
} from '@arc/money';
import { exposure as exposureRule, unappliedCash as unappliedCashRule } from '@arc/receivables';
import { overdueAmount } from './aging';
import { disputedOpen, excessCash, isReceivable, openAr, type ArLedgerRow } from './ar-ledger.projection';

export type ExposureEvent =
  | EventOf<typeof CustomerRegistered>
  | EventOf<typeof CreditPolicySet>
  | EventOf<typeof CreditCheckPassed>
  | EventOf<typeof CreditReservationReleased>
  | EventOf<typeof CreditReservationConsumed>
  | EventOf<typeof CreditHoldPlaced>
  | EventOf<typeof CreditHoldReleased>
  | EventOf<typeof InvoiceIssued>
  | EventOf<typeof PaymentReceived>
  | EventOf<typeof PaymentAllocated>
  | EventOf<typeof PaymentAllocationReduced>
  | EventOf<typeof PaymentRefunded>
  | EventOf<typeof PaymentReversed>;

export const EXPOSURE_EVENT_TYPES: readonly ExposureEvent['type'][] = [
  'CustomerRegistered',
  'CreditPolicySet',
  'CreditCheckPassed',
  'CreditReservationReleased',
  'CreditReservationConsumed',
  'CreditHoldPlaced',
  'CreditHoldReleased',
  'InvoiceIssued',
  'PaymentReceived',
  'PaymentAllocated',
  'PaymentAllocationReduced',
  'PaymentRefunded',
  'PaymentReversed',
];

export interface ReservationState {
  /** null until CreditCheckPassed arrives (an invoice may name the reservation first). */
  readonly reserved: Money | null;
  /** Σ CreditReservationReleased. */
  readonly released: Money | null;
  /** The invoice that consumed it, from InvoiceIssued or CreditReservationConsumed; null while open. */
  readonly consumedBy: string | null;
}

export interface CustomerExposureState {
  readonly customerId: string;
  /** The customer's trading currency (CustomerRegistered). */
  readonly currency: CurrencyCode | null;
  readonly businessUnit: string | null;
  readonly creditLimit: Money | null;
  readonly creditClass: CreditClass | null;
  readonly onHold: boolean;
  readonly reservations: Readonly<Record<string, ReservationState>>;
  /** Σ PaymentReceived − Σ PaymentAllocated + Σ PaymentAllocationReduced, per currency: what payments left on account. */
  readonly cashOnAccount: Readonly<Record<string, Money>>;
}

export function initialExposureState(customerId: string): CustomerExposureState {
  return {
    customerId,
    currency: null,
    businessUnit: null,
    creditLimit: null,
    creditClass: null,
    onHold: false,
    reservations: {},
    cashOnAccount: {},
  };
}

const addOptional = (a: Money | null, b: Money): Money => (a === null ? b : add(a, b));

function withReservation(
  state: CustomerExposureState,
  reservationId: string,
  update: (r: ReservationState) => ReservationState,
): CustomerExposureState {
  const current = state.reservations[reservationId] ?? { reserved: null, released: null, consumedBy: null };
  return { ...state, reservations: { ...state.reservations, [reservationId]: update(current) } };
}

function withCash(state: CustomerExposureState, amount: Money): CustomerExposureState {
  const current = state.cashOnAccount[amount.currency];
  return { ...state, cashOnAccount: { ...state.cashOnAccount, [amount.currency]: addOptional(current ?? null, amount) } };
}

/**
 * Folds one event (undefined state: the customer's first). Credit events keep their order (one topic, keyed
 * by customer), so policy and hold are "last one wins"; everything crossing topics is commutative.
 */
export function applyToExposure(state: CustomerExposureState | undefined, event: ExposureEvent): CustomerExposureState {
  const current = state ?? initialExposureState(event.data.customerId);
  if (current.customerId !== event.data.customerId) {
    throw new Error(`exposure of ${current.customerId} cannot take ${event.type} of customer ${event.data.customerId}`);
  }
  switch (event.type) {
    case 'CustomerRegistered':
      return { ...current, currency: currencyCode(event.data.currency), businessUnit: event.data.businessUnit };
    case 'CreditPolicySet':
      return { ...current, creditLimit: parseMoney(event.data.creditLimit, 'creditLimit'), creditClass: event.data.creditClass };
    case 'CreditCheckPassed': {
      const amount = parseMoney(event.data.amount, 'amount');
      // A redelivered check is the same reservation: keep the first amount rather than add it twice.
      return withReservation(current, event.data.reservationId, (r) => ({ ...r, reserved: r.reserved ?? amount }));
    }
    case 'CreditReservationReleased': {
      const amount = parseMoney(event.data.amount, 'amount');
      return withReservation(current, event.data.reservationId, (r) => ({ ...r, released: addOptional(r.released, amount) }));
    }
    case 'CreditReservationConsumed': {
      const { invoiceId } = event.data;
      return withReservation(current, event.data.reservationId, (r) => ({ ...r, consumedBy: r.consumedBy ?? invoiceId }));
    }
    case 'InvoiceIssued': {
      const { reservationId, invoiceId } = event.data;
      if (reservationId === null) return current;
      return withReservation(current, reservationId, (r) => ({ ...r, consumedBy: r.consumedBy ?? invoiceId }));
    }
    case 'CreditHoldPlaced':
      return { ...current, onHold: true };
    case 'CreditHoldReleased':
      return { ...current, onHold: false };
    case 'PaymentReceived':
      return withCash(current, parseMoney(event.data.amount, 'amount'));
    case 'PaymentAllocated':
      return withCash(current, subtract(zero(event.data.amount.currency), parseMoney(event.data.amount, 'amount')));
    case 'PaymentAllocationReduced':
      return withCash(current, parseMoney(event.data.amount, 'amount'));
    // Cash that leaves the customer's account: paid back, or never arrived (its allocations were reduced first).
    case 'PaymentRefunded':
    case 'PaymentReversed':
      return withCash(current, subtract(zero(event.data.amount.currency), parseMoney(event.data.amount, 'amount')));
    default: {
      const unknown: never = event;
      throw new Error(`not an exposure event: ${JSON.stringify(unknown)}`);
    }
  }
}

/** What is still reserved of one reservation: nothing once consumed, never below zero. */
export function openReservation(reservation: ReservationState): Money | null {
  if (reservation.reserved === null) return null;
  if (reservation.consumedBy !== null) return zero(reservation.reserved.currency);
  const left = reservation.released === null ? reservation.reserved : subtract(reservation.reserved, reservation.released);
  return isNegative(left) ? zero(left.currency) : left;
}

/** Turns an amount into the exposure currency with recorded FX rates; the consumer supplies it. */
export type Convert = (amount: Money, to: CurrencyCode, asOf: BusinessDate) => Money;

/** The default: no FX rates are recorded yet, so an amount in another currency is an error, not a guess. */
export const sameCurrencyOnly: Convert = (amount, to) => {
  if (amount.currency !== to)
    throw new CurrencyMismatchError(to, amount.currency, 'an amount without a recorded FX rate', 'the exposure currency');
  return amount;
};

export interface CustomerExposure {
  readonly customerId: string;
  readonly asOf: BusinessDate;
  readonly currency: CurrencyCode;
  readonly creditLimit: Money | null;
  readonly openAr: Money;
  readonly overdue: Money;
  readonly disputed: Money;
  readonly reserved: Money;
  readonly unappliedCash: Money;
  /** exposure = open AR + open credit reservations. */
  readonly exposure: Money;
  /** creditLimit − exposure; null without a limit. */
  readonly availableCredit: Money | null;
  /** exposure / limit in basis points, half-up; null without a limit or with a zero limit. */
  readonly utilisationBasisPoints: number | null;
  readonly creditClass: CreditClass | null;
  readonly onHold: boolean;
}

/**
 * The currency exposure is measured in: the limit's, else the customer's, else that of its first issued
 * row (by invoice id, so it does not depend on arrival order); null when nothing is known yet.
 */
export function exposureCurrency(state: CustomerExposureState, rows: Iterable<ArLedgerRow>): CurrencyCode | null {
  if (state.creditLimit !== null) return state.creditLimit.currency;
  if (state.currency !== null) return state.currency;
  const issued = [...rows].filter((r) => r.customerId === state.customerId && r.invoice !== null);
  issued.sort((a, b) => (a.invoiceId < b.invoiceId ? -1 : a.invoiceId > b.invoiceId ? 1 : 0));
  return issued[0]?.currency ?? null;
}

/**
 * Exposure of one customer as of a date from its state and its ledger rows (other customers' rows are
 * ignored). Open AR and overdue count rows with an open balance > 0, as aging does; overpaid rows are not
 * negative AR. Null when no currency is known yet, i.e. there is nothing to report.
 */
export function customerExposure(
  state: CustomerExposureState,
  rows: Iterable<ArLedgerRow>,
  asOf: BusinessDate,
  convert: Convert = sameCurrencyOnly,
): CustomerExposure | null {
  const all = [...rows].filter((r) => r.customerId === state.customerId);
  const currency = exposureCurrency(state, all);
  if (currency === null) return null;
  const inCurrency = (m: Money): bigint => convert(m, currency, asOf).amountMinor;

  let openArMinor = 0n;
  let overdueMinor = 0n;
  let disputedMinor = 0n;
  for (const c of new Set(all.filter(isReceivable).map((r) => r.currency))) {
    openArMinor += inCurrency(openAr(all, c));
    overdueMinor += inCurrency(overdueAmount(all, asOf, c));
  }
  for (const row of all) {
    const disputed = disputedOpen(row);
    if (isPositive(disputed)) disputedMinor += inCurrency(disputed);
  }
  let reservedMinor = 0n;
  for (const reservation of Object.values(state.reservations)) {
    const open = openReservation(reservation);
    if (open !== null) reservedMinor += inCurrency(open);
  }
  // Unapplied cash by the one rule: what payments left on account plus allocations the invoices cannot absorb.
  let cashMinor = 0n;
  const cashCurrencies = new Set<CurrencyCode>([
    ...Object.values(state.cashOnAccount).map((m) => m.currency),
    ...all.map((r) => r.currency),
  ]);
  for (const c of cashCurrencies) {
    const cash = unappliedCashRule(state.cashOnAccount[c] ?? zero(c), excessCash(all, c));
    if (isPositive(cash)) cashMinor += inCurrency(cash);
  }

  const exposure = exposureRule(money(openArMinor, currency), money(reservedMinor, currency));
  const limit = state.creditLimit;
  const utilisation = limit === null ? null : ratioBasisPoints(exposure, limit);
  return {
    customerId: state.customerId,
    asOf,
    currency,
    creditLimit: limit,
    openAr: money(openArMinor, currency),
    overdue: money(overdueMinor, currency),
    disputed: money(disputedMinor, currency),
    reserved: money(reservedMinor, currency),
    unappliedCash: money(cashMinor, currency),
    exposure,
    availableCredit: limit === null ? null : subtract(limit, exposure),
    utilisationBasisPoints: exactNumberOrNull(utilisation),
    creditClass: state.creditClass,
    onHold: state.onHold,
  };
}
