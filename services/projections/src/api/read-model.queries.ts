import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { BusinessDate } from '@arc/clock';
import { ARC_PG_POOL } from '@arc/platform';
import { initialExposureState, type ArLedgerRow, type CustomerExposureState } from '../domain';
import { loadBusinessDate, loadExposureStates, loadLedgerRows, type StoredBusinessDate } from '../views/read-model.store';

/** What the API reads: the committed read model (no transaction needed, each query is one snapshot of its own). */
@Injectable()
export class ReadModelQueries {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  businessDate(): Promise<StoredBusinessDate> {
    return loadBusinessDate(this.pool);
  }

  /** The customer's exposure state and ledger rows, read in one snapshot; null when the service has seen nothing of it. */
  async customer(customerId: string): Promise<{ state: CustomerExposureState; rows: ArLedgerRow[]; businessDate: BusinessDate } | null> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { businessDate } = await loadBusinessDate(client);
      const states = await loadExposureStates(client, [customerId]);
      const rows = await loadLedgerRows(client, [customerId]);
      await client.query('COMMIT');
      const state = states.get(customerId);
      if (state === undefined && rows.size === 0) return null;
      return {
        state: state ?? initialExposureState(customerId),
        rows: [...rows.values()].filter((r) => r.customerId === customerId),
        businessDate,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
