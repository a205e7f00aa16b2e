import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { v5 } from 'uuid';
import { currentTransaction } from '@arc/event-store';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { money } from '@arc/money';
import { ARC_PG_POOL, Idempotent, IdempotencyKey, toMoney, UnprocessableProblem, RequiresReadModel } from '@arc/platform';
import type { ArrangementKind } from '@arc/contracts';
import { ReceivablesView, RECEIVABLES_READ_MODEL } from '../../views/receivables.view';
import { arrangementsOf, type ArrangementView } from '../../views/dunning.queries';
import { DunningStreamCommands } from '../dunning-stream';
import { ROLE_MATRIX } from '../role-matrix';
import { AgreePlanDto, MakePromiseDto, type InstalmentDto } from './arrangement.dto';

/**
 * Promises to pay and repayment plans: recorded on the customer's dunning stream (dunning leaves the items
 * they cover alone while they hold), decided kept or broken at each day close from the payments collections
 * sees. Both answer 201 with the customer's arrangements.
 */
@ApiTags('promises and plans')
@Controller('customers/:customerId')
export class ArrangementsController {
  constructor(
    @Inject(DunningStreamCommands) private readonly stream: DunningStreamCommands,
    @Inject(ReceivablesView) private readonly receivables: ReceivablesView,
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
  ) {}

  /** Records a promise to pay (one date, or a few). 422 if the customer already has an open promise. */
  @Post('promises')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.recordArrangements)
  @RequiresReadModel(RECEIVABLES_READ_MODEL)
  @Idempotent()
  async promise(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: MakePromiseDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<{ arrangements: ArrangementView[] }> {
    return this.make(customerId, 'promise', dto.payments, dto, dto.invoiceIds ?? [], 0, actor, key);
  }

  /** Agrees a repayment plan (two instalments or more). 422 if the customer already has an open plan. */
  @Post('repayment-plans')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.recordArrangements)
  @RequiresReadModel(RECEIVABLES_READ_MODEL)
  @Idempotent()
  async plan(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: AgreePlanDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<{ arrangements: ArrangementView[] }> {
    return this.make(customerId, 'plan', dto.instalments, dto, [], dto.interestBasisPoints ?? 0, actor, key);
  }

  /** The customer's promises and plans, oldest first, with how far each was kept. */
  @Get('arrangements')
  @Roles(ROLE_MATRIX.readArrangements)
  async list(@Param('customerId', ParseUUIDPipe) customerId: string): Promise<{ arrangements: ArrangementView[] }> {
    return { arrangements: await arrangementsOf(this.pool, customerId) };
  }

  private async make(
    customerId: string,
    kind: ArrangementKind,
    instalments: InstalmentDto[],
    terms: { graceDays?: number; tolerance?: { amountMinor: string; currency: string }; note?: string },
    invoiceIds: string[],
    interestBasisPoints: number,
    actor: AuthenticatedActor,
    key: string | undefined,
  ): Promise<{ arrangements: ArrangementView[] }> {
    const madeOn = await this.stream.openDay();
    const parsed = instalments.map((i, n) => ({ dueOn: i.dueOn, amount: toMoney(i.amount, `instalments[${n}].amount`) }));
    const currency = parsed[0]?.amount.currency ?? 'EUR';
    // Read in the route's transaction (a second pool connection per request can starve the pool).
    const paid =
      (await this.receivables.paidToDate(customerId, currentTransaction(this.pool) ?? this.pool)).find((m) => m.currency === currency) ??
      money(0n, currency);
    if (parsed.some((i) => i.dueOn < madeOn))
      throw new UnprocessableProblem(`every date must be on or after the open business day ${madeOn}`);
    await this.stream.execute(
      customerId,
      {
        type: 'MakeArrangement',
        data: {
          customerId,
          // Derived from the key when there is one, so a retried request names the same arrangement.
          arrangementId: key ? uuidFromKey(key) : randomUUID(),
          kind,
          madeOn,
          instalments: parsed,
          graceDays: terms.graceDays ?? 0,
          tolerance: terms.tolerance ? toMoney(terms.tolerance, 'tolerance') : money(0n, currency),
          invoiceIds,
          paidToDate: paid,
          interestBasisPoints,
          note: terms.note ?? '',
        },
      },
      actor.id,
      key,
    );
    return { arrangements: await arrangementsOf(currentTransaction(this.pool) ?? this.pool, customerId) };
  }
}

const uuidFromKey = (key: string): string => v5(`arrangement:${key}`, '6f1c9a52-2f0e-4c1b-9a4e-0d8f3b7c5e21');
