/* Read-side figures of a customer's account: exposure, utilisation, tolerance, insurance. Pure. */
import type { CreditCheckFailure, CreditCheckpoint } from '@arc/contracts';
import { compare, percentOf, ratioBasisPoints, subtract, sum, zero, type Money } from '@arc/money';
import { exposure as exposureRule } from '@arc/receivables';
import type { CustomerCreditAccount, RegisteredAccount } from './state';

/** Σ of the reservations still open, in the customer's currency. */
export function openReservations(account: CustomerCreditAccount, currency: string): Money {
  if (account.status !== 'registered') return zero(currency);
  return sum(
    [...account.reservations.values()].filter((r) => r.status === 'open').map((r) => r.amount),
    currency,
  );
}

/** exposure = open AR + open credit reservations (domain brief, Definitions), by the one rule of @arc/receivables. */
export function exposure(account: CustomerCreditAccount, openAr: Money): Money {
  return exposureRule(openAr, openReservations(account, openAr.currency));
}

/** utilisation = exposure / limit in basis points; null without a policy or with a zero limit. */
export function utilisationBasisPoints(account: CustomerCreditAccount, openAr: Money): bigint | null {
  if (account.status !== 'registered' || account.policy === null) return null;
  return ratioBasisPoints(exposure(account, openAr), account.policy.creditLimit);
}

/** How the check with this id was decided, or null when the account has not decided it. */
export function checkOutcome(
  account: CustomerCreditAccount,
  checkId: string,
): { passed: true } | { passed: false; reason: CreditCheckFailure } | null {
  if (account.status !== 'registered') return null;
  if (account.reservations.has(checkId)) return { passed: true };
  const failure = account.failedChecks.get(checkId);
  return failure === undefined ? null : { passed: false, reason: failure.reason };
}

/** Where the check with this id was made, or null when the account has not decided it. */
export function checkpointOf(account: CustomerCreditAccount, checkId: string): CreditCheckpoint | null {
  return account.status === 'registered' ? (account.checkpoints.get(checkId) ?? null) : null;
}

/**
 * How far over its limit a check may go: a share of the limit (rounded down, so the allowance never
 * exceeds the stated share) or a fixed amount; zero without a tolerance.
 */
export function toleranceAllowance(account: RegisteredAccount, limit: Money): Money {
  const tolerance = account.tolerance;
  if (tolerance === null) return zero(limit.currency);
  if (tolerance.kind === 'amount') return tolerance.amount;
  return percentOf(limit, BigInt(tolerance.basisPoints), 'down');
}

export interface InsuranceStatus {
  insurer: string | null;
  insuredAmount: Money;
  /** Exposure above the insured amount (zero when covered). */
  uninsuredExposure: Money;
  coverExceeded: boolean;
  /** The cover's valid-until date is before the business date: nothing is insured any more. */
  expired: boolean;
}

/**
 * Exposure against the credit insurance: the detailed cover when one is recorded, else the policy's insured
 * amount (no expiry known). An expired cover insures nothing. Null when neither exists.
 */
export function insuranceStatus(account: CustomerCreditAccount, exposed: Money, businessDate: string): InsuranceStatus | null {
  if (account.status !== 'registered') return null;
  const cover = account.insurance;
  const insured = cover?.insuredAmount ?? account.policy?.insuredAmount ?? null;
  if (insured === null) return null;
  const expired = cover !== null && cover.validUntil < businessDate;
  const effective = expired ? zero(insured.currency) : insured;
  const over = compare(exposed, effective) > 0 ? subtract(exposed, effective) : zero(exposed.currency);
  return {
    insurer: cover?.insurer ?? null,
    insuredAmount: insured,
    uninsuredExposure: over,
    coverExceeded: over.amountMinor > 0n,
    expired,
  };
}
