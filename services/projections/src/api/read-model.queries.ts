import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { BusinessDate } from '@arc/clock';
import { ARC_PG_POOL } from '@arc/platform';
import { initialExposureState, ledgerAsOf, type ArLedgerRow, type CustomerExposureState } from '../domain';
import { loadMovements } from '../views/history.store';
import { loadBusinessDate, loadExposureStates, loadLedgerRows, type StoredBusinessDate } from '../views/read-model.store';

export interface CustomerReadModel {
  state: CustomerExposureState;
  /** The ledger rows as of `asOf`: the live rows when asOf is today's or later, the dated fold before. */
  rows: ArLedgerRow[];
  /** The last closed day. */
  businessDate: BusinessDate;
  /** The date the rows are as of. */
  asOf: BusinessDate;
}

/** What the API reads: the committed read model, each request in one read-only snapshot of its own. */
@Injectable()
export class ReadModelQueries {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  businessDate(): Promise<StoredBusinessDate> {
    return loadBusinessDate(this.pool);
  }

  /** Runs reads in one REPEATABLE READ READ ONLY transaction (one consistent snapshot). */
  async snapshot<T>(read: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await read(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * The customer's exposure state and ledger rows as of a date (default: the last closed day), in one snapshot;
   * null when the service has seen nothing of it. A date given up to the last closed day folds the invoices issued
   * and the movements dated up to it (domain/as-of.ts): later payments, notes and invoices are left out. No date:
   * the live rows (every event consumed), aged at the last closed day; a later date ages the live rows at it.
   */
  async customer(customerId: string, asOf?: BusinessDate): Promise<CustomerReadModel | null> {
    return this.snapshot(async (client) => {
      const { businessDate } = await loadBusinessDate(client);
      const states = await loadExposureStates(client, [customerId]);
      const live = [...(await loadLedgerRows(client, [customerId])).values()].filter((r) => r.customerId === customerId);
      const state = states.get(customerId);
      if (state === undefined && live.length === 0) return null;
      const date = asOf ?? businessDate;
      // Asked for a closed day: the dated fold (what that day showed). Not asked: the live rows (today's events included).
      const rows = asOf !== undefined && asOf <= businessDate ? ledgerAsOf(live, await loadMovements(client, [customerId]), asOf) : live;
      return { state: state ?? initialExposureState(customerId), rows, businessDate, asOf: date };
    });
  }
}
