import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { ARC_PG_POOL, transactional } from '@arc/platform';

/**
 * The customers' legal names as the credit service registered them (CustomerRegistered), for the documents
 * invoicing sends (the statement's addressee). Written in the credit consumer's batch transaction.
 */
export const CUSTOMER_NAMES_TABLE = 'invoicing_customer_names';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${CUSTOMER_NAMES_TABLE} (
    customer_id          text PRIMARY KEY,
    legal_name           text NOT NULL,
    registration_number  text NOT NULL,
    country              text NOT NULL
  )`;

export async function recordCustomerName(
  tx: PoolClient,
  customer: { customerId: string; legalName: string; registrationNumber: string; country: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO ${CUSTOMER_NAMES_TABLE} (customer_id, legal_name, registration_number, country) VALUES ($1, $2, $3, $4)
     ON CONFLICT (customer_id) DO UPDATE SET legal_name = EXCLUDED.legal_name, registration_number = EXCLUDED.registration_number,
       country = EXCLUDED.country`,
    [customer.customerId, customer.legalName, customer.registrationNumber, customer.country],
  );
}

@Injectable()
export class CustomerNamesView implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await this.pool.query(SCHEMA);
  }

  /** The name and lines for an address block; null when credit's registration has not arrived (or never will). */
  async addressOf(customerId: string): Promise<{ name: string; lines: string[] } | null> {
    const { rows } = await transactional(this.pool).query<{ legal_name: string; registration_number: string; country: string }>(
      `SELECT legal_name, registration_number, country FROM ${CUSTOMER_NAMES_TABLE} WHERE customer_id = $1`,
      [customerId],
    );
    const row = rows[0];
    return row === undefined ? null : { name: row.legal_name, lines: [`Registration ${row.registration_number}`, row.country] };
  }
}
