import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { v5 } from 'uuid';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { currentTransaction } from '@arc/event-store';
import { ARC_PG_POOL, Commands, Idempotent, IdempotencyKey } from '@arc/platform';
import { ASSIGNMENT_RULES_STREAM, assignmentRulesDecider, type AssignmentRules } from '../../domain';
import { tasksDue, type TaskView } from '../../views/dunning.queries';
import {
  activitiesOf,
  collectorKpis,
  worklist,
  type ActivityView,
  type CollectorKpis,
  type WorklistEntry,
} from '../../views/worklist.queries';
import { commandContext } from '../command-context';
import { DunningStreamCommands } from '../dunning-stream';
import { ROLE_MATRIX } from '../role-matrix';
import { KpiQuery, LogActivityDto, ReassignDto, SetAssignmentRulesDto, WorklistQuery } from './worklist.dto';
import { TasksDueQuery } from './tasks-due.query';

/**
 * The collectors' worklist: customers with money overdue ordered by priority (overdue amount × class weight ×
 * age × broken promises, see src/domain/worklist.ts), their collector (assignment rules at each day's run, or
 * reassigned by hand), an activity log per customer and the next actions due.
 */
@ApiTags('worklist')
@Controller()
export class WorklistController {
  constructor(
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
    @Inject(Commands) private readonly commands: Commands,
    @Inject(DunningStreamCommands) private readonly stream: DunningStreamCommands,
  ) {}

  @Get('worklist')
  @Roles(ROLE_MATRIX.readWorklist)
  async list(@Query() query: WorklistQuery): Promise<{ on: string; cases: WorklistEntry[] }> {
    const on = query.on ?? (await this.stream.openDay());
    return { on, cases: await worklist(this.pool, on, query.collector, query.limit ?? 100) };
  }

  /** Tasks the dunning created (calls, letters, hand-overs) due on or before a day. */
  @Get('worklist/tasks')
  @Roles(ROLE_MATRIX.readWorklist)
  async tasks(@Query() query: TasksDueQuery): Promise<{ on: string; tasks: TaskView[] }> {
    const on = query.on ?? (await this.stream.openDay());
    return { on, tasks: await tasksDue(this.pool, on, null, query.limit ?? 100) };
  }

  /**
   * Per collector over a period: cases worked, activities, promises decided and the share kept, amount collected
   * and the collection effectiveness index (CEI) per currency, over the customers assigned to the collector.
   */
  @Get('worklist/kpis')
  @Roles(ROLE_MATRIX.readWorklist)
  @ApiOkResponse({
    schema: {
      example: {
        from: '2026-04-01',
        to: '2026-04-30',
        collectors: [
          {
            collector: 'anna',
            casesWorked: 12,
            activities: 30,
            promisesKept: 3,
            promisesDecided: 4,
            promisesKeptBasisPoints: 7500,
            amountCollected: [{ amountMinor: '1250000', currency: 'EUR' }],
            cei: [
              { currency: 'EUR', basisPoints: '8140', beginning: '4000000', sales: '1000000', ending: '1500000', endingCurrent: '700000' },
            ],
          },
        ],
      },
    },
  })
  async kpis(@Query() query: KpiQuery): Promise<{ from: string; to: string; collectors: CollectorKpis[] }> {
    return { from: query.from, to: query.to, collectors: await collectorKpis(this.pool, query.from, query.to) };
  }

  @Get('worklist/assignment-rules')
  @Roles(ROLE_MATRIX.readWorklist)
  async rules(): Promise<AssignmentRules> {
    return (await this.commands.load(assignmentRulesDecider, ASSIGNMENT_RULES_STREAM)).state;
  }

  /** Replaces the assignment rules; they apply to customers without a collector at the next run. */
  @Put('worklist/assignment-rules')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.manageStrategies)
  @Idempotent()
  async setRules(
    @Body() dto: SetAssignmentRulesDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<AssignmentRules> {
    const { newState } = await this.commands.execute(assignmentRulesDecider, {
      ...commandContext(key),
      streamId: ASSIGNMENT_RULES_STREAM,
      customerId: '00000000-0000-0000-0000-000000000000',
      actor: actor.id,
      command: { type: 'SetAssignmentRules', data: { rules: dto.rules, roundRobin: dto.roundRobin } },
    });
    return newState;
  }

  /** Gives the customer to another collector (201 with the collector). */
  @Post('customers/:customerId/collector')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.reassignCases)
  @Idempotent()
  async reassign(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: ReassignDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<{ customerId: string; collector: string | null }> {
    const on = await this.stream.openDay();
    const state = await this.stream.execute(
      customerId,
      { type: 'AssignCollector', data: { customerId, collector: dto.collector, on, reason: 'manual' } },
      actor.id,
      key,
    );
    return { customerId, collector: state.collector };
  }

  /** Logs a call, e-mail, visit, letter or note on the customer (201 with the customer's activity log). */
  @Post('customers/:customerId/activities')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.logActivities)
  @Idempotent()
  async log(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: LogActivityDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<{ activities: ActivityView[] }> {
    const on = await this.stream.openDay();
    const activityId = key ? v5(`activity:${key}`, '3c0e8f1a-5b2d-4e7c-9a61-8d4f2b0c7e95') : randomUUID();
    const data = {
      customerId,
      activityId,
      kind: dto.kind,
      on,
      collector: actor.id,
      outcome: dto.outcome,
      note: dto.note ?? '',
      nextActionOn: dto.nextActionOn ?? null,
    };
    await this.stream.execute(customerId, { type: 'LogActivity', data }, actor.id, key);
    return { activities: await activitiesOf(currentTransaction(this.pool) ?? this.pool, customerId) };
  }

  @Get('customers/:customerId/activities')
  @Roles(ROLE_MATRIX.readCases)
  async activities(@Param('customerId', ParseUUIDPipe) customerId: string): Promise<{ activities: ActivityView[] }> {
    return { activities: await activitiesOf(this.pool, customerId) };
  }
}
