/*
 * Credit checks and their reservations. The invariant: no check passes while the customer is on hold or
 * its group refused; without an override no check passes unless open AR + open reservations + the order
 * stay within the limit plus the policy's tolerance. All reservations of a customer live in its one
 * stream, so two concurrent orders cannot together overshoot it.
 */
import type { CreditCheckFailure, CustomerAccountEvent } from '@arc/contracts';
import { add, compare, formatMajor, toJson, type Money } from '@arc/money';
import {
  NegativeOpenArError,
  OrderAmountNotPositiveError,
  OverrideNeedsApprovalLevelError,
  OverrideWithoutReasonError,
  ReservationConsumedByOtherInvoiceError,
  ReservationReleasedError,
  UnknownReservationError,
} from '../customer-credit-account.errors';
import type { CheckCredit, ConsumeReservation, ReleaseReservation } from './commands';
import { exposure, toleranceAllowance } from './figures';
import { registered, requireCurrency } from './guards';
import type { CustomerCreditAccount } from './state';

/** Who authorised a pass within the policy's tolerance: the policy itself, set by finance. */
export const TOLERANCE_AUTHORITY = 'credit-policy:tolerance';

export function checkCredit(command: CheckCredit, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = registered(state, command.type);
  const { checkId, orderReference, orderAmount, openAr, override = null, groupRefused = false, checkpoint = 'order' } = command.data;
  // A check is recognised by its id in either outcome: a passed check is its reservation, a failed one is
  // recorded under the checkId its CreditCheckFailed carries. The repeat changes nothing, whatever its figures.
  if (account.reservations.has(checkId) || account.failedChecks.has(checkId)) return [];
  requireCurrency('orderAmount', orderAmount, account.currency);
  requireCurrency('openAr', openAr, account.currency);
  if (orderAmount.amountMinor <= 0n) throw new OrderAmountNotPositiveError(orderAmount.amountMinor);
  if (openAr.amountMinor < 0n) throw new NegativeOpenArError(openAr.amountMinor);
  if (override !== null) {
    if (override.reason.trim() === '' || override.authorisedBy.trim() === '') throw new OverrideWithoutReasonError();
    if (!(override.approverLevel >= 1)) throw new OverrideNeedsApprovalLevelError(override.authorisedBy);
  }

  const customerId = account.customer.customerId;
  const failed = (reason: CreditCheckFailure, seen: { exposure: Money; limit: Money } | null): CustomerAccountEvent[] => [
    {
      type: 'CreditCheckFailed',
      data: {
        customerId,
        checkId,
        orderReference,
        amount: toJson(orderAmount),
        reason,
        exposure: seen === null ? null : toJson(seen.exposure),
        creditLimit: seen === null ? null : toJson(seen.limit),
        checkpoint,
      },
    },
  ];

  const policy = account.policy;
  const current = exposure(account, openAr);
  const seen = policy === null ? null : { exposure: current, limit: policy.creditLimit };
  if (account.hold !== null) return failed('customer-on-hold', seen);
  if (policy === null) return failed('no-credit-policy', null);
  if (groupRefused) return failed('group-limit-exceeded', seen);

  const after = add(current, orderAmount);
  const withinLimit = compare(after, policy.creditLimit) <= 0;
  const allowance = toleranceAllowance(account, policy.creditLimit);
  const withinTolerance = !withinLimit && allowance.amountMinor > 0n && compare(after, add(policy.creditLimit, allowance)) <= 0;
  if (!withinLimit && !withinTolerance && override === null) return failed('limit-exceeded', seen);
  // Recorded only when it made the difference: the contract reads a non-null override as "passed because of
  // it". A pass within tolerance is the policy's standing authorisation, recorded as such.
  const recorded = withinLimit
    ? null
    : withinTolerance
      ? {
          reason: `within the credit policy's tolerance of ${formatMajor(allowance)} ${allowance.currency}`,
          authorisedBy: TOLERANCE_AUTHORITY,
        }
      : { reason: override!.reason, authorisedBy: override!.authorisedBy };
  return [
    {
      type: 'CreditCheckPassed',
      data: {
        customerId,
        reservationId: checkId,
        orderReference,
        amount: toJson(orderAmount),
        exposureBefore: toJson(current),
        creditLimit: toJson(policy.creditLimit),
        override: recorded,
        checkpoint,
      },
    },
  ];
}

export function releaseReservation(command: ReleaseReservation, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = registered(state, command.type);
  const { reservationId, reason } = command.data;
  const reservation = account.reservations.get(reservationId);
  // A reservation that never existed is a mistake the caller must hear about (404), not a release.
  if (reservation === undefined) throw new UnknownReservationError(reservationId);
  // Already released or consumed: releasing is idempotent, there is nothing left to give back.
  if (reservation.status !== 'open') return [];
  return [
    {
      type: 'CreditReservationReleased',
      data: { customerId: account.customer.customerId, reservationId, amount: toJson(reservation.amount), reason },
    },
  ];
}

export function consumeReservation(command: ConsumeReservation, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = registered(state, command.type);
  const { reservationId, invoiceId } = command.data;
  const reservation = account.reservations.get(reservationId);
  if (reservation === undefined) throw new UnknownReservationError(reservationId);
  switch (reservation.status) {
    case 'released':
      throw new ReservationReleasedError(reservationId);
    case 'consumed':
      if (reservation.invoiceId === invoiceId) return [];
      throw new ReservationConsumedByOtherInvoiceError(reservationId, reservation.invoiceId);
    case 'open':
      return [
        {
          type: 'CreditReservationConsumed',
          data: { customerId: account.customer.customerId, reservationId, invoiceId, amount: toJson(reservation.amount) },
        },
      ];
  }
}
