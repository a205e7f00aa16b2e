import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { parseBusinessDate, type BusinessDate } from '@arc/clock';
import {
  CustomerAgingChanged,
  CustomerExposureChanged,
  CustomerPaymentBehaviourChanged,
  PortfolioKpisChanged,
  type BusinessDayClosed,
  type EventEnvelope,
  type EventOf,
} from '@arc/contracts';
import { CurrencyMismatchError } from '@arc/money';
import type { EventStore, NewEvent, Queryable } from '@arc/event-store';
import {
  EXPOSURE_EVENT_TYPES,
  LEDGER_EVENT_TYPES,
  agingChangedData,
  applyToExposure,
  applyToLedger,
  changeKey,
  customerAging,
  customerExposure,
  exposureChangedData,
  initialExposureState,
  movementOf,
  planChanges,
  type ArLedgerRow,
  type CustomerExposure,
  type CustomerExposureState,
  type ExposureEvent,
  type LedgerEvent,
  type LedgerMovement,
  type ProjectionChange,
} from '../domain';
import {
  loadAllCustomerIds,
  loadBusinessDate,
  loadExposureStates,
  loadLedgerRows,
  loadPublished,
  saveBusinessDate,
  saveExposureFigures,
  saveExposureStates,
  saveLedgerRows,
  saveHistoryPending,
  savePublished,
  type StoredBusinessDate,
} from '../views/read-model.store';
import { recordClosedDays, saveMovements } from '../views/history.store';
import { projectHistory } from './history.projector';

/** The actor of the change events the service publishes. */
export const PROJECTIONS_ACTOR = 'system:projections';

export type ProjectedEvent = LedgerEvent | ExposureEvent | EventOf<typeof BusinessDayClosed>;

/** One consumed event, validated against its contract, waiting for the end of the batch. */
export interface Incoming {
  envelope: EventEnvelope;
  event: ProjectedEvent;
  /** Re-read by a rebuild: its changes were announced the first time. */
  replaying?: boolean;
}

/** The stream of change events of one customer in the service's own store (its outbox). */
export const changeStreamId = (customerId: string): string => `projection-changes-${customerId}`;
/** The key (envelope customerId) and stream of the portfolio-wide changes (PortfolioKpisChanged), like the calendar's. */
export const PORTFOLIO_KEY = '00000000-0000-4000-8000-000000000000';

const SCHEMA_VERSIONS: Record<ProjectionChange['type'], number> = {
  CustomerExposureChanged: CustomerExposureChanged.schemaVersion,
  CustomerAgingChanged: CustomerAgingChanged.schemaVersion,
  PortfolioKpisChanged: PortfolioKpisChanged.schemaVersion,
  CustomerPaymentBehaviourChanged: CustomerPaymentBehaviourChanged.schemaVersion,
};

const isLedgerEvent = (e: ProjectedEvent): e is LedgerEvent => (LEDGER_EVENT_TYPES as readonly string[]).includes(e.type);
const isExposureEvent = (e: ProjectedEvent): e is ExposureEvent => (EXPOSURE_EVENT_TYPES as readonly string[]).includes(e.type);

/*
 * Every batch flush of every partition takes this lock first: the read model is read, folded and written
 * by one transaction at a time, so two partitions (topics are consumed in parallel) never lose each
 * other's update of the same customer. An advisory lock takes no transaction id, so waiting for it holds
 * back no relay.
 */
