import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { Pool } from 'pg';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { ARC_PG_POOL, IsBusinessDate, IdempotencyKey, UnprocessableProblem, RequiresReadModel } from '@arc/platform';
import { DunningRunner, type RunOutcome } from '../../dunning/dunning-runner';
import { listSteps, type DunningStepView } from '../../views/dunning.queries';
import { ReceivablesView, RECEIVABLES_READ_MODEL } from '../../views/receivables.view';
import { commandContext } from '../command-context';
import { ROLE_MATRIX } from '../role-matrix';

export class RunDunningDto {
  @ApiProperty({ example: '2026-04-15', description: 'the business day to run; a real run needs it closed already' })
  @IsBusinessDate()
  businessDate!: string;

  @ApiPropertyOptional({ example: true, description: 'true: list what the run would do, appending and sending nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class ListStepsQuery {
  @ApiPropertyOptional({ example: 'c0ffee00-0000-4000-8000-000000000001' }) @IsOptional() @IsUUID() customerId?: string;
  @ApiPropertyOptional({ example: '2026-04-15' }) @IsOptional() @IsBusinessDate() businessDate?: string;
  @ApiPropertyOptional({ example: 100, description: '1–1000, default 100' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

@ApiTags('dunning')
@Controller('dunning')
export class DunningRunsController {
  constructor(
    @Inject(DunningRunner) private readonly runner: DunningRunner,
    @Inject(ReceivablesView) private readonly receivables: ReceivablesView,
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
  ) {}

  /**
   * Runs the dunning of a closed business day now (each closed day runs it by itself), or with `dryRun`
   * lists exactly what it would do. Steps already executed are never repeated: running a day again does only
   * what is new since. 200 with the actions; 422 for a real run of a day not closed yet.
   */
  @Post('runs')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.runDunning)
  @RequiresReadModel(RECEIVABLES_READ_MODEL)
  async run(
    @Body() dto: RunDunningDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<RunOutcome> {
    if (dto.dryRun === true) return this.runner.dryRun(dto.businessDate);
    const lastClosed = await this.receivables.lastClosedDay();
    if (lastClosed === null || dto.businessDate > lastClosed)
      throw new UnprocessableProblem(
        `${dto.businessDate} is not closed yet (last closed day: ${lastClosed ?? 'none'}): only a dry run can look ahead`,
      );
    const { commandId, occurredAt } = commandContext(key);
    return this.runner.runEach(dto.businessDate, { triggerId: commandId, actor: actor.id, causationId: null, occurredAt });
  }

  /** The dunning log: steps executed, newest day first. */
  @Get('steps')
  @Roles(ROLE_MATRIX.readCases)
  async steps(@Query() query: ListStepsQuery): Promise<{ steps: DunningStepView[] }> {
    return { steps: await listSteps(this.pool, query.customerId, query.businessDate, query.limit ?? 100) };
  }
}
