/*
 * Promises to pay and repayment plans: both are instalments the customer agreed to (a promise has one date or
 * a few, a plan several), decided at day close from what the customer paid since agreeing. An instalment is
 * kept when, its grace days over, the money paid since the agreement covers every instalment so far less the
 * tolerance; otherwise the arrangement breaks (partly kept when some of that instalment's money came in) and
 * dunning resumes. While an arrangement is open, the items it covers are not dunned.
 */
import { addDays, isAfter, parseBusinessDate } from '@arc/clock';
import type { ArrangementKind } from '@arc/contracts';
import { toJson, money, type Money } from '@arc/money';
import { InvalidArrangementError } from './collections.errors';
import type { CustomerDunningEvent, InstalmentJson } from './customer-dunning.events';

export interface Instalment {
  dueOn: string;
  amount: Money;
}

export interface Arrangement {
  arrangementId: string;
  kind: ArrangementKind;
  status: 'open' | 'kept' | 'broken';
  madeOn: string;
  instalments: InstalmentJson[];
  graceDays: number;
  toleranceMinor: bigint;
  currency: string;
  invoiceIds: string[];
  paidBeforeMinor: bigint;
  /** Instalments decided kept so far. */
  kept: number;
}

export type MakeArrangement = {
  type: 'MakeArrangement';
  data: {
    customerId: string;
    arrangementId: string;
    kind: ArrangementKind;
    madeOn: string;
    instalments: Instalment[];
    graceDays: number;
    tolerance: Money;
    invoiceIds: string[];
    /** Everything the customer has paid so far (collections' open-items view), the baseline of the arrangement. */
    paidToDate: Money;
    interestBasisPoints: number;
    note: string;
  };
};

export function makeArrangement(command: MakeArrangement, arrangements: readonly Arrangement[]): CustomerDunningEvent[] {
  const d = command.data;
  const existing = arrangements.find((a) => a.arrangementId === d.arrangementId);
  if (existing) return []; // a repeat of the same agreement
  const problems: string[] = [];
  if (d.instalments.length === 0) problems.push('at least one instalment is needed');
  if (d.kind === 'plan' && d.instalments.length < 2) problems.push('a repayment plan has at least two instalments');
  const currency = d.instalments[0]?.amount.currency ?? d.tolerance.currency;
  let previous = d.madeOn;
  d.instalments.forEach((instalment, i) => {
    if (instalment.amount.currency !== currency) problems.push(`instalments[${i}] is in ${instalment.amount.currency}, not ${currency}`);
    if (instalment.amount.amountMinor <= 0n) problems.push(`instalments[${i}].amount must be positive`);
    if (instalment.dueOn < previous) problems.push(`instalments[${i}].dueOn must not be before ${previous}`);
    previous = instalment.dueOn;
  });
  if (d.tolerance.currency !== currency) problems.push(`tolerance is in ${d.tolerance.currency}, not ${currency}`);
  if (d.tolerance.amountMinor < 0n) problems.push('tolerance must not be negative');
  if (d.paidToDate.currency !== currency && d.paidToDate.amountMinor !== 0n) problems.push(`payments are in ${d.paidToDate.currency}`);
  if (arrangements.some((a) => a.status === 'open' && a.kind === d.kind))
    problems.push(`the customer already has an open ${d.kind === 'plan' ? 'repayment plan' : 'promise to pay'}`);
  if (problems.length > 0) throw new InvalidArrangementError(problems);
  return [
    {
      type: 'PaymentArrangementMade',
      data: {
        customerId: d.customerId,
        arrangementId: d.arrangementId,
        kind: d.kind,
        madeOn: d.madeOn,
        instalments: d.instalments.map((i) => ({ dueOn: i.dueOn, amount: toJson(i.amount) })),
        graceDays: d.graceDays,
        tolerance: toJson(d.tolerance),
        invoiceIds: d.invoiceIds,
        paidBefore: toJson(money(d.paidToDate.currency === currency ? d.paidToDate.amountMinor : 0n, currency)),
        interestBasisPoints: d.interestBasisPoints,
        note: d.note,
      },
    },
  ];
}

/**
 * The decisions due at the close of `businessDate` for the open arrangements, from `paidToDateMinor` (all the
 * customer has paid in the arrangement's currency, ever).
 */
export function evaluateArrangements(
  customerId: string,
  arrangements: readonly Arrangement[],
  businessDate: string,
  paidToDate: ReadonlyMap<string, bigint>,
): CustomerDunningEvent[] {
  const events: CustomerDunningEvent[] = [];
  const today = parseBusinessDate(businessDate);
  for (const a of arrangements) {
    if (a.status !== 'open') continue;
    const paid = (paidToDate.get(a.currency) ?? 0n) - a.paidBeforeMinor;
    let expected = a.instalments.slice(0, a.kept).reduce((sum, i) => sum + BigInt(i.amount.amountMinor), 0n);
    for (let n = a.kept; n < a.instalments.length; n++) {
      const instalment = a.instalments[n] as InstalmentJson;
      if (isAfter(addDays(parseBusinessDate(instalment.dueOn), a.graceDays), today)) break;
      const before = expected;
      expected += BigInt(instalment.amount.amountMinor);
      const cur = (minor: bigint) => toJson(money(minor < 0n ? 0n : minor, a.currency));
      if (paid + a.toleranceMinor >= expected) {
        events.push({
          type: 'ArrangementInstalmentKept',
          data: {
            customerId,
            arrangementId: a.arrangementId,
            instalment: n + 1,
            keptOn: businessDate,
            expected: cur(expected),
            paid: cur(paid),
          },
        });
        if (n === a.instalments.length - 1)
          events.push({
            type: 'PaymentArrangementKept',
            data: { customerId, arrangementId: a.arrangementId, kind: a.kind, keptOn: businessDate },
          });
        continue;
      }
      events.push({
        type: 'PaymentArrangementBroken',
        data: {
          customerId,
          arrangementId: a.arrangementId,
          kind: a.kind,
          brokenOn: businessDate,
          instalment: n + 1,
          expected: cur(expected),
          paid: cur(paid),
          partlyKept: paid > before,
        },
      });
      break;
    }
  }
  return events;
}

/** Whether an open arrangement keeps this invoice out of dunning. */
export function coveredByOpenArrangement(arrangements: readonly Arrangement[], invoiceId: string): boolean {
  return arrangements.some((a) => a.status === 'open' && (a.invoiceIds.length === 0 || a.invoiceIds.includes(invoiceId)));
}
