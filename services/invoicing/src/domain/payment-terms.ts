/*
 * Payment terms, as a contract states them (or a credit policy: net days and a discount), and what they make
 * of an invoice: its due items (instalments) and its early-payment discount. Pure.
 */
import { addDays, endOfMonth, type BusinessDate } from '@arc/clock';
import { discountedTotal } from '@arc/contracts';
import { allocate, money, type Money } from '@arc/money';
import { InvalidPaymentTermsError } from './invoice.errors';

export type PaymentTermsRule =
  /** Due `netDays` after the issue date. */
  | { kind: 'net'; netDays: number }
  /** Due `daysAfter` days after the end of the issue date's month ("end of month + 30"). */
  | { kind: 'end-of-month'; daysAfter: number }
  /** Split into instalments, each due `dueAfterDays` after the issue date, for its share of the total. */
  | { kind: 'instalments'; instalments: Array<{ dueAfterDays: number; shareBasisPoints: number }> };

export interface DiscountTerms {
  /** 200 = 2 %. */
  basisPoints: number;
  /** The discount is earned when paid within this many days of the issue date ("2/10"). */
  withinDays: number;
}

export interface DueItem {
  sequence: number;
  dueDate: BusinessDate;
  amount: Money;
}

const wholeDays = (value: number, what: string): void => {
  if (!Number.isSafeInteger(value) || value < 0 || value > 3660) {
    throw new InvalidPaymentTermsError(`${what} must be a whole number of days from 0 to 3660, not ${value}`);
  }
};

/** Refuses terms that can never make a due date (negative days, shares not adding up to 100 %, instalments out of order). */
export function checkPaymentTerms(rule: PaymentTermsRule, discount: DiscountTerms | null): void {
  switch (rule.kind) {
    case 'net':
      wholeDays(rule.netDays, 'net days');
      break;
    case 'end-of-month':
      wholeDays(rule.daysAfter, 'days after the end of the month');
      break;
    case 'instalments': {
      const { instalments } = rule;
      if (instalments.length < 1 || instalments.length > 60)
        throw new InvalidPaymentTermsError('an instalment schedule has 1 to 60 instalments');
      let previous = -1;
      let shares = 0;
      for (const [index, instalment] of instalments.entries()) {
        wholeDays(instalment.dueAfterDays, `instalments[${index}].dueAfterDays`);
        if (instalment.dueAfterDays < previous) throw new InvalidPaymentTermsError('instalments must be in due order');
        if (!Number.isSafeInteger(instalment.shareBasisPoints) || instalment.shareBasisPoints < 1) {
          throw new InvalidPaymentTermsError(`instalments[${index}].shareBasisPoints must be a whole number >= 1`);
        }
        previous = instalment.dueAfterDays;
        shares += instalment.shareBasisPoints;
      }
      if (shares !== 10_000)
        throw new InvalidPaymentTermsError(`the instalments' shares must add up to 10000 basis points (100 %), not ${shares}`);
      break;
    }
    default: {
      const unknown: never = rule;
      throw new InvalidPaymentTermsError(`unknown terms ${JSON.stringify(unknown)}`);
    }
  }
  if (discount !== null) {
    const lastDay = firstDueOffset(rule);
    if (!Number.isSafeInteger(discount.basisPoints) || discount.basisPoints < 1 || discount.basisPoints > 10_000) {
      throw new InvalidPaymentTermsError(`the discount rate must be 1 to 10000 basis points, not ${discount.basisPoints}`);
    }
    if (!Number.isSafeInteger(discount.withinDays) || discount.withinDays < 0 || discount.withinDays > lastDay) {
      throw new InvalidPaymentTermsError(
        `the discount window must be 0 to ${lastDay} days (the first due date), not ${discount.withinDays}`,
      );
    }
  }
}

/** The fewest days from the issue date to the first due date (the discount window may not outlast it). */
function firstDueOffset(rule: PaymentTermsRule): number {
  switch (rule.kind) {
    case 'net':
      return rule.netDays;
    case 'end-of-month':
      return rule.daysAfter;
    case 'instalments':
      return Math.min(...rule.instalments.map((i) => i.dueAfterDays));
  }
}

/**
 * The invoice's due items: one for net and end-of-month terms; for instalments, the total split by the
 * shares (@arc/money's `allocate`: largest remainders, so the items add up to the total exactly).
 */
export function dueItemsFor(rule: PaymentTermsRule, issueDate: BusinessDate, total: Money): DueItem[] {
  switch (rule.kind) {
    case 'net':
      return [{ sequence: 1, dueDate: addDays(issueDate, rule.netDays), amount: total }];
    case 'end-of-month':
      return [{ sequence: 1, dueDate: addDays(endOfMonth(issueDate), rule.daysAfter), amount: total }];
    case 'instalments': {
      const amounts = allocate(
        total,
        rule.instalments.map((i) => BigInt(i.shareBasisPoints)),
      );
      return rule.instalments.map((instalment, index) => ({
        sequence: index + 1,
        dueDate: addDays(issueDate, instalment.dueAfterDays),
        amount: amounts[index] ?? money(0n, total.currency),
      }));
    }
  }
}

/** The discount on the invoice: pay by issue date + withinDays, pay total − round-half-up(total × rate). */
export function discountFor(
  discount: DiscountTerms,
  issueDate: BusinessDate,
  total: Money,
): { basisPoints: number; payBy: BusinessDate; discountedAmount: Money } {
  return {
    basisPoints: discount.basisPoints,
    payBy: addDays(issueDate, discount.withinDays),
    discountedAmount: money(discountedTotal(total.amountMinor, discount.basisPoints), total.currency),
  };
}
