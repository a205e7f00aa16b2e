import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  StreamableFile,
} from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import type { StatementConfirmedData, StatementIssuedData, StatementObjectedData } from '@arc/contracts';
import { eventIdFor } from '@arc/decider';
import { PDF_CONTENT_TYPE } from '@arc/documents';
import { Commands, IdempotencyKey, Idempotent, toBusinessDate, toMoney } from '@arc/platform';
import { statementDecider, statementStreamId, type Statement } from '../domain/statement.decider';
import { InvoiceNotIssuedError } from '../domain/invoice.errors';
import { InvoiceCommands } from '../invoice-commands';
import { CustomerNamesView } from '../views/customer-names.view';
import { ReceivablesView } from '../views/receivables.view';
import { commandContext } from '../api/command-context';
import { ROLE_MATRIX } from '../api/role-matrix';
import { ConfirmStatementDto, IssueStatementDto, ObjectToStatementDto } from './statement.dto';
import { Statements, statementPdf } from './statements';

export type StatementResponse = StatementIssuedData & {
  status: 'issued' | 'confirmed' | 'objected';
  answer: StatementConfirmedData | StatementObjectedData | null;
};

function response(statementId: string, state: Statement): StatementResponse {
  if (state.status === 'none') throw new NotFoundException(`no statement ${statementId} was issued`);
  return { ...state.statement, status: state.status, answer: state.answer };
}

/**
 * Statements of account: issued at the close of each month's last day (the day-close consumer) and on demand
 * here; served as JSON and as the PDF the customer receives; the customer's confirmation or objection is
 * recorded, and each item objected to opens a dispute on its invoice in the same request.
 */
@ApiTags('statements')
@Controller('statements')
export class StatementController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(Statements) private readonly statements: Statements,
    @Inject(ReceivablesView) private readonly view: ReceivablesView,
    @Inject(InvoiceCommands) private readonly invoices: InvoiceCommands,
    @Inject(CustomerNamesView) private readonly names: CustomerNamesView,
  ) {}

  /** 201: a statement for the period, equal to the ledger's movements; the same period again answers the same statement. */
  @Post()
  @HttpCode(201)
  @Roles(ROLE_MATRIX.issueStatement)
  @Idempotent()
  async issue(@Body() dto: IssueStatementDto, @Actor() actor: AuthenticatedActor): Promise<StatementResponse> {
    const customerId = dto.customerId.toLowerCase();
    const currency = dto.currency ?? (await this.view.currenciesOf(customerId))[0];
    if (currency === undefined) throw new NotFoundException(`no invoice was issued to customer ${customerId}`);
    const periodFrom = toBusinessDate(dto.periodFrom);
    const periodTo = toBusinessDate(dto.periodTo);
    if (periodTo < periodFrom) throw new NotFoundException('periodTo is before periodFrom: no such period');
    const issued = await this.statements.issue({
      customerId,
      currency,
      periodFrom,
      periodTo,
      issuedOn: toBusinessDate(dto.issuedOn),
      trigger: 'on-demand',
      actor: actor.id,
    });
    return response(issued.statementId, await this.statements.load(issued.statementId));
  }

  @Get(':statementId')
  @Roles(ROLE_MATRIX.readStatement)
  async statement(@Param('statementId', ParseUUIDPipe) statementId: string): Promise<StatementResponse> {
    const id = statementId.toLowerCase();
    return response(id, await this.statements.load(id));
  }

  /** The statement as a PDF (opening balance, every movement, closing balance). */
  @Get(':statementId/pdf')
  @Roles(ROLE_MATRIX.readStatement)
  @ApiProduces(PDF_CONTENT_TYPE)
  @Header('content-type', PDF_CONTENT_TYPE)
  async pdf(@Param('statementId', ParseUUIDPipe) statementId: string): Promise<StreamableFile> {
    const id = statementId.toLowerCase();
    const statement = response(id, await this.statements.load(id));
    const to = await this.names.addressOf(statement.customerId);
    return new StreamableFile(await statementPdf(statement, to), {
      type: PDF_CONTENT_TYPE,
      disposition: `inline; filename="statement-${id}.pdf"`,
    });
  }

  /** 200: the customer confirmed the statement. 409 `STATEMENT_ALREADY_ANSWERED` after an objection. */
  @Post(':statementId/confirm')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.answerStatement)
  @Idempotent()
  async confirm(
    @Param('statementId', ParseUUIDPipe) statementId: string,
    @Body() dto: ConfirmStatementDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<StatementResponse> {
    const id = statementId.toLowerCase();
    const state = await this.statements.load(id);
    const { newState } = await this.commands.execute(statementDecider, {
      streamId: statementStreamId(id),
      command: { type: 'ConfirmStatement', data: { confirmedOn: toBusinessDate(dto.confirmedOn), confirmedBy: dto.confirmedBy } },
      commandId: key ?? `confirm:${id}`,
      customerId: state.status === 'none' ? id : state.statement.customerId,
      actor: actor.id,
      occurredAt: new Date().toISOString(),
    });
    return response(id, newState);
  }

  /**
   * 200: the customer objects; each item opens a dispute (reason 'statement-objection' unless given) on its
   * invoice for the contested amount, in this request's transaction. 422 `OBJECTION_ITEM_NOT_ON_STATEMENT`;
   * 409 `AMOUNT_EXCEEDS_OPEN_BALANCE` when an item contests more than is open and undisputed.
   */
  @Post(':statementId/objection')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.answerStatement)
  @Idempotent()
  async object(
    @Param('statementId', ParseUUIDPipe) statementId: string,
    @Body() dto: ObjectToStatementDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<StatementResponse> {
    const id = statementId.toLowerCase();
    const state = await this.statements.load(id);
    if (state.status === 'none') throw new NotFoundException(`no statement ${id} was issued`);
    const onStatement = new Set(state.statement.items.map((item) => item.invoiceId));
    const items = [];
    for (const item of dto.items) {
      const invoiceId = item.invoiceId.toLowerCase();
      const amount = toMoney(item.amount, 'amount');
      let disputeId: string | null = null;
      // Items not on the statement are refused by the statement's decider below, before any dispute counts.
      if (onStatement.has(invoiceId) && state.status === 'issued') {
        disputeId = eventIdFor(`objection:${id}:${invoiceId}`, 0);
        const invoice = await this.invoices.state(invoiceId);
        if (invoice.status !== 'issued') throw new InvoiceNotIssuedError('RaiseDispute');
        await this.invoices.execute({
          ...commandContext(invoiceId, invoice.customerId, key === undefined ? undefined : `${key}:${invoiceId}`, disputeId),
          actor: actor.id,
          command: {
            type: 'RaiseDispute',
            data: {
              disputeId,
              amount,
              reasonCode: item.reasonCode ?? 'statement-objection',
              note: item.note,
              evidenceRefs: [`statement:${id}`],
              raisedOn: toBusinessDate(dto.objectedOn),
              raisedByRole: 'customer',
              source: `statement:${id}`,
            },
          },
        });
      }
      items.push({ invoiceId, amount, note: item.note, disputeId });
    }
    const { newState } = await this.commands.execute(statementDecider, {
      streamId: statementStreamId(id),
      command: {
        type: 'ObjectToStatement',
        data: { objectedOn: toBusinessDate(dto.objectedOn), objectedBy: dto.objectedBy, note: dto.note, items },
      },
      commandId: key ?? `objection:${id}`,
      customerId: state.statement.customerId,
      actor: actor.id,
      occurredAt: new Date().toISOString(),
    });
    return response(id, newState);
  }
}
