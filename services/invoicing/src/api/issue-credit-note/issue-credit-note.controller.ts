import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { toJson, type MoneyJson } from '@arc/money';
import { Commands, IdempotencyKey, Idempotent, toBusinessDate, toMoney } from '@arc/platform';
import { invoiceDecider, invoiceStreamId } from '../../domain/invoice.decider';
import { InvoiceNotIssuedError } from '../../domain/invoice.errors';
import { InvoiceCommands } from '../../invoice-commands';
import { commandContext } from '../command-context';
import { invoiceResponse, type InvoiceResponse } from '../invoice-response';
import { ROLE_MATRIX } from '../role-matrix';
import { IssueCreditNoteDto } from './issue-credit-note.dto';

export interface CreditNoteResponse {
  creditNoteId: string;
  number: string;
  invoiceId: string;
  amount: MoneyJson;
  issueDate: string;
  reason: string;
  /** The invoice after the credit note (total, credited, what is left to credit). */
  invoice: InvoiceResponse;
}

@ApiTags('invoices')
@Controller('invoices/:invoiceId/credit-notes')
export class IssueCreditNoteController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(InvoiceCommands) private readonly invoices: InvoiceCommands,
  ) {}

  /**
   * 201 with the credit note and the invoice after it. Refused: 409 `INVOICE_NOT_ISSUED`, 409
   * `CREDIT_NOTE_EXCEEDS_BALANCE` (more than total − credit notes so far), 422 for a non-positive amount,
   * another currency or a date before the invoice's.
   */
  @Post()
  @HttpCode(201)
  @Roles(ROLE_MATRIX.issueCreditNote)
  @Idempotent()
  async issue(
    @Param('invoiceId', ParseUUIDPipe) invoiceIdParam: string,
    @Body() dto: IssueCreditNoteDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<CreditNoteResponse> {
    const invoiceId = invoiceIdParam.toLowerCase();
    const creditNoteId = (dto.creditNoteId ?? randomUUID()).toLowerCase();
    // The customer id goes into the events' metadata; the decider decides on the state it loads itself.
    const { state } = await this.commands.load(invoiceDecider, invoiceStreamId(invoiceId));
    if (state.status !== 'issued') throw new InvoiceNotIssuedError('IssueCreditNote');
    const { newState } = await this.invoices.execute({
      ...commandContext(invoiceId, state.customerId, key, creditNoteId),
      actor: actor.id,
      command: {
        type: 'IssueCreditNote',
        data: {
          creditNoteId,
          creditNoteNumber: dto.number,
          amount: toMoney(dto.amount, 'amount'),
          reason: dto.reason,
          issueDate: toBusinessDate(dto.issueDate),
        },
      },
    });
    const invoice = invoiceResponse(invoiceId, newState);
    const note = invoice.creditNotes.find((n) => n.creditNoteId === creditNoteId);
    return {
      creditNoteId,
      number: note?.number ?? dto.number,
      invoiceId,
      amount: note?.amount ?? toJson(toMoney(dto.amount, 'amount')),
      issueDate: note?.issueDate ?? dto.issueDate,
      reason: note?.reason ?? dto.reason,
      invoice,
    };
  }
}
