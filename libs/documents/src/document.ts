import type { Money } from '@arc/money';

/** A postal address block: a name and its lines, printed as given. */
export interface Address {
  readonly name: string;
  readonly lines: readonly string[];
}

/** How a column is laid out: text left-aligned, money right-aligned and formatted exactly. */
export type ColumnKind = 'text' | 'money';

export interface Column {
  readonly header: string;
  readonly kind: ColumnKind;
  /** Relative width (default 1); the table spans the page's text width. */
  readonly weight?: number;
}

/** A cell: text for text columns, money (or null for an empty cell) for money columns. */
export type Cell = string | Money | null;

export interface ItemsTable {
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Cell[])[];
}

export interface TotalLine {
  readonly label: string;
  readonly amount: Money;
}

/**
 * A letter or statement as data. Every value is supplied by the caller, including the date: rendering
 * reads no clock, so the same spec always renders the same document (and the same text).
 */
export interface DocumentSpec {
  /** The heading, e.g. "Payment reminder" or "Statement of account". */
  readonly title: string;
  /** The document date as printed (a business date, e.g. "2026-04-15"). */
  readonly date: string;
  /** A reference printed under the date, e.g. the case or statement number. */
  readonly reference?: string;
  readonly from?: Address;
  readonly to?: Address;
  /** Paragraphs before the table (a salutation, the request). */
  readonly paragraphs?: readonly string[];
  readonly table?: ItemsTable;
  /** Lines under the table, right-aligned under its last money column. */
  readonly totals?: readonly TotalLine[];
  /** Paragraphs after the table (how to pay, the signature). */
  readonly closing?: readonly string[];
  /** A line at the bottom of every page. */
  readonly footer?: string;
}
