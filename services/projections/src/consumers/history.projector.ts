import type { BusinessDate } from '@arc/clock';
import type { Queryable } from '@arc/event-store';
import { kpisChangedData, type LedgerMovement, type ProjectionChange } from '../domain';
import { closedDaysFrom, lastClosedDay, moveSegments, recordClosedDays, saveMovements, snapshotDay } from '../views/history.store';
import { computeKpis, saveKpis } from '../views/kpi.store';
import { computePaymentBehaviour, savePaymentBehaviour } from '../views/behaviour.store';
import { MOVEMENTS_TABLE } from '../views/history-schema';

export interface BatchHistory {
  /** The dated movements of the batch's ledger events. */
  readonly movements: readonly LedgerMovement[];
  /** Per customer, the earliest business date a ledger event of the batch took effect on (issue date, allocation date …). */
  readonly earliestDateByCustomer: ReadonlyMap<string, BusinessDate>;
  /** The days the batch's BusinessDayClosed events close. */
  readonly closedDays: readonly BusinessDate[];
  /** The customers the batch's ledger events are about (their payment behaviour is recomputed). */
  readonly ledgerCustomers: ReadonlySet<string>;
  /** Customers whose business unit or class changed in the batch, with the new ones. */
  readonly segmentMoves: ReadonlyMap<string, { businessUnit: string | null; creditClass: string | null }>;
}

/**
 * The history side of a batch, in its transaction, after the ledger rows are written: stores the dated movements;
 * restates the snapshots (and KPIs) of days already closed that a late event dated on or before them changes
 * (topics are not ordered against each other, so an allocation dated the 10th may arrive after the 10th closed);
 * snapshots every customer at each newly closed day and computes that day's KPIs; at the latest newly closed day,
 * every customer's payment behaviour. Answers the PortfolioKpisChanged and CustomerPaymentBehaviourChanged
 * candidates of that day (none when no day closed).
 */
export async function projectHistory(tx: Queryable, batch: BatchHistory): Promise<ProjectionChange[]> {
  await saveMovements(tx, batch.movements);
  const earliest = new Map(batch.earliestDateByCustomer);
  // A reduction or withdrawn discount is dated by another event (its allocation, the reversal), which only the table may know.
  const reductions = batch.movements.filter((m) => m.effectiveOn === null).map((m) => m.movementId);
  if (reductions.length > 0) {
    const { rows } = await tx.query<{ customer_id: string; day: string }>(
      `SELECT customer_id, min(effective_on)::text AS day FROM ${MOVEMENTS_TABLE}
        WHERE movement_id = ANY($1::text[]) AND effective_on IS NOT NULL GROUP BY customer_id`,
      [reductions],
    );
    for (const r of rows) {
      const day = r.day as BusinessDate;
      const known = earliest.get(r.customer_id);
      if (known === undefined || day < known) earliest.set(r.customer_id, day);
    }
  }

  const kpiDays = new Set<BusinessDate>();
  for (const day of await moveSegments(tx, batch.segmentMoves)) kpiDays.add(day);
  if (earliest.size > 0) {
    const from = [...earliest.values()].sort()[0] as BusinessDate;
    const restate = await closedDaysFrom(tx, from);
    for (const day of restate) {
      const customers = [...earliest].filter(([, date]) => date <= day).map(([customer]) => customer);
      if (customers.length === 0) continue;
      await snapshotDay(tx, day, customers.sort());
      kpiDays.add(day);
    }
  }
  const newDays = await recordClosedDays(tx, batch.closedDays);
  for (const day of newDays) {
    await snapshotDay(tx, day, null);
    kpiDays.add(day);
  }
  const latest = newDays[newDays.length - 1];
  let changes: ProjectionChange[] = [];
  for (const day of [...kpiDays].sort()) {
    const kpis = await computeKpis(tx, day);
    await saveKpis(tx, day, kpis);
    if (day === latest) changes = kpis.map((k) => ({ type: 'PortfolioKpisChanged', data: kpisChangedData(k) }));
  }
  // Payment behaviour as of the last closed day: every customer at a close (open items get later with the date),
  // the customers of the batch's ledger events otherwise (so the figures never depend on the order the topics
  // are read in: a payment read after the close still counts).
  const lastClosed = latest ?? (await lastClosedDay(tx));
  if (lastClosed !== null && (latest !== undefined || batch.ledgerCustomers.size > 0)) {
    const behaviour = await computePaymentBehaviour(tx, lastClosed, latest !== undefined ? null : [...batch.ledgerCustomers].sort());
    await savePaymentBehaviour(tx, behaviour);
    changes.push(...behaviour.map((data): ProjectionChange => ({ type: 'CustomerPaymentBehaviourChanged', data })));
  }
  return changes;
}
