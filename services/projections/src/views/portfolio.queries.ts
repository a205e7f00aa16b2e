import type { Queryable } from '@arc/event-store';
import { EXPOSURE_TABLE, REPORTING_SCHEMA } from './tables';

/*
 * Portfolio reads across all customers: one resource per read model (ledger, exposures, aging, cases), each a
 * `reporting` view joined with the customer's segment, with whitelisted filters and sort keys (nothing from the
 * request reaches the SQL but bound values). Amounts are minor units as strings.
 */

export const PORTFOLIO_FILTERS = ['businessUnit', 'creditClass', 'currency', 'bucket', 'status', 'customerId'] as const;
export type PortfolioFilter = (typeof PORTFOLIO_FILTERS)[number];

export interface PortfolioResource {
  readonly name: string;
  /** FROM … with the alias `e` for the customer's exposure row (its business unit and class). */
  readonly from: string;
  /** API column → SQL expression, in output order. */
  readonly columns: Readonly<Record<string, string>>;
  /** The filters the resource takes: param → SQL predicate on the bound value `$n`. */
  readonly filters: Partial<Record<PortfolioFilter, (param: string) => string>>;
  /** The sort keys (API column names) and the default sort. */
  readonly sorts: readonly string[];
  readonly defaultSort: string;
  /** A unique column, the last sort key, so paging is stable. */
  readonly key: string;
}

const segment = (alias: string) => ({
  businessUnit: (p: string) => `e.business_unit = ${p}`,
  creditClass: (p: string) => `e.credit_class = ${p}`,
  currency: (p: string) => `${alias}.currency = ${p}`,
  customerId: (p: string) => `${alias}.customer_id = ${p}`,
});

const LEDGER: PortfolioResource = {
  name: 'ledger',
  from: `${REPORTING_SCHEMA}.ar_ledger l LEFT JOIN ${EXPOSURE_TABLE} e ON e.customer_id = l.customer_id`,
  columns: {
    invoiceId: 'l.invoice_id',
    invoiceNumber: 'l.invoice_number',
    customerId: 'l.customer_id',
    businessUnit: 'e.business_unit',
    creditClass: 'e.credit_class',
    currency: 'l.currency',
    issueDate: 'l.issue_date::text',
    dueDate: 'l.due_date::text',
    amountMinor: 'l.amount_minor::text',
    paidMinor: 'l.paid_minor::text',
    creditedMinor: 'l.credited_minor::text',
    disputedMinor: 'l.disputed_minor::text',
    writtenOffMinor: 'l.written_off_minor::text',
    debitNotedMinor: 'l.debit_noted_minor::text',
    openBalanceMinor: 'l.open_balance_minor::text',
    daysPastDue: 'l.days_past_due',
    bucket: 'l.bucket',
    status: 'l.status',
  },
  filters: { ...segment('l'), bucket: (p) => `l.bucket = ${p}`, status: (p) => `l.status = ${p}` },
  sorts: ['dueDate', 'issueDate', 'openBalanceMinor', 'daysPastDue', 'customerId', 'invoiceNumber'],
  defaultSort: 'dueDate',
  key: 'invoiceId',
};

const EXPOSURES: PortfolioResource = {
  name: 'exposures',
  from: `${REPORTING_SCHEMA}.customer_exposure x LEFT JOIN ${EXPOSURE_TABLE} e ON e.customer_id = x.customer_id`,
  columns: {
    customerId: 'x.customer_id',
    businessUnit: 'x.business_unit',
    creditClass: 'x.credit_class',
    currency: 'x.currency',
    creditLimitMinor: 'x.credit_limit_minor::text',
    openArMinor: 'x.open_ar_minor::text',
    overdueMinor: 'x.overdue_minor::text',
    disputedMinor: 'x.disputed_minor::text',
    reservedMinor: 'x.reserved_minor::text',
    unappliedCashMinor: 'x.unapplied_cash_minor::text',
    exposureMinor: 'x.exposure_minor::text',
    availableCreditMinor: 'x.available_credit_minor::text',
    utilisationBasisPoints: 'x.utilisation_bp::text',
    onHold: 'x.on_hold',
  },
  filters: {
    ...segment('x'),
    // on-hold or active
    status: (p) => `x.on_hold = (${p} = 'on-hold')`,
    bucket: (p) => `EXISTS (SELECT 1 FROM ${REPORTING_SCHEMA}.ar_ledger b WHERE b.customer_id = x.customer_id AND b.bucket = ${p})`,
  },
  sorts: ['exposureMinor', 'utilisationBasisPoints', 'overdueMinor', 'openArMinor', 'customerId'],
  defaultSort: '-exposureMinor',
  key: 'customerId',
};

