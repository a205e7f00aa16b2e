import { randomUUID } from 'node:crypto';
import { Body, Controller, ForbiddenException, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { IdempotencyKey, Idempotent, toBusinessDate, toMoney } from '@arc/platform';
import type { InvoiceCommand } from '../../domain/invoice.decider';
import { InvoiceNotIssuedError } from '../../domain/invoice.errors';
import { WriteOffUnknownError } from '../../domain/receivable.errors';
import { InvoiceCommands } from '../../invoice-commands';
import { commandContext } from '../command-context';
import { invoiceResponse, type InvoiceResponse } from '../invoice-response';
import { ROLE_MATRIX } from '../role-matrix';
import {
  CancelInvoiceDto,
  IssueDebitNoteDto,
  RaiseDisputeDto,
  RejectWriteOffDto,
  RequestWriteOffDto,
  ResolveDisputeDto,
  WriteOffStepDto,
} from './receivable.dto';

/**
 * An issued invoice's later life: cancellation, debit notes, disputes and write-offs. Each answers the invoice
 * after the command. Refusals are problem+json: 404 `INVOICE_NOT_ISSUED`, `DISPUTE_UNKNOWN`, `WRITE_OFF_UNKNOWN`;
 * 409 `INVOICE_NOT_CANCELLABLE`, `INVOICE_CANCELLED`, `AMOUNT_EXCEEDS_OPEN_BALANCE`, `DISPUTE_ALREADY_RESOLVED`,
 * `WRITE_OFF_WRONG_STEP`, `WRITE_OFF_SAME_SUBJECT`, `ID_ALREADY_USED`; 422 for amounts in another currency or not
 * positive and dates before the invoice's.
 */
@ApiTags('invoices')
@Controller('invoices/:invoiceId')
export class ReceivableController {
  constructor(@Inject(InvoiceCommands) private readonly invoices: InvoiceCommands) {}

  private async run(
    invoiceIdParam: string,
    key: string | undefined,
    commandId: string,
    actor: AuthenticatedActor,
    command: InvoiceCommand,
  ) {
    const invoiceId = invoiceIdParam.toLowerCase();
    const state = await this.invoices.state(invoiceId);
    if (state.status !== 'issued') throw new InvoiceNotIssuedError(command.type);
    const { newState } = await this.invoices.execute({
      ...commandContext(invoiceId, state.customerId, key, commandId),
      actor: actor.id,
      command,
    });
    return invoiceResponse(invoiceId, newState);
  }

  /** 200: cancelled with its reason, it leaves open AR whole. 409 `INVOICE_NOT_CANCELLABLE` once anything is allocated, credited, debited or disputed. */
  @Post('cancel')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.cancelInvoice)
  @Idempotent()
  cancel(
    @Param('invoiceId', ParseUUIDPipe) invoiceId: string,
    @Body() dto: CancelInvoiceDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<InvoiceResponse> {
    return this.run(invoiceId, key, `cancel:${invoiceId.toLowerCase()}`, actor, {
      type: 'CancelInvoice',
      data: { reason: dto.reason, cancelledOn: toBusinessDate(dto.cancelledOn) },
    });
  }

  /** 201: a debit note (fixed compensation or an adjustment) raises the invoice's balance. Late interest is charged by the day close. */
  @Post('debit-notes')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.issueDebitNote)
  @Idempotent()
  debitNote(
    @Param('invoiceId', ParseUUIDPipe) invoiceId: string,
    @Body() dto: IssueDebitNoteDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<InvoiceResponse> {
    const debitNoteId = (dto.debitNoteId ?? randomUUID()).toLowerCase();
    return this.run(invoiceId, key, debitNoteId, actor, {
      type: 'IssueDebitNote',
      data: {
        debitNoteId,
        debitNoteNumber: dto.number,
        kind: dto.kind,
        amount: toMoney(dto.amount, 'amount'),
        issueDate: toBusinessDate(dto.issueDate),
        dueDate: toBusinessDate(dto.dueDate),
        reason: dto.reason,
      },
    });
  }

  /**
   * 201: a dispute on the whole invoice or part of it, with a reason code, a note and evidence. While open, its
   * amount is excluded from dunning (collections reads DisputeRaised) and bears no late interest.
   */
  @Post('disputes')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.raiseDispute)
  @Idempotent()
  raiseDispute(
    @Param('invoiceId', ParseUUIDPipe) invoiceId: string,
    @Body() dto: RaiseDisputeDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<InvoiceResponse> {
    const disputeId = (dto.disputeId ?? randomUUID()).toLowerCase();
    const role = (['sales', 'finance', 'collections'] as const).find((r) => actor.roles.includes(r)) ?? 'finance';
    return this.run(invoiceId, key, disputeId, actor, {
      type: 'RaiseDispute',
      data: {
        disputeId,
        amount: dto.amount === undefined ? null : toMoney(dto.amount, 'amount'),
        reasonCode: dto.reasonCode,
        note: dto.note,
        evidenceRefs: dto.evidenceRefs ?? [],
        raisedOn: toBusinessDate(dto.raisedOn),
        raisedByRole: role,
      },
    });
  }

  /** 200: accepted (a credit note for the accepted amount, in the same command) or rejected (collectable again). */
  @Post('disputes/:disputeId/resolve')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.resolveDispute)
  @Idempotent()
  async resolveDispute(
    @Param('invoiceId', ParseUUIDPipe) invoiceId: string,
    @Param('disputeId', ParseUUIDPipe) disputeIdParam: string,
    @Body() dto: ResolveDisputeDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<InvoiceResponse> {
    const disputeId = disputeIdParam.toLowerCase();
    const state = await this.invoices.state(invoiceId.toLowerCase());
    const notes = state.status === 'issued' ? state.creditNotes.size : 0;
    const number = state.status === 'issued' ? `${state.invoiceNumber}-CN${notes + 1}` : 'CN';
    return this.run(invoiceId, key, `resolve:${disputeId}:${dto.outcome}`, actor, {
      type: 'ResolveDispute',
      data: {
        disputeId,
        outcome: dto.outcome,
        acceptedAmount: dto.acceptedAmount === undefined ? null : toMoney(dto.acceptedAmount, 'acceptedAmount'),
        creditNoteId: (dto.creditNoteId ?? randomUUID()).toLowerCase(),
        creditNoteNumber: dto.creditNoteNumber ?? number,
        resolvedOn: toBusinessDate(dto.resolvedOn),
        note: dto.note,
      },
    });
  }

  /** 201: a write-off requested (collections or finance) for the open balance or part of it; finance approves, legal signs off. */
  @Post('write-offs')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.requestWriteOff)
  @Idempotent()
  requestWriteOff(
    @Param('invoiceId', ParseUUIDPipe) invoiceId: string,
    @Body() dto: RequestWriteOffDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<InvoiceResponse> {
    const writeOffId = (dto.writeOffId ?? randomUUID()).toLowerCase();
    return this.run(invoiceId, key, writeOffId, actor, {
      type: 'RequestWriteOff',
      data: {
        writeOffId,
        amount: dto.amount === undefined ? null : toMoney(dto.amount, 'amount'),
        reason: dto.reason,
        requestedOn: toBusinessDate(dto.requestedOn),
        requestedBy: actor.sub,
      },
    });
  }

  /** 200: finance approves a requested write-off. */
  @Post('write-offs/:writeOffId/approve')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.approveWriteOff)
  @Idempotent()
  approveWriteOff(
    @Param('invoiceId', ParseUUIDPipe) invoiceId: string,
    @Param('writeOffId', ParseUUIDPipe) writeOffId: string,
    @Body() dto: WriteOffStepDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<InvoiceResponse> {
    const id = writeOffId.toLowerCase();
    return this.run(invoiceId, key, `approve:${id}:${actor.sub}`, actor, {
      type: 'ApproveWriteOff',
      data: { writeOffId: id, approvedOn: toBusinessDate(dto.on), approvedBy: actor.sub },
    });
  }

  /**
   * 200: legal signs off an approved write-off: InvoiceWrittenOff, the amount leaves open AR and its collection
   * ends. 409 `WRITE_OFF_SAME_SUBJECT` when the signer approved it (one person holding both roles cannot do both).
   */
  @Post('write-offs/:writeOffId/sign-off')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.signOffWriteOff)
  @Idempotent()
  signOffWriteOff(
    @Param('invoiceId', ParseUUIDPipe) invoiceId: string,
    @Param('writeOffId', ParseUUIDPipe) writeOffId: string,
    @Body() dto: WriteOffStepDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<InvoiceResponse> {
    const id = writeOffId.toLowerCase();
    return this.run(invoiceId, key, `sign-off:${id}:${actor.sub}`, actor, {
      type: 'SignOffWriteOff',
      data: { writeOffId: id, signedOffOn: toBusinessDate(dto.on), signedOffBy: actor.sub },
    });
  }

  /** 200: finance (before approval) or legal (after it) refuses the write-off; 403 for the other department at that step. */
  @Post('write-offs/:writeOffId/reject')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.rejectWriteOff)
  @Idempotent()
  async rejectWriteOff(
    @Param('invoiceId', ParseUUIDPipe) invoiceId: string,
    @Param('writeOffId', ParseUUIDPipe) writeOffId: string,
    @Body() dto: RejectWriteOffDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<InvoiceResponse> {
    const id = writeOffId.toLowerCase();
    const state = await this.invoices.state(invoiceId.toLowerCase());
    const writeOff = state.status === 'issued' ? state.writeOffs.get(id) : undefined;
    if (state.status === 'issued' && writeOff === undefined) throw new WriteOffUnknownError(id);
    const step = writeOff?.status === 'approved' ? 'legal-sign-off' : 'finance-approval';
    const role = step === 'legal-sign-off' ? 'legal' : 'finance';
    if (!actor.roles.includes(role) && !actor.roles.includes('admin')) {
      throw new ForbiddenException(`at this step only ${role} may reject the write-off`);
    }
    return this.run(invoiceId, key, `reject:${id}:${actor.sub}`, actor, {
      type: 'RejectWriteOff',
      data: { writeOffId: id, rejectedOn: toBusinessDate(dto.on), rejectedBy: actor.sub, step, reason: dto.reason },
    });
  }
}