export const READ_MODEL_LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('arc-projections/read-model', 0))`;

const logger = new Logger('ReadModelProjector');

/**
 * The customer's exposure, or null when it cannot be computed: amounts in a currency other than the
 * exposure currency need FX rates, which are not recorded yet. The customer's rows and state are still
 * kept (so no event is lost); the exposure figures wait for FX instead of blocking the partition.
 */
export function exposureOrNull(state: CustomerExposureState, rows: readonly ArLedgerRow[], asOf: BusinessDate): CustomerExposure | null {
  try {
    return customerExposure(state, rows, asOf);
  } catch (error) {
    if (!(error instanceof CurrencyMismatchError)) throw error;
    logger.warn(`exposure of customer ${state.customerId} not computed: ${error.message}`);
    return null;
  }
}

interface Folded {
  touchedRows: Set<string>;
  touchedStates: Set<string>;
  lastEnvelope: Map<string, EventEnvelope>;
  calendarEnvelope: EventEnvelope | null;
  movements: LedgerMovement[];
  ledgerCustomers: Set<string>;
  segmentMoves: Map<string, { businessUnit: string | null; creditClass: string | null }>;
  earliestDateByCustomer: Map<string, BusinessDate>;
}

/** Folds the batch's events into the loaded rows and states (in place), collecting what the writes and the history need. */
function foldBatch(items: readonly Incoming[], rows: Map<string, ArLedgerRow>, states: Map<string, CustomerExposureState>): Folded {
  const folded: Folded = {
    touchedRows: new Set(),
    touchedStates: new Set(),
    lastEnvelope: new Map(),
    calendarEnvelope: null,
    movements: [],
    ledgerCustomers: new Set(),
    segmentMoves: new Map(),
    earliestDateByCustomer: new Map(),
  };
  const { touchedRows, touchedStates, lastEnvelope, movements, ledgerCustomers, segmentMoves, earliestDateByCustomer } = folded;
  const effectiveOn = (customerId: string, date: BusinessDate | null): void => {
    if (date === null) return;
    const known = earliestDateByCustomer.get(customerId);
    if (known === undefined || date < known) earliestDateByCustomer.set(customerId, date);
  };

  for (const { envelope, event } of items) {
    if (event.type === 'BusinessDayClosed') {
      folded.calendarEnvelope = envelope;
      continue;
    }
    if (isLedgerEvent(event)) {
      rows.set(event.data.invoiceId, applyToLedger(rows.get(event.data.invoiceId), event));
      touchedRows.add(event.data.invoiceId);
      ledgerCustomers.add(event.data.customerId);
      const movement = movementOf(envelope.eventId, event);
      if (movement !== null) movements.push(movement);
      effectiveOn(
        event.data.customerId,
        event.type === 'InvoiceIssued' ? parseBusinessDate(event.data.issueDate) : (movement?.effectiveOn ?? null),
      );
    }
    if (isExposureEvent(event)) {
      const before = states.get(event.data.customerId);
      const after = applyToExposure(before, event);
      states.set(event.data.customerId, after);
      // A customer that changes business unit or class moves segment: its snapshots of every closed day are
      // re-attributed, so whatever order the topics are read in, each customer counts in its current segments.
      if (before?.businessUnit !== after.businessUnit || before?.creditClass !== after.creditClass) {
        segmentMoves.set(event.data.customerId, { businessUnit: after.businessUnit, creditClass: after.creditClass });
      }
      touchedStates.add(event.data.customerId);
      if (event.type === 'PaymentReversed') {
        // The date the reversed payment's reductions and withdrawn discounts take effect on.
        const marker = movementOf(envelope.eventId, event);
        if (marker !== null) movements.push(marker);
        effectiveOn(event.data.customerId, marker?.effectiveOn ?? null);
      }
    }
    lastEnvelope.set(event.data.customerId, envelope);
  }
  return folded;
}

async function saveFolded(
  tx: Queryable,
  rows: Map<string, ArLedgerRow>,
  states: Map<string, CustomerExposureState>,
  { touchedRows, touchedStates }: Pick<Folded, 'touchedRows' | 'touchedStates'>,
): Promise<void> {
  await saveLedgerRows(
    tx,
    [...touchedRows].map((id) => rows.get(id)).filter((r): r is ArLedgerRow => r !== undefined),
  );
  await saveExposureStates(
    tx,
    [...touchedStates].map((id) => states.get(id)).filter((s): s is CustomerExposureState => s !== undefined),
  );
}

/**
 * A batch of a rebuild's replay (or one that arrives before the replay's history is settled): only what the events
 * themselves change is written — the ledger rows of their invoices, the exposure states of their customers, the dated
 * movements, the closed days and the business date — in a few set-based statements. The figures derived from them
 * (exposure figures, daily snapshots, KPIs, payment behaviour) would be recomputed by every batch of the replay (each
 * restating every closed day when the calendar topic was read first), so they are computed once, when the replay is
 * over (settleReplayedHistory), from the same tables and by the same functions; nothing is announced.
 */
async function replayBatch(
  tx: Queryable,
  items: readonly Incoming[],
  context: { stored: StoredBusinessDate; asOf: BusinessDate; dateMoved: boolean; closedDays: BusinessDate[]; invoiceIds: Set<string> },
): Promise<void> {
  const exposureCustomers = new Set<string>();
  for (const { event } of items) if (isExposureEvent(event)) exposureCustomers.add(event.data.customerId);
  const rows = await loadLedgerRows(tx, [], [...context.invoiceIds]);
  const states = await loadExposureStates(tx, [...exposureCustomers]);
  const folded = foldBatch(items, rows, states);
  await saveFolded(tx, rows, states, folded);
  if (context.dateMoved) await saveBusinessDate(tx, context.asOf);
  if (!context.stored.historyPending) await saveHistoryPending(tx, true);
  await saveMovements(tx, folded.movements, { dateReductions: false });
  await recordClosedDays(tx, context.closedDays);
}

/**
 * Applies a batch's events to the read model in the batch's transaction: folds them with the domain
 * functions, recomputes exposure and aging of every customer touched (every customer when the business
 * date moves), writes the rows and appends the change events planChanges keeps to the service's event
 * store (the outbox the relay publishes from). `store` appends in the batch's transaction (the consumer's
 * batch is the store's transaction), so rows, change events and position commit together.
 */
export async function projectBatch(tx: Queryable, items: readonly Incoming[], store: Pick<EventStore, 'appendToStream'>): Promise<void> {
  if (items.length === 0) return;
  await tx.query(READ_MODEL_LOCK);

  const stored = await loadBusinessDate(tx);
  // The business date only moves forward: the latest day closed wins, whatever order the closes arrive in.
  let asOf: BusinessDate = stored.businessDate;
  let fromCalendar = stored.fromCalendar;
  const closedDays: BusinessDate[] = [];
  for (const { event } of items) {
    if (event.type !== 'BusinessDayClosed') continue;
    const closed = parseBusinessDate(event.data.date);
    closedDays.push(closed);
    if (!fromCalendar || closed > asOf) {
      asOf = closed;
      fromCalendar = true;
    }
  }
  const dateMoved = fromCalendar !== stored.fromCalendar || asOf !== stored.businessDate;

  const customers = new Set<string>();
  const invoiceIds = new Set<string>();
  for (const { event } of items) {
    if (event.type === 'BusinessDayClosed') continue;
    customers.add(event.data.customerId);
    if (isLedgerEvent(event)) invoiceIds.add(event.data.invoiceId);
  }
  if (stored.historyPending || items.some((item) => item.replaying === true)) {
    await replayBatch(tx, items, { stored, asOf, dateMoved, closedDays, invoiceIds });
    return;
  }
  if (dateMoved) for (const id of await loadAllCustomerIds(tx)) customers.add(id);

  const customerIds = [...customers].sort();
  const rows = await loadLedgerRows(tx, customerIds, [...invoiceIds]);
  const states = await loadExposureStates(tx, customerIds);
  const { touchedRows, touchedStates, lastEnvelope, calendarEnvelope, movements, ledgerCustomers, segmentMoves, earliestDateByCustomer } =
    foldBatch(items, rows, states);

  const rowsByCustomer = new Map<string, ArLedgerRow[]>();
  for (const row of rows.values()) {
    const list = rowsByCustomer.get(row.customerId) ?? [];
    list.push(row);
    rowsByCustomer.set(row.customerId, list);
  }
  const candidates: ProjectionChange[] = [];
  const figures: { exposure: CustomerExposure; businessUnit: string | null }[] = [];
  for (const customerId of customerIds) {
    const state: CustomerExposureState = states.get(customerId) ?? initialExposureState(customerId);
    const customerRows = rowsByCustomer.get(customerId) ?? [];
    const exposure = exposureOrNull(state, customerRows, asOf);
    if (exposure !== null) {
      figures.push({ exposure, businessUnit: state.businessUnit });
      candidates.push({ type: 'CustomerExposureChanged', data: exposureChangedData(exposure) });
    }
    for (const aging of customerAging(customerId, customerRows, asOf)) {
      candidates.push({ type: 'CustomerAgingChanged', data: agingChangedData(aging) });
    }
  }

  const previous = await loadPublished(tx, candidates.map(changeKey));
  const plan = planChanges(previous, candidates);
  // A batch a rebuild replays re-derives figures the consumers of the changes have seen already: it
  // announces nothing, and the record of what was announced stays as it is, for live batches to compare with.
  const announce = items.some((item) => item.replaying !== true);

  await saveFolded(tx, rows, states, { touchedRows, touchedStates });
  await saveExposureFigures(tx, figures);
  if (dateMoved) await saveBusinessDate(tx, asOf);
  const kpiChanges = await projectHistory(tx, { movements, earliestDateByCustomer, closedDays, ledgerCustomers, segmentMoves });
  const kpiPlan = planChanges(await loadPublished(tx, kpiChanges.map(changeKey)), kpiChanges);

  // The change events, grouped per customer stream.
  const byCustomer = new Map<string, ProjectionChange[]>();
  for (const change of announce ? [...plan.publish, ...kpiPlan.publish] : []) {
    const key = change.type === 'PortfolioKpisChanged' ? PORTFOLIO_KEY : change.data.customerId;
    const list = byCustomer.get(key) ?? [];
    list.push(change);
    byCustomer.set(key, list);
  }
  for (const [customerId, changes] of byCustomer) {
    const cause = lastEnvelope.get(customerId) ?? calendarEnvelope;
    const events: NewEvent[] = changes.map((change) => ({
      eventId: randomUUID(),
      eventType: change.type,
      schemaVersion: SCHEMA_VERSIONS[change.type],
      data: change.data as unknown as Record<string, unknown>,
      metadata: {
        customerId,
        correlationId: cause?.correlationId ?? randomUUID(),
        causationId: cause?.eventId ?? null,
        actor: PROJECTIONS_ACTOR,
        occurredAt: cause?.occurredAt ?? `${asOf}T00:00:00.000Z`,
      },
    }));
    await store.appendToStream(changeStreamId(customerId), 'any', events);
  }

  if (announce) {
    await savePublished(
      tx,
      [...plan.publish, ...kpiPlan.publish].map((change): [string, ProjectionChange['data']] => [changeKey(change), change.data]),
    );
  }
}
