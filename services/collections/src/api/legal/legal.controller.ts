import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { v5 } from 'uuid';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { currentTransaction } from '@arc/event-store';
import { ARC_PG_POOL, Idempotent, IdempotencyKey, toMoney } from '@arc/platform';
import type { CustomerDunningCommand, LegalAction } from '../../domain';
import { legalCasesOf, type LegalCaseView } from '../../views/dunning.queries';
import { dunningCustomersOf } from '../../views/receivables.view';
import { DunningStreamCommands } from '../dunning-stream';
import { ROLE_MATRIX } from '../role-matrix';
import {
  AcknowledgeDebtDto,
  AssignAgencyDto,
  CloseLegalCaseDto,
  HandOverDto,
  LawyerLetterDto,
  RecallAgencyDto,
  RecordJudgmentDto,
  StartProceedingsDto,
} from './legal.dto';

type LegalResponse = { legalCases: LegalCaseView[] };

/**
 * Legal escalation on the customer's dunning stream: while a legal case is open the customer gets no
 * reminders. Collections (or legal) hands over; every later step is legal's. Each answers 201 with the
 * customer's legal cases; 409 when the case is not in a state for the step (no open case, a judgment
 * without proceedings, a second judgment).
 */
@ApiTags('legal')
@Controller('customers/:customerId/legal')
export class LegalController {
  constructor(
    @Inject(DunningStreamCommands) private readonly stream: DunningStreamCommands,
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
  ) {}

  /** Hands the customer over to legal: dunning stops; the limitation date is set three years on. */
  @Post('hand-over')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.handOverToLegal)
  @Idempotent()
  async handOver(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: HandOverDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<LegalResponse> {
    const legalCaseId = key ? v5(`legal-case:${key}`, '0b8e6d0c-3a57-4f0e-8a43-5c1a9e2f7d64') : randomUUID();
    const on = await this.stream.openDay();
    return this.run(customerId, { type: 'HandOverToLegal', data: { customerId, legalCaseId, on, reason: dto.reason } }, actor, key);
  }

  @Post('lawyer-letters')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.recordLegalSteps)
  @Idempotent()
  async lawyerLetter(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: LawyerLetterDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<LegalResponse> {
    return this.step(customerId, 'lawyer-letter', { lawyer: dto.lawyer, note: dto.note ?? '' }, actor, key);
  }

  @Post('agency')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.recordLegalSteps)
  @Idempotent()
  async assignAgency(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: AssignAgencyDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<LegalResponse> {
    return this.step(customerId, 'agency-assigned', { agency: dto.agency, feeBasisPoints: dto.feeBasisPoints }, actor, key);
  }

  @Post('agency/recall')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.recordLegalSteps)
  @Idempotent()
  async recallAgency(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: RecallAgencyDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<LegalResponse> {
    return this.step(customerId, 'agency-recalled', { reason: dto.reason }, actor, key);
  }

  /** Arbitration or litigation: court, case number, the claim and the costs so far. */
  @Post('proceedings')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.recordLegalSteps)
  @Idempotent()
  async proceedings(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: StartProceedingsDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<LegalResponse> {
    const details = { kind: dto.kind, court: dto.court, caseNumber: dto.caseNumber, claim: dto.claim, costs: dto.costs };
    return this.step(customerId, 'proceedings-started', details, actor, key);
  }

  /** The judgment (legal only; after proceedings started; once). */
  @Post('judgment')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.recordLegalSteps)
  @Idempotent()
  async judgment(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: RecordJudgmentDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<LegalResponse> {
    return this.step(customerId, 'judgment', { judgment: dto.judgment, awarded: dto.awarded, note: dto.note ?? '' }, actor, key);
  }

  /** An acknowledgement of the debt: the limitation date starts again from it. */
  @Post('acknowledgements')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.recordLegalSteps)
  @Idempotent()
  async acknowledge(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: AcknowledgeDebtDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<LegalResponse> {
    return this.run(customerId, { type: 'AcknowledgeDebt', data: { customerId, on: dto.acknowledgedOn } }, actor, key);
  }

  /**
   * The outcome (paid, settled, written off) closes the legal case. Written off, collections recommends invoicing
   * to write off what is still open on each invoice (WriteOffRecommended, one per invoice).
   */
  @Post('outcome')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.recordLegalSteps)
  @Idempotent()
  async outcome(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: CloseLegalCaseDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<LegalResponse> {
    const on = await this.stream.openDay();
    // Read in the route's transaction: what a written-off outcome recommends invoicing to write off.
    const [customer] = await dunningCustomersOf(currentTransaction(this.pool) ?? this.pool, [customerId]);
    const command: CustomerDunningCommand = {
      type: 'CloseLegalCase',
      data: {
        customerId,
        on,
        outcome: dto.outcome,
        recovered: toMoney(dto.recovered, 'recovered'),
        note: dto.note ?? '',
        openItems: customer?.items ?? [],
        by: actor.sub,
      },
    };
    return this.run(customerId, command, actor, key);
  }

  /** The customer's legal cases, the open one first. */
  @Get()
  @Roles(ROLE_MATRIX.readLegal)
  async list(@Param('customerId', ParseUUIDPipe) customerId: string): Promise<LegalResponse> {
    return { legalCases: await legalCasesOf(this.pool, customerId) };
  }

  private async step(
    customerId: string,
    action: LegalAction,
    details: Record<string, unknown>,
    actor: AuthenticatedActor,
    key: string | undefined,
  ): Promise<LegalResponse> {
    const on = await this.stream.openDay();
    return this.run(customerId, { type: 'RecordLegalStep', data: { customerId, action, on, details } }, actor, key);
  }

  private async run(
    customerId: string,
    command: CustomerDunningCommand,
    actor: AuthenticatedActor,
    key: string | undefined,
  ): Promise<LegalResponse> {
    await this.stream.execute(customerId, command, actor.id, key);
    return { legalCases: await legalCasesOf(currentTransaction(this.pool) ?? this.pool, customerId) };
  }
}
