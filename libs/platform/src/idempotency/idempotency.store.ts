import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Queryable } from '@arc/event-store';
import type { ResolvedPlatformOptions } from '../platform-options';
import { ARC_PG_POOL, PLATFORM_OPTIONS } from '../tokens';

export const IDEMPOTENCY_TABLE = 'idempotency_keys';

/**
 * One row per key. The primary key is what makes a key single-use under concurrency: the first INSERT
 * wins, every other request for the key finds the row. `claim_id` tells the winner's completion apart
 * from a later takeover of an abandoned claim.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${IDEMPOTENCY_TABLE} (
  key             text        PRIMARY KEY,
  route           text        NOT NULL,
  request_hash    text        NOT NULL,
  status          text        NOT NULL CHECK (status IN ('in_progress', 'completed')),
  claim_id        uuid        NOT NULL,
  response_status int,
  response_body   json,
  created_at      timestamptz NOT NULL DEFAULT now(),
  claimed_at      timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz
);
`;

export type ClaimOutcome =
  | { outcome: 'claimed'; claimId: string }
  | { outcome: 'completed'; responseStatus: number; responseBody: unknown }
  | { outcome: 'in_progress' }
  | { outcome: 'different_request' };

interface KeyRow {
  request_hash: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: unknown;
}

/** Idempotency keys in the service's own database. */
@Injectable()
export class IdempotencyStore implements OnModuleInit {
  constructor(
    @Inject(PLATFORM_OPTIONS) private readonly options: ResolvedPlatformOptions,
    @Optional() @Inject(ARC_PG_POOL) private readonly pool?: Pool,
  ) {}

  get enabled(): boolean {
    return this.pool !== undefined;
  }

  async onModuleInit(): Promise<void> {
    if (this.pool) await migrateIdempotencyKeys(this.pool);
  }

  /**
   * Claims the key for this request, or says what became of it. `json` (not `jsonb`) keeps the stored
   * body byte-for-byte, key order included, so a replay is the same response, not an equivalent one.
   */
  async claim(key: string, route: string, requestHash: string): Promise<ClaimOutcome> {
    const pool = this.requirePool();
    // Two attempts: a row seen as "in progress" may be released (its request failed) before we read it.
    for (let attempt = 0; attempt < 2; attempt++) {
      const claimId = randomUUID();
      // Committed without waiting for the WAL flush: the command's own commit, later in the log, flushes it;
      // a claim lost with a server crash had guarded nothing that was kept.
      const inserted = await pool.query(
        `WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
         INSERT INTO ${IDEMPOTENCY_TABLE} (key, route, request_hash, status, claim_id)
         SELECT $1, $2, $3, 'in_progress', $4 FROM async
         ON CONFLICT (key) DO NOTHING`,
        [key, route, requestHash, claimId],
      );
      if (inserted.rowCount === 1) return { outcome: 'claimed', claimId };

      // A claim whose request died (crash, lost connection) would block the key forever; past the
      // staleness horizon the same request may take it over. Decided by the database clock, and
      // serialised by the row lock, so two takers cannot both win.
      const takenOver = await pool.query(
        `UPDATE ${IDEMPOTENCY_TABLE} SET claim_id = $3, claimed_at = now()
         WHERE key = $1 AND request_hash = $2 AND status = 'in_progress' AND claimed_at < now() - make_interval(secs => $4)`,
        [key, requestHash, claimId, this.options.idempotencyStaleAfterMs / 1000],
      );
      if (takenOver.rowCount === 1) return { outcome: 'claimed', claimId };

      const { rows } = await pool.query<KeyRow>(
        `SELECT request_hash, status, response_status, response_body FROM ${IDEMPOTENCY_TABLE} WHERE key = $1`,
        [key],
      );
      const row = rows[0];
      if (!row) continue;
      if (row.request_hash !== requestHash) return { outcome: 'different_request' };
      if (row.status === 'in_progress') return { outcome: 'in_progress' };
      return { outcome: 'completed', responseStatus: row.response_status ?? 200, responseBody: row.response_body };
    }
    return { outcome: 'in_progress' };
  }

  /**
   * Stores the response of a claimed request; later requests with the key get it back. Written in the
   * command's transaction (`db`), so the key is completed exactly when the command's events commit.
   */
  async complete(db: Queryable, key: string, claimId: string, responseStatus: number, responseBody: unknown): Promise<void> {
    await db.query(
      `UPDATE ${IDEMPOTENCY_TABLE} SET status = 'completed', response_status = $3, response_body = $4::json, completed_at = now()
       WHERE key = $1 AND claim_id = $2`,
      [key, claimId, responseStatus, responseBody === undefined ? null : JSON.stringify(responseBody)],
    );
  }

  /**
   * Frees the key after the request failed, so the client can retry it. Failures are not stored: a retry
   * re-runs the command, which appends nothing twice because event ids derive from the key.
   */
  async release(key: string, claimId: string): Promise<void> {
    await this.requirePool().query(
      `WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
       DELETE FROM ${IDEMPOTENCY_TABLE} WHERE key = $1 AND claim_id = $2 AND status = 'in_progress' AND EXISTS (SELECT FROM async)`,
      [key, claimId],
    );
  }

  /** The pool commands run their transactions on (the event store's). */
  get database(): Pool {
    return this.requirePool();
  }

  private requirePool(): Pool {
    if (!this.pool) throw new Error('idempotency keys need PlatformModule.forRoot({ databaseUrl }) (or pgPool)');
    return this.pool;
  }
}

/** Creates the table if missing; serialised by an advisory lock because replicas start together. */
export async function migrateIdempotencyKeys(pool: Pool): Promise<void> {
  await pool.query(`
    DO $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('arc.platform.idempotency-keys.migrate'));
      ${SCHEMA}
    END
    $$;
  `);
}