const AGING: PortfolioResource = {
  name: 'aging',
  from: `${REPORTING_SCHEMA}.customer_aging a LEFT JOIN ${EXPOSURE_TABLE} e ON e.customer_id = a.customer_id`,
  columns: {
    customerId: 'a.customer_id',
    businessUnit: 'e.business_unit',
    creditClass: 'e.credit_class',
    currency: 'a.currency',
    asOf: 'a.as_of::text',
    notYetDueMinor: 'a.not_yet_due_minor::text',
    bucket1To30Minor: 'a.bucket_1_30_minor::text',
    bucket31To60Minor: 'a.bucket_31_60_minor::text',
    bucket61To90Minor: 'a.bucket_61_90_minor::text',
    bucket90PlusMinor: 'a.bucket_90_plus_minor::text',
    overdueMinor: 'a.overdue_minor::text',
    totalOpenMinor: 'a.total_open_minor::text',
    oldestDaysPastDue: 'a.oldest_days_past_due',
  },
  filters: {
    ...segment('a'),
    bucket: (p) =>
      `(CASE ${p} WHEN 'not-yet-due' THEN a.not_yet_due_minor WHEN '1-30' THEN a.bucket_1_30_minor WHEN '31-60' THEN a.bucket_31_60_minor
          WHEN '61-90' THEN a.bucket_61_90_minor WHEN '90+' THEN a.bucket_90_plus_minor END) > 0`,
  },
  sorts: ['overdueMinor', 'totalOpenMinor', 'oldestDaysPastDue', 'bucket90PlusMinor', 'customerId'],
  defaultSort: '-overdueMinor',
  key: 'customerId',
};

const CASES: PortfolioResource = {
  name: 'cases',
  from: `${REPORTING_SCHEMA}.collection_cases c LEFT JOIN ${EXPOSURE_TABLE} e ON e.customer_id = c.customer_id`,
  columns: {
    caseId: 'c.case_id',
    customerId: 'c.customer_id',
    businessUnit: 'e.business_unit',
    creditClass: 'e.credit_class',
    currency: 'c.currency',
    openedOn: 'c.opened_on::text',
    overdueAtOpeningMinor: 'c.overdue_at_opening_minor::text',
    oldestDaysPastDueAtOpening: 'c.oldest_days_past_due_at_opening',
    status: 'c.status',
    closedOn: 'c.closed_on::text',
    closure: 'c.closure',
  },
  filters: { ...segment('c'), status: (p) => `c.status = ${p}` },
  sorts: ['openedOn', 'overdueAtOpeningMinor', 'customerId'],
  defaultSort: '-openedOn',
  key: 'caseId',
};

export const PORTFOLIO_RESOURCES = { ledger: LEDGER, exposures: EXPOSURES, aging: AGING, cases: CASES } as const;
export type PortfolioResourceName = keyof typeof PORTFOLIO_RESOURCES;

export interface PortfolioPageRequest {
  readonly filters: Partial<Record<PortfolioFilter, string>>;
  /** An API column, `-` first for descending. */
  readonly sort: string;
  readonly page: number;
  readonly pageSize: number;
}

export interface PortfolioPage {
  readonly total: number;
  readonly rows: Record<string, unknown>[];
}

/** One page of a resource. The caller has checked the filters and sort against the resource (PortfolioRequestError otherwise). */
export async function portfolioPage(db: Queryable, resource: PortfolioResource, request: PortfolioPageRequest): Promise<PortfolioPage> {
  const values: unknown[] = [];
  const where: string[] = [];
  for (const [name, value] of Object.entries(request.filters)) {
    const predicate = resource.filters[name as PortfolioFilter];
    if (value === undefined || predicate === undefined) continue;
    values.push(value);
    where.push(predicate(`$${values.length}`));
  }
  const descending = request.sort.startsWith('-');
  const sortColumn = resource.columns[descending ? request.sort.slice(1) : request.sort];
  const keyColumn = resource.columns[resource.key];
  if (sortColumn === undefined || keyColumn === undefined) throw new Error(`cannot sort ${resource.name} by ${request.sort}`);
  const direction = descending ? 'DESC NULLS LAST' : 'ASC NULLS LAST';
  // Sort by the value, not by its text (amounts travel as text: "60000" must come before "200000").
  const sortBy = sortColumn.replace(/::text$/, '');
  const select = Object.entries(resource.columns)
    .map(([name, sql]) => `${sql} AS "${name}"`)
    .join(', ');
  const whereSql = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
  values.push(request.pageSize, (request.page - 1) * request.pageSize);
  const { rows } = await db.query<Record<string, unknown> & { __total: string }>(
    `SELECT ${select}, count(*) OVER () AS __total FROM ${resource.from} ${whereSql}
      ORDER BY ${sortBy} ${direction}, ${keyColumn} ASC LIMIT $${values.length - 1} OFFSET $${values.length}`,
    values,
  );
  let total = Number(rows[0]?.__total ?? 0);
  if (rows.length === 0 && request.page > 1) {
    const counted = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${resource.from} ${whereSql}`, values.slice(0, -2));
    total = Number(counted.rows[0]?.n ?? 0);
  }
  return {
    total,
    rows: rows.map((row) => {
      const { __total, ...rest } = row;
      void __total;
      return rest;
    }),
  };
}

/** RFC 4180 CSV: a header line of the column names, then one line per row; fields quoted when they need it. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const field = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    const raw = String(value);
    // A text a spreadsheet would run as a formula is written as text (numbers such as "-150" stay numbers).
    const text = /^[=+\-@\t\r]/.test(raw) && !/^-?\d+(\.\d+)?$/.test(raw) ? `'${raw}` : raw;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(','), ...rows.map((row) => columns.map((c) => field(row[c])).join(','))].join('\r\n') + '\r\n';
}
