/*
 * Aging bucket sets as data, so risk managers and BI can add sets without code. A bucket's upper bound is a
 * number of days or of calendar months after the due date (months through @arc/clock's addMonths, so
 * "1 month overdue" means the same calendar day a month later, not 30 days); the last bucket is open-ended.
 */
import { addDays, addMonths, daysBetween, type BusinessDate } from '@arc/clock';

export type BucketLimit = { readonly days: number } | { readonly months: number };

export interface AgingBucketDefinition {
  readonly label: string;
  /** Inclusive upper bound after the due date; null for the open-ended last bucket. */
  readonly upTo: BucketLimit | null;
}

/**
 * What an overdue item's age is counted from: its due date (days past due, the default) or its invoice date.
 * Either way an item not yet due is NOT_YET_DUE, so every set partitions the same open total.
 */
export type AgingBasis = 'due-date' | 'invoice-date';

export interface AgingBucketSet {
  readonly id: string;
  readonly buckets: readonly AgingBucketDefinition[];
  /** Default 'due-date'. */
  readonly basis?: AgingBasis;
}

export const NOT_YET_DUE = 'not-yet-due';

/** 1–30 / 31–60 / 61–90 / 90+ days past due. */
export const DEFAULT_BUCKET_SET: AgingBucketSet = Object.freeze({
  id: 'days-30-60-90',
  buckets: Object.freeze([
    { label: '1-30', upTo: { days: 30 } },
    { label: '31-60', upTo: { days: 60 } },
    { label: '61-90', upTo: { days: 90 } },
    { label: '90+', upTo: null },
  ]),
});

/** 0–1 m / 1–3 m / 3–6 m / 6 m+ past due, in calendar months. */
export const MONTH_BUCKET_SET: AgingBucketSet = Object.freeze({
  id: 'months-1-3-6',
  buckets: Object.freeze([
    { label: '0-1m', upTo: { months: 1 } },
    { label: '1-3m', upTo: { months: 3 } },
    { label: '3-6m', upTo: { months: 6 } },
    { label: '6m+', upTo: null },
  ]),
});

export class InvalidBucketSetError extends Error {
  constructor(id: string, problem: string) {
    super(`aging bucket set ${JSON.stringify(id)}: ${problem}`);
    this.name = 'InvalidBucketSetError';
  }
}

const limitDate = (dueDate: BusinessDate, limit: BucketLimit): BusinessDate =>
  'days' in limit ? addDays(dueDate, limit.days) : addMonths(dueDate, limit.months);

/**
 * Refuses a set that could leave an overdue item without a bucket or put it in two: labels unique and not
 * NOT_YET_DUE, bounds positive whole numbers of one unit, strictly increasing, and only the last open-ended.
 */
export function validateBucketSet(set: AgingBucketSet): AgingBucketSet {
  const fail = (problem: string): never => {
    throw new InvalidBucketSetError(set.id, problem);
  };
  if (set.id.trim() === '') fail('the id must not be empty');
  if (set.buckets.length === 0) fail('needs at least one bucket');
  if (set.basis !== undefined && set.basis !== 'due-date' && set.basis !== 'invoice-date') fail('basis must be due-date or invoice-date');
  const labels = new Set<string>();
  let previous = 0;
  let unit: 'days' | 'months' | null = null;
  set.buckets.forEach((bucket, index) => {
    if (bucket.label.trim() === '' || bucket.label === NOT_YET_DUE) fail(`bucket ${index} has an unusable label`);
    if (labels.has(bucket.label)) fail(`label ${bucket.label} repeats`);
    labels.add(bucket.label);
    const last = index === set.buckets.length - 1;
    if (bucket.upTo === null) {
      if (!last) fail(`only the last bucket may be open-ended (${bucket.label} is not last)`);
      return;
    }
    if (last) fail('the last bucket must be open-ended (upTo: null)');
    const thisUnit = 'days' in bucket.upTo ? 'days' : 'months';
    const value = 'days' in bucket.upTo ? bucket.upTo.days : bucket.upTo.months;
    if (unit !== null && unit !== thisUnit) fail('mixes days and months');
    unit = thisUnit;
    if (!Number.isSafeInteger(value) || value <= previous) fail(`bounds must be whole and increasing (${bucket.label})`);
    previous = value;
  });
  return set;
}

/** days past due = as-of date − due date (domain brief); negative while the item is not yet due. */
export function daysPastDue(dueDate: BusinessDate, asOf: BusinessDate): number {
  return daysBetween(dueDate, asOf);
}

/** overdue when the due date is before the as-of date: an item due today is not overdue yet. */
export function isOverdue(dueDate: BusinessDate, asOf: BusinessDate): boolean {
  return dueDate < asOf;
}

/** The label of the bucket an item due on dueDate falls in as of asOf, or NOT_YET_DUE (a due-date set). */
export function bucketOf(dueDate: BusinessDate, asOf: BusinessDate, set: AgingBucketSet = DEFAULT_BUCKET_SET): string {
  return bucketOfInvoice({ issueDate: dueDate, dueDate }, asOf, set);
}

/**
 * The bucket of an invoice as of asOf: NOT_YET_DUE while its due date is not before asOf; otherwise the first
 * bucket whose bound, counted from the set's basis (due date or invoice date), is not before asOf.
 */
export function bucketOfInvoice(
  invoice: { readonly issueDate: BusinessDate; readonly dueDate: BusinessDate },
  asOf: BusinessDate,
  set: AgingBucketSet = DEFAULT_BUCKET_SET,
): string {
  if (!isOverdue(invoice.dueDate, asOf)) return NOT_YET_DUE;
  const from = set.basis === 'invoice-date' ? invoice.issueDate : invoice.dueDate;
  for (const bucket of set.buckets) {
    if (bucket.upTo === null || asOf <= limitDate(from, bucket.upTo)) return bucket.label;
  }
  throw new InvalidBucketSetError(set.id, 'has no open-ended last bucket');
}
