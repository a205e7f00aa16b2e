import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { BusinessDate } from '@arc/clock';
import { ARC_PG_POOL } from '@arc/platform';
import { initialExposureState, type ArLedgerRow, type CustomerExposure } from '../domain';
import { computePaymentBehaviour, savePaymentBehaviour } from '../views/behaviour.store';
import { closedDaysFrom, datePendingReductions, snapshotDay } from '../views/history.store';
import { computeKpis, saveKpis } from '../views/kpi.store';
import {
  loadAllCustomerIds,
  loadBusinessDate,
  loadExposureStates,
  loadLedgerRows,
  saveExposureFigures,
  saveHistoryPending,
} from '../views/read-model.store';
import { exposureOrNull, READ_MODEL_LOCK } from './read-model.projector';

/** Customers whose ledger rows are held in memory at once while the exposure figures are recomputed. */
const CUSTOMER_CHUNK = 2_000;
/** How often a process that replayed checks whether the whole replay (every partition) is over. */
const POLL_MS = 200;

export type SettleOutcome = 'nothing-pending' | 'replay-running' | 'settled';

/** True while a replay's derived figures are not computed yet (the read model is not caught up before). */
export async function historyPending(pool: Pick<Pool, 'query'>): Promise<boolean> {
  return (await loadBusinessDate(pool)).historyPending;
}

/**
 * The end of a rebuild: once no partition of the consumer group is still replaying, computes in one transaction,
 * under the read model's lock, what the replayed batches left out (replayBatch), from the folded tables and with the
 * functions the live batches use: the dates of reductions, every customer's exposure figures as of the business date,
 * the snapshot of every closed day (and its segment sums), every closed day's KPIs, and every customer's payment
 * behaviour as of the last closed day. That is what the live batches' incremental writes end with (rebuild equals
 * live: tested); nothing is announced, as for the replayed batches.
 */
export async function settleReplayedHistory(pool: Pool, groupId: string): Promise<SettleOutcome> {
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    await tx.query(READ_MODEL_LOCK);
    const stored = await loadBusinessDate(tx);
    let outcome: SettleOutcome = 'nothing-pending';
    if (stored.historyPending) {
      const { rows } = await tx.query<{ replaying: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM consumer_offsets WHERE group_id = $1 AND next_offset < replay_until) AS replaying',
        [groupId],
      );
      outcome = rows[0]?.replaying === true ? 'replay-running' : 'settled';
    }
    if (outcome === 'settled') {
      await settle(tx, stored.businessDate);
      await saveHistoryPending(tx, false);
    }
    await tx.query('COMMIT');
    return outcome;
  } catch (error) {
    await tx.query('ROLLBACK');
    throw error;
  } finally {
    tx.release();
  }
}

async function settle(tx: PoolClient, asOf: BusinessDate): Promise<void> {
  await datePendingReductions(tx, null);
  const customerIds = await loadAllCustomerIds(tx);
  for (let start = 0; start < customerIds.length; start += CUSTOMER_CHUNK) {
    const chunk = customerIds.slice(start, start + CUSTOMER_CHUNK);
    const rows = await loadLedgerRows(tx, chunk);
    const states = await loadExposureStates(tx, chunk);
    const rowsByCustomer = new Map<string, ArLedgerRow[]>();
    for (const row of rows.values()) {
      const list = rowsByCustomer.get(row.customerId) ?? [];
      list.push(row);
      rowsByCustomer.set(row.customerId, list);
    }
    const figures: { exposure: CustomerExposure; businessUnit: string | null }[] = [];
    for (const customerId of chunk) {
      const state = states.get(customerId) ?? initialExposureState(customerId);
      const exposure = exposureOrNull(state, rowsByCustomer.get(customerId) ?? [], asOf);
      if (exposure !== null) figures.push({ exposure, businessUnit: state.businessUnit });
    }
    await saveExposureFigures(tx, figures);
  }
  // Snapshots read the segments from the exposure figures just written.
  const days = await closedDaysFrom(tx, '0001-01-01' as BusinessDate);
  for (const day of days) await snapshotDay(tx, day, null);
  for (const day of days) await saveKpis(tx, day, await computeKpis(tx, day));
  const last = days.at(-1);
  if (last !== undefined) await savePaymentBehaviour(tx, await computePaymentBehaviour(tx, last, null));
}

/** The consumer group whose replay ReplaySettler waits for. */
export const REPLAY_SETTLER_GROUP = Symbol.for('arc.projections.replaySettlerGroup');

/**
 * Runs settleReplayedHistory while a replay this process took part in (or one a crashed process left) is not
 * settled: polled only then, so an idle service asks nothing.
 */
@Injectable()
export class ReplaySettler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReplaySettler');
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;

  constructor(
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
    @Inject(REPLAY_SETTLER_GROUP) private readonly groupId: string,
  ) {}

  onApplicationBootstrap(): void {
    this.nudge();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** A replayed batch was applied: check until the replay is over and settled. */
  nudge(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => void this.poll(), ms);
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    try {
      const started = performance.now();
      const outcome = await settleReplayedHistory(this.pool, this.groupId);
      if (outcome === 'replay-running') return this.schedule(POLL_MS);
      if (outcome === 'settled') this.logger.log(`replayed history settled in ${Math.round(performance.now() - started)} ms`);
      this.running = false;
    } catch (error) {
      this.logger.error(`settling the replayed history failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
      this.schedule(POLL_MS * 5);
    }
  }
}
