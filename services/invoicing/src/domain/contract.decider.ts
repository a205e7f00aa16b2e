/*
 * Customer contract (stream `contract-<contractId>`): the terms an invoice naming it takes — payment terms
 * (net days, end of month + days, instalments), early-payment discount, late-interest rule (fixed annual rate
 * or reference rate + margin, accrued per day; optional fixed compensation; charged at month end or on
 * settlement), the dispute-resolution clause and evidence references. Agreed once, amended with the whole
 * terms (an invoice keeps the terms it was issued under). Its events are private to invoicing: routed to no
 * topic, other contexts learn the terms from the invoices (InvoiceIssued's due items and discount).
 */
import type { BusinessDate } from '@arc/clock';
import type { Decider } from '@arc/decider';
import { isPositive, parseMoney, type Money, type MoneyJson } from '@arc/money';
import type { InterestCharging } from './invoice-terms.events';
import type { ContractTermsForInvoice } from './invoice.commands';
import { InvalidPaymentTermsError } from './invoice.errors';
import type { LateInterestRule } from './late-interest';
import { checkPaymentTerms, type DiscountTerms, type PaymentTermsRule } from './payment-terms';
import { ContractOfOtherCustomerError } from './receivable.errors';

export const contractStreamId = (contractId: string): string => `contract-${contractId}`;

export const DISPUTE_RESOLUTION_METHODS = ['negotiation', 'mediation', 'arbitration', 'litigation'] as const;
export type DisputeResolutionMethod = (typeof DISPUTE_RESOLUTION_METHODS)[number];

export interface ContractTerms {
  contractId: string;
  customerId: string;
  /** The contract's own reference (number on the signed document). */
  reference: string;
  signedOn: string;
  paymentTerms: PaymentTermsRule;
  earlyPaymentDiscount: DiscountTerms | null;
  lateInterest: LateInterestRule | null;
  fixedCompensation: MoneyJson | null;
  interestCharging: InterestCharging;
  disputeResolution: { method: DisputeResolutionMethod; venue: string; governingLaw: string | null };
  /** Contract text, correspondence: document ids or URLs. */
  evidenceRefs: string[];
}

export type ContractEvent = { type: 'ContractAgreed'; data: ContractTerms } | { type: 'ContractAmended'; data: ContractTerms };
export type ContractCommand = { type: 'AgreeContract'; data: ContractTerms };
export type Contract = { status: 'none' } | { status: 'agreed'; terms: ContractTerms; amendments: number };

export const CONTRACT_EVENT_ROUTES = { ContractAgreed: null, ContractAmended: null } as const;

function check(terms: ContractTerms): void {
  checkPaymentTerms(terms.paymentTerms, terms.earlyPaymentDiscount);
  const rule = terms.lateInterest;
  if (rule !== null) {
    const rate = rule.kind === 'fixed' ? rule.annualRateBasisPoints : rule.marginBasisPoints;
    if (!Number.isSafeInteger(rate) || rate < 0 || rate > 100_000) {
      throw new InvalidPaymentTermsError(`the late-interest rate must be 0 to 100000 basis points, not ${rate}`);
    }
  }
  if (terms.fixedCompensation !== null) {
    const compensation: Money = parseMoney(terms.fixedCompensation, 'fixedCompensation');
    if (!isPositive(compensation)) throw new InvalidPaymentTermsError('the fixed compensation must be positive');
  }
}

const same = (a: ContractTerms, b: ContractTerms): boolean => JSON.stringify(a) === JSON.stringify(b);

export const contractDecider: Decider<ContractCommand, ContractEvent, Contract> = {
  initialState: { status: 'none' },
  decide(command, state) {
    const terms = command.data;
    check(terms);
    if (state.status === 'none') return [{ type: 'ContractAgreed', data: terms }];
    if (state.terms.customerId !== terms.customerId) throw new ContractOfOtherCustomerError(terms.contractId, terms.customerId);
    if (same(state.terms, terms)) return [];
    return [{ type: 'ContractAmended', data: terms }];
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ContractAgreed':
        return { status: 'agreed', terms: event.data, amendments: 0 };
      case 'ContractAmended':
        return { status: 'agreed', terms: event.data, amendments: state.status === 'agreed' ? state.amendments + 1 : 0 };
      default: {
        const unknown: never = event;
        throw new Error(`unknown event ${(unknown as { type: string }).type}`);
      }
    }
  },
  schemaVersions: { ContractAgreed: 1, ContractAmended: 1 },
};

/** What an invoice naming the contract takes from it. */
export function termsForInvoice(terms: ContractTerms): ContractTermsForInvoice {
  return {
    contractId: terms.contractId,
    customerId: terms.customerId,
    paymentTerms: terms.paymentTerms,
    earlyPaymentDiscount: terms.earlyPaymentDiscount,
    lateInterest: terms.lateInterest,
    fixedCompensation: terms.fixedCompensation === null ? null : parseMoney(terms.fixedCompensation, 'fixedCompensation'),
    interestCharging: terms.interestCharging,
  };
}

// ------------------------------------------------------------------------------------------ reference rates

/** The reference rates (stream `reference-rates`), e.g. the ECB's main refinancing rate, each from its date. */
export const REFERENCE_RATES_STREAM_ID = 'reference-rates';

export type ReferenceRateEvent = { type: 'ReferenceRateSet'; data: { effectiveFrom: string; basisPoints: number; name: string } };
export type ReferenceRateCommand = { type: 'SetReferenceRate'; data: { effectiveFrom: BusinessDate; basisPoints: number; name: string } };
export interface ReferenceRates {
  /** Sorted by effectiveFrom; a later set for the same date replaces the earlier one. */
  rates: ReadonlyArray<{ effectiveFrom: string; basisPoints: number; name: string }>;
}

export const REFERENCE_RATE_EVENT_ROUTES = { ReferenceRateSet: null } as const;

export const referenceRatesDecider: Decider<ReferenceRateCommand, ReferenceRateEvent, ReferenceRates> = {
  initialState: { rates: [] },
  decide(command, state) {
    const { effectiveFrom, basisPoints, name } = command.data;
    if (!Number.isSafeInteger(basisPoints) || basisPoints < -10_000 || basisPoints > 100_000) {
      throw new InvalidPaymentTermsError(`a reference rate must be -10000 to 100000 basis points, not ${basisPoints}`);
    }
    const current = state.rates.find((r) => r.effectiveFrom === effectiveFrom);
    if (current !== undefined && current.basisPoints === basisPoints && current.name === name) return [];
    return [{ type: 'ReferenceRateSet', data: { effectiveFrom, basisPoints, name } }];
  },
  evolve(state, event) {
    const rates = [...state.rates.filter((r) => r.effectiveFrom !== event.data.effectiveFrom), event.data];
    rates.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
    return { rates };
  },
  schemaVersions: { ReferenceRateSet: 1 },
};

/** The reference rate in force on `day`: the latest set with effectiveFrom ≤ day; null before the first. */
export function referenceRateOn(state: ReferenceRates, day: string): number | null {
  let rate: number | null = null;
  for (const r of state.rates) if (r.effectiveFrom <= day) rate = r.basisPoints;
  return rate;
}
