/*
 * Events the invoice stream records about its late-interest terms and accrual, private to invoicing (never
 * published: routed to no topic). The terms are copied from the contract when the invoice is issued (a later
 * amendment of the contract does not change an invoice already issued); each day close records the day's
 * interest exactly (see ./late-interest.ts), and a charge turns the accrual into a DebitNoteIssued.
 */
import type { MoneyJson } from '@arc/money';
import type { LateInterestRule } from './late-interest';

export type InterestCharging = 'month-end' | 'on-settlement';

export interface InvoiceTermsRecordedData {
  invoiceId: string;
  contractId: string;
  lateInterest: LateInterestRule | null;
  /** The fixed compensation per late invoice (e.g. EUR 40 under the EU directive), charged once when it first falls late. */
  fixedCompensation: MoneyJson | null;
  interestCharging: InterestCharging;
}

export interface LateInterestAccruedData {
  invoiceId: string;
  /** The day of lateness (a closed business day). */
  day: string;
  /** The overdue open principal interest was counted on, less the part in open dispute. */
  principal: MoneyJson;
  annualRateBasisPoints: number;
  /** The day's interest in units of 1 / INTEREST_DENOMINATOR of a minor unit (a bigint as text). */
  numerator: string;
}

export type InvoiceTermsEvent =
  { type: 'InvoiceTermsRecorded'; data: InvoiceTermsRecordedData } | { type: 'LateInterestAccrued'; data: LateInterestAccruedData };

export const INVOICE_TERMS_EVENT_VERSIONS = { InvoiceTermsRecorded: 1, LateInterestAccrued: 1 } as const;

/** Routes for the relay: stored, never published. */
export const INVOICE_TERMS_EVENT_ROUTES = { InvoiceTermsRecorded: null, LateInterestAccrued: null } as const;
