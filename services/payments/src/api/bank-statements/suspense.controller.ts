import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { money } from '@arc/money';
import { Commands, IdempotencyKey, Idempotent, RequiresReadModel, UnprocessableProblem, ValidationProblem } from '@arc/platform';
import { bankStreamDecider, payerAccountStreamId, suspenseStreamId } from '../../domain/bank-streams.decider';
import { SuspenseReceiptNotFoundError } from '../../domain/payment-account.errors';
import { paymentAccountDecider, paymentAccountStreamId } from '../../domain/payment-account.decider';
import { normalIban } from '../../statements/statement-entry';
import { StatementStore, type SuspenseRow } from '../../statements/statement-store';
import { BusinessCalendarView } from '../../views/business-calendar.view';
import { CUSTOMERS_READ_MODEL, CustomersView } from '../../views/customers.view';
import { OPEN_INVOICES_READ_MODEL, OpenInvoicesView } from '../../views/open-invoices.view';
import { PaymentAccountReader, type PaymentAccountResponse } from '../payment-account/payment-account.controller';
import { ROLE_MATRIX } from '../role-matrix';
import { AssignSuspenseDto, PayerAccountDto } from './bank-statements.dto';

export interface SuspenseView {
  suspenseId: string;
  bankReference: string;
  amount: { amountMinor: string; currency: string };
  receivedOn: string;
  payerIban: string | null;
  payerName: string | null;
  remittance: string | null;
  statementId: string | null;
  customerId: string | null;
  paymentId: string | null;
}

const view = (row: SuspenseRow): SuspenseView => ({
  suspenseId: row.suspense_id,
  bankReference: row.bank_reference,
  amount: { amountMinor: row.amount_minor, currency: row.currency },
  receivedOn: row.received_on,
  payerIban: row.payer_iban,
  payerName: row.payer_name,
  remittance: row.remittance,
  statementId: row.statement_id,
  customerId: row.customer_id,
  paymentId: row.payment_id,
});

/** Receipts no IBAN mapping or invoice number tied to a customer, and the IBAN mappings that tie the next ones. */
@ApiTags('bank statements')
@Controller()
export class SuspenseController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(StatementStore) private readonly store: StatementStore,
    @Inject(OpenInvoicesView) private readonly invoices: OpenInvoicesView,
    @Inject(CustomersView) private readonly customers: CustomersView,
    @Inject(BusinessCalendarView) private readonly calendar: BusinessCalendarView,
    @Inject(PaymentAccountReader) private readonly reader: PaymentAccountReader,
  ) {}

  /** The receipts waiting in suspense, oldest first (at most 500). */
  @Get('suspense')
  @Roles(ROLE_MATRIX.readStatements)
  async list(): Promise<{ items: SuspenseView[] }> {
    return { items: (await this.store.openSuspense(500)).map(view) };
  }

  /** Receipts from this IBAN are the customer's (PayerAccountMapped); a later mapping replaces it. */
  @Put('payer-accounts/:iban')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.importStatements)
  @Idempotent()
  async map(
    @Param('iban') text: string,
    @Body() dto: PayerAccountDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<{ iban: string; customerId: string }> {
    const iban = normalIban(text);
    if (iban === null)
      throw new ValidationProblem([
        { field: 'iban', constraint: 'isIban', detail: 'iban must be an IBAN (two letters, two digits, up to 30 letters or digits)' },
      ]);
    if (!(await this.customers.isKnown(dto.customerId)))
      throw new UnprocessableProblem(`no customer ${dto.customerId} is registered`, { code: 'CUSTOMER_UNKNOWN' });
    await this.mapPayer(iban, dto.customerId, actor, key ?? randomUUID());
    return { iban, customerId: dto.customerId };
  }

  /** Finance names the payer: the receipt is recorded on the customer's account (cash applied as usual) and leaves suspense. */
  @Post('suspense/:suspenseId/assignment')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.importStatements)
  @RequiresReadModel(OPEN_INVOICES_READ_MODEL, CUSTOMERS_READ_MODEL)
  @Idempotent()
  async assign(
    @Param('suspenseId', ParseUUIDPipe) suspenseId: string,
    @Body() dto: AssignSuspenseDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<{ suspense: SuspenseView; account: PaymentAccountResponse }> {
    const row = await this.store.suspense(suspenseId);
    if (row === null) throw new SuspenseReceiptNotFoundError(suspenseId);
    const { customerId } = dto;
    const commandId = key ?? randomUUID();
    const paymentId = row.payment_id ?? randomUUID();
    const amount = money(BigInt(row.amount_minor), row.currency);
    // The suspense stream decides first: a receipt already assigned to another customer is refused before anything else.
    await this.commands.execute(bankStreamDecider, {
      streamId: suspenseStreamId(suspenseId),
      customerId: suspenseId,
      commandId: `${commandId}:suspense`,
      actor: actor.id,
      occurredAt: new Date().toISOString(),
      command: {
        type: 'AssignSuspenseReceipt',
        data: { suspenseId, customerId, paymentId, assignedOn: (await this.calendar.openDay()) ?? row.received_on },
      },
    });
    await this.store.db.query(
      `INSERT INTO payments_bank_references (bank_reference, customer_id, payment_id) VALUES ($1, $2, $3) ON CONFLICT (bank_reference) DO NOTHING`,
      [row.bank_reference, customerId, paymentId],
    );
    await this.commands.execute(paymentAccountDecider, {
      streamId: paymentAccountStreamId(customerId),
      customerId,
      commandId: `${commandId}:payment`,
      actor: actor.id,
      occurredAt: new Date().toISOString(),
      command: {
        type: 'RecordPayment',
        data: {
          paymentId,
          bankReference: row.bank_reference,
          customerId,
          amount,
          receivedOn: row.received_on as never,
          method: 'bank-transfer',
          remittanceReferences: row.remittance === null ? [] : [row.remittance],
          openInvoices: await this.invoices.openInvoices(customerId, row.currency),
          openDay: await this.calendar.openDay(),
          backdatingReason: `assigned from suspense ${suspenseId}`,
          customerKnown: await this.customers.isKnown(customerId),
          statementId: row.statement_id,
        },
      },
    });
    await this.store.assignSuspense(suspenseId, customerId, paymentId);
    await this.store.db.query(`UPDATE payments_statement_entries SET customer_id = $2, payment_id = $3 WHERE entry_key = $1`, [
      row.bank_reference,
      customerId,
      paymentId,
    ]);
    if (dto.mapPayerAccount === true && row.payer_iban !== null)
      await this.mapPayer(row.payer_iban, customerId, actor, `${commandId}:payer`);
    return { suspense: view((await this.store.suspense(suspenseId)) as SuspenseRow), account: await this.reader.view(customerId) };
  }

  private async mapPayer(iban: string, customerId: string, actor: AuthenticatedActor, commandId: string): Promise<void> {
    await this.commands.execute(bankStreamDecider, {
      streamId: payerAccountStreamId(iban),
      customerId,
      commandId,
      actor: actor.id,
      occurredAt: new Date().toISOString(),
      command: { type: 'MapPayerAccount', data: { iban, customerId } },
    });
    await this.store.mapPayer(iban, customerId);
  }
}
