import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { Commands, IdempotencyKey, Idempotent, RequiresReadModel, toBusinessDate, toMoney } from '@arc/platform';
import { BUSINESS_CALENDAR_STREAM_ID, businessCalendarDecider } from '../../domain/business-calendar.decider';
import { contractDecider, contractStreamId, termsForInvoice } from '../../domain/contract.decider';
import { ContractUnknownError } from '../../domain/receivable.errors';
import { InvoiceCommands } from '../../invoice-commands';
import { InvoiceNumbers } from '../../views/invoice-numbers';
import { CREDIT_RESERVATIONS_READ_MODEL, CreditReservationsView } from '../../views/credit-reservations.view';
import { PAYMENT_TERMS_READ_MODEL, PaymentTermsView } from '../../views/payment-terms.view';
import { commandContext } from '../command-context';
import { invoiceResponse, type InvoiceResponse } from '../invoice-response';
import { ROLE_MATRIX } from '../role-matrix';
import { IssueInvoiceDto } from './issue-invoice.dto';

@ApiTags('invoices')
@Controller('invoices')
export class IssueInvoiceController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(PaymentTermsView) private readonly terms: PaymentTermsView,
    @Inject(CreditReservationsView) private readonly reservations: CreditReservationsView,
    @Inject(InvoiceNumbers) private readonly numbers: InvoiceNumbers,
    @Inject(InvoiceCommands) private readonly invoices: InvoiceCommands,
  ) {}

  /**
   * 201 with the invoice: due date(s) and discount from the terms of the contract it names (`contractId`: net
   * days, end of month + days or instalments; 422 `CONTRACT_UNKNOWN`, `CONTRACT_OF_OTHER_CUSTOMER`), else from
   * the customer's credit policy. Refused: 409 `PAYMENT_TERMS_UNKNOWN`
   * (no credit policy seen for the customer), 409 `INVOICE_NUMBER_TAKEN`, 409 `INVOICE_ALREADY_ISSUED`
   * (same invoice id, other content), 422 for lines the domain refuses (currency, total ≤ 0); a `reservationId`
   * credit never made (422 `RESERVATION_UNKNOWN`), made for another customer (422 `RESERVATION_OF_OTHER_CUSTOMER`),
   * released (409 `RESERVATION_RELEASED`) or billed by another invoice (409 `RESERVATION_CONSUMED_BY_OTHER_INVOICE`);
   * an issue date more than a week after the open day (422 `ISSUE_DATE_TOO_FAR_AHEAD`) or on a closed day without a
   * `backdatingReason` (422 `BACKDATING_REASON_MISSING`).
   */
  @Post()
  @HttpCode(201)
  @Roles(ROLE_MATRIX.issueInvoice)
  @RequiresReadModel(PAYMENT_TERMS_READ_MODEL, CREDIT_RESERVATIONS_READ_MODEL)
  @Idempotent()
  async issue(
    @Body() dto: IssueInvoiceDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<InvoiceResponse> {
    const invoiceId = (dto.invoiceId ?? randomUUID()).toLowerCase();
    const customerId = dto.customerId.toLowerCase();
    // From the terms view (as current as the credit consumer, see the README); null → PAYMENT_TERMS_UNKNOWN.
    const paymentTerms = await this.terms.termsOf(customerId);
    const reservationId = dto.reservationId?.toLowerCase() ?? null;
    // From the reservations view (as current as the same consumer); unknown → RESERVATION_UNKNOWN.
    const reservation = reservationId === null ? null : await this.reservations.find(reservationId);
    // The named contract's terms replace the credit policy's (its own stream, always current).
    const contractId = dto.contractId?.toLowerCase() ?? null;
    const contract = contractId === null ? null : (await this.commands.state(contractDecider, contractStreamId(contractId))).state;
    if (contract !== null && contract.status !== 'agreed') throw new ContractUnknownError(contractId ?? '');
    // The date rule is against the calendar's open day (this service's own stream, always current).
    const calendar = (await this.commands.state(businessCalendarDecider, BUSINESS_CALENDAR_STREAM_ID)).state;
    // In the command's transaction: a refusal below releases the number with everything else.
    await this.numbers.claim(dto.number, invoiceId);
    const { newState } = await this.invoices.execute({
      ...commandContext(invoiceId, customerId, key, invoiceId),
      actor: actor.id,
      command: {
        type: 'IssueInvoice',
        data: {
          invoiceId,
          invoiceNumber: dto.number,
          customerId,
          currency: dto.currency,
          lines: dto.lines.map((line, index) => ({
            description: line.description,
            netAmount: toMoney(line.netAmount, `lines[${index}].netAmount`),
            taxAmount: toMoney(line.taxAmount, `lines[${index}].taxAmount`),
          })),
          issueDate: toBusinessDate(dto.issueDate),
          paymentTerms,
          reservationId,
          reservation,
          openDay: calendar.started ? calendar.openDay : null,
          backdatingReason: dto.backdatingReason ?? null,
          contract: contract !== null && contract.status === 'agreed' ? termsForInvoice(contract.terms) : null,
        },
      },
    });
    return invoiceResponse(invoiceId, newState);
  }
}
