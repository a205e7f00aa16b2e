/*
 * The read-model changes projections publishes on arc.projections.changes after each committed batch. Each
 * event carries the full new figures of one subject (customer, customer × currency × bucket set, KPI
 * segment); it is published only when a figure differs from the last one published for that subject.
 * asOf alone is not a change: a day close that moves nothing publishes nothing.
 */
import type {
  CustomerAgingChangedData,
  CustomerExposureChangedData,
  CustomerPaymentBehaviourChangedData,
  PortfolioKpisChangedData,
} from '@arc/contracts';
import { toJson } from '@arc/money';
import type { CustomerAging } from './aging';
import type { CustomerExposure } from './exposure.projection';
import type { PortfolioKpis } from './kpis';

export function exposureChangedData(e: CustomerExposure): CustomerExposureChangedData {
  return {
    customerId: e.customerId,
    asOf: e.asOf,
    currency: e.currency,
    creditLimit: e.creditLimit === null ? null : toJson(e.creditLimit),
    openAr: toJson(e.openAr),
    overdue: toJson(e.overdue),
    disputed: toJson(e.disputed),
    reserved: toJson(e.reserved),
    unappliedCash: toJson(e.unappliedCash),
    exposure: toJson(e.exposure),
    availableCredit: e.availableCredit === null ? null : toJson(e.availableCredit),
    utilisationBasisPoints: e.utilisationBasisPoints,
    creditClass: e.creditClass,
    onHold: e.onHold,
  };
}

export function agingChangedData(a: CustomerAging): CustomerAgingChangedData {
  return {
    customerId: a.customerId,
    asOf: a.asOf,
    currency: a.currency,
    bucketSetId: a.bucketSetId,
    notYetDue: toJson(a.notYetDue),
    buckets: a.buckets.map((b) => ({ label: b.label, amount: toJson(b.amount) })),
    overdue: toJson(a.overdue),
    totalOpen: toJson(a.totalOpen),
    oldestDaysPastDue: a.oldestDaysPastDue,
  };
}

export function kpisChangedData(k: PortfolioKpis): PortfolioKpisChangedData {
  return {
    asOf: k.asOf,
    segment: { kind: k.segment.kind, key: k.segment.key },
    currency: k.currency,
    periodDays: k.periodDays,
    totalAr: toJson(k.totalAr),
    overdue: toJson(k.overdue),
    currentAr: toJson(k.currentAr),
    openingAr: toJson(k.openingAr),
    creditSales: toJson(k.creditSales),
    collected: toJson(k.collected),
    writtenOff: toJson(k.writtenOff),
    disputed: toJson(k.disputed),
    overdueRatioBasisPoints: k.overdueRatioBasisPoints,
    dsoDays: k.dsoDays,
    dsoCountbackDays: k.dsoCountbackDays,
    bestPossibleDsoDays: k.bestPossibleDsoDays,
    averageDaysDelinquent: k.averageDaysDelinquent,
    arTurnoverBasisPoints: k.arTurnoverBasisPoints,
    ceiBasisPoints: k.ceiBasisPoints,
    badDebtRatioBasisPoints: k.badDebtRatioBasisPoints,
    collectionRateBasisPoints: k.collectionRateBasisPoints,
    disputeRateBasisPoints: k.disputeRateBasisPoints,
  };
}

/** The subject a change event describes: the consumer keeps the last published data under this key. */
export const exposureKey = (d: CustomerExposureChangedData): string => `exposure|${d.customerId}`;
export const agingKey = (d: CustomerAgingChangedData): string => `aging|${d.customerId}|${d.currency}|${d.bucketSetId}`;
export const behaviourKey = (d: CustomerPaymentBehaviourChangedData): string => `behaviour|${d.customerId}`;
export const kpisKey = (d: PortfolioKpisChangedData): string =>
  `kpis|${d.segment.kind}|${d.segment.key ?? ''}|${d.currency}|${d.periodDays}`;

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/**
 * The top-level fields whose value differs from the previous figures, asOf excluded; every field when there
 * is no previous. Empty: nothing to publish.
 */
export function changedFields<T extends { asOf: string }>(previous: T | null | undefined, next: T): (keyof T)[] {
  const fields = (Object.keys(next) as (keyof T)[]).filter((k) => k !== 'asOf');
  if (previous === null || previous === undefined) return fields;
  return fields.filter((k) => !deepEqual(previous[k], next[k]));
}

export function hasChanged<T extends { asOf: string }>(previous: T | null | undefined, next: T): boolean {
  return changedFields(previous, next).length > 0;
}

export type ProjectionChange =
  | { type: 'CustomerExposureChanged'; data: CustomerExposureChangedData }
  | { type: 'CustomerAgingChanged'; data: CustomerAgingChangedData }
  | { type: 'PortfolioKpisChanged'; data: PortfolioKpisChangedData }
  | { type: 'CustomerPaymentBehaviourChanged'; data: CustomerPaymentBehaviourChangedData };

export function changeKey(change: ProjectionChange): string {
  switch (change.type) {
    case 'CustomerExposureChanged':
      return exposureKey(change.data);
    case 'CustomerAgingChanged':
      return agingKey(change.data);
    case 'PortfolioKpisChanged':
      return kpisKey(change.data);
    case 'CustomerPaymentBehaviourChanged':
      return behaviourKey(change.data);
    default: {
      const unknown: never = change;
      throw new Error(`unknown change ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * What to publish after a batch: the candidates whose figures differ from the last published data under
 * their key (a missing key is new, so it is published), and the map of last published data to store with
 * the batch. A subject that appears twice in the candidates keeps its last figures.
 */
export function planChanges(
  lastPublished: ReadonlyMap<string, ProjectionChange['data']>,
  candidates: readonly ProjectionChange[],
): { publish: ProjectionChange[]; lastPublished: Map<string, ProjectionChange['data']> } {
  const latest = new Map<string, ProjectionChange>();
  for (const change of candidates) latest.set(changeKey(change), change);
  const next = new Map(lastPublished);
  const publish: ProjectionChange[] = [];
  for (const [key, change] of latest) {
    if (!hasChanged<{ asOf: string }>(lastPublished.get(key), change.data)) continue;
    publish.push(change);
    next.set(key, change.data);
  }
  return { publish, lastPublished: next };
}
