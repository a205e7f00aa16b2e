import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { Roles } from '@arc/auth';
import { toJson, type MoneyJson } from '@arc/money';
import { ledgerRowAsOf } from '../domain';
import { AsOfQuery, asOfOf } from './as-of.query';
import { ReadModelQueries } from './read-model.queries';
import { ROLE_MATRIX } from './role-matrix';

export class LedgerQuery extends AsOfQuery {
  @ApiProperty({ description: 'the customer whose invoices to list' })
  @IsUUID()
  customerId!: string;
}

export interface LedgerEntry {
  invoiceId: string;
  invoiceNumber: string | null;
  customerId: string;
  currency: string;
  issueDate: string | null;
  dueDate: string | null;
  amount: MoneyJson | null;
  paid: MoneyJson;
  credited: MoneyJson;
  disputed: MoneyJson;
  writtenOff: MoneyJson;
  openBalance: MoneyJson;
  daysPastDue: number | null;
  bucket: string | null;
  status: string;
}

export interface LedgerResponse {
  customerId: string;
  asOf: string;
  rows: LedgerEntry[];
}

@ApiTags('read models')
@Controller('ledger')
export class LedgerController {
  constructor(@Inject(ReadModelQueries) private readonly queries: ReadModelQueries) {}

  /**
   * The customer's AR ledger (one row per invoice) as of a date (default: the last closed day, live rows, payments
   * seen before their invoice included as not-issued); as of a past closed day, the invoices issued by then with
   * the payments and notes dated by then.
   */
  @Get()
  @Roles(ROLE_MATRIX.readLedger)
  async ledger(@Query() query: LedgerQuery): Promise<LedgerResponse> {
    const requested = asOfOf(query);
    const found = await this.queries.customer(query.customerId, requested);
    if (found === null) {
      return { customerId: query.customerId, asOf: requested ?? (await this.queries.businessDate()).businessDate, rows: [] };
    }
    const asOf = found.asOf;
    const rows = [...found.rows]
      .sort((a, b) => (a.invoiceId < b.invoiceId ? -1 : a.invoiceId > b.invoiceId ? 1 : 0))
      .map((row): LedgerEntry => {
        const figures = ledgerRowAsOf(row, asOf);
        return {
          invoiceId: row.invoiceId,
          invoiceNumber: row.invoice?.number ?? null,
          customerId: row.customerId,
          currency: row.currency,
          issueDate: row.invoice?.issueDate ?? null,
          dueDate: row.invoice?.dueDate ?? null,
          amount: row.invoice === null ? null : toJson(row.invoice.amount),
          paid: toJson(row.paid),
          credited: toJson(row.credited),
          disputed: toJson(row.disputed),
          writtenOff: toJson(row.writtenOff),
          openBalance: toJson(figures.openBalance),
          daysPastDue: figures.daysPastDue,
          bucket: figures.bucket,
          status: figures.status,
        };
      });
    return { customerId: query.customerId, asOf, rows };
  }
}
