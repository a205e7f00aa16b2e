/*
 * What every bank-statement parser yields, whatever the format: one entry (a booking on our account) at a time, or
 * a problem found at an entry or line. Pure types and the entry identity.
 */
import type { BusinessDate } from '@arc/clock';
import type { BankStatementFormat } from '@arc/contracts';
import { parseMajor, type Money } from '@arc/money';

export interface StatementEntry {
  /** 1-based position of the entry in the file (credits and debits alike). */
  index: number;
  /** Line of the file the entry starts on (camt: the <Ntry> tag; MT940: the :61: line; CSV: the record's line). */
  line: number | null;
  /** Our account the statement is for (IBAN), when the file names it. */
  accountIban: string | null;
  bookingDate: BusinessDate;
  amount: Money;
  direction: 'credit' | 'debit';
  /** The bank's own reference of the entry (camt AcctSvcrRef, MT940 reference after "//", a CSV column). */
  bankReference: string | null;
  payerIban: string | null;
  payerName: string | null;
  /** Structured references and free remittance text, in the file's order. */
  remittance: string[];
}

export interface StatementProblem {
  /** The entry (1-based) the problem is in; null for the file as a whole. */
  entry: number | null;
  line: number | null;
  reason: string;
}

/** A parser's output, one item at a time; `fatal` problems end the file (nothing after them can be read). */
export type StatementItem = { kind: 'entry'; entry: StatementEntry } | { kind: 'problem'; problem: StatementProblem; fatal: boolean };

export type StatementParser = (source: AsyncIterable<string>) => AsyncGenerator<StatementItem, void, undefined>;

export interface CsvMapping {
  bookingDate: string;
  amount: string;
  currency?: string;
  /** A column saying credit or debit (C/D, CRDT/DBIT, credit/debit); without it a negative amount is a debit. */
  creditDebit?: string;
  bankReference?: string;
  payerIban?: string;
  payerName?: string;
  /** One or more columns of remittance text. */
  remittance?: string[];
  accountIban?: string;
}

export interface CsvOptions {
  mapping: CsvMapping;
  delimiter?: string;
  decimalSeparator?: '.' | ',';
  dateFormat?: 'YYYY-MM-DD' | 'DD.MM.YYYY' | 'MM/DD/YYYY';
  /** When the file has no currency column. */
  currency?: string;
  /** When the file has no account column. */
  accountIban?: string;
}

export interface ImportRequest {
  format: BankStatementFormat;
  csv?: CsvOptions;
}

/** An IBAN as ARC keeps it: upper case, no spaces; null for anything else. */
export function normalIban(text: string | null | undefined): string | null {
  if (text == null) return null;
  const iban = text.replace(/\s+/g, '').toUpperCase();
  return /^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(iban) ? iban : null;
}

/** A decimal amount as banks write it ("1234.56", "1.234,56" with decimalSeparator ","), in minor units; null when it is not one. */
export function parseAmount(text: string, currency: string, decimalSeparator: '.' | ',' = '.'): Money | null {
  let t = text.trim().replace(/\s+/g, '');
  t = decimalSeparator === ',' ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  if (!/^[+-]?\d+(\.\d+)?$/.test(t)) return null;
  try {
    return parseMajor(t.replace(/^\+/, ''), currency);
  } catch {
    return null;
  }
}

/**
 * The identity of a credit entry, the same whichever format the bank sent it in, so an MT940 and a CSV (or camt)
 * of the same day's entries, or two overlapping files, record each receipt once:
 *
 *   STMT:<our account IBAN or '-'>:<booking date>:<currency><amount in minor units>:<bank reference>
 *
 * with the bank's own entry reference when the file carries one, else `#<n>`, the entry's occurrence among the
 * file's entries of the same account, date and amount without a reference (so two equal payments on one day stay
 * two). It becomes the receipt's bank reference. It relies on what every format carries (account, booking date,
 * amount) plus the bank's reference; two formats of one bank that disagree on the reference (one gives it, the
 * other not) are not recognised as the same entry.
 */
export function entryIdentity(entry: StatementEntry, occurrence: number): string {
  const ref = entry.bankReference !== null && entry.bankReference.trim() !== '' ? entry.bankReference.trim() : `#${occurrence}`;
  return `STMT:${entry.accountIban ?? '-'}:${entry.bookingDate}:${entry.amount.currency}${entry.amount.amountMinor}:${ref}`;
}

export const STATEMENT_FORMAT_NAMES: Record<BankStatementFormat, string> = {
  csv: 'CSV',
  'camt.053': 'ISO 20022 camt.053',
  'camt.054': 'ISO 20022 camt.054',
  mt940: 'SWIFT MT940',
};
