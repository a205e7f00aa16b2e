import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import type { AlertSubject } from '@arc/contracts';
import { IdempotencyKey, Idempotent, ValidationProblem } from '@arc/platform';
import { AlertCommands } from '../../commands/alert-commands';
import { AlertsView } from '../../views/alerts.view';
import { RULE_ID_PATTERN } from '../alert-rules/alert-rules.dto';
import { ROLE_MATRIX } from '../role-matrix';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(
    @Inject(AlertsView) private readonly view: AlertsView,
    @Inject(AlertCommands) private readonly alerts: AlertCommands,
  ) {}

  /** The alerts as far as the consumer has got, newest business date first (at most 1000). */
  @Get()
  @Roles(ROLE_MATRIX.readAlerts)
  @ApiQuery({ name: 'status', required: false, enum: ['open', 'resolved'] })
  @ApiQuery({ name: 'customerId', required: false })
  @ApiQuery({ name: 'ruleId', required: false, description: 'the alerts of one rule (any subject: portfolio, business unit, class …)' })
  async list(
    @Query('status') status?: string,
    @Query('customerId') customerId?: string,
    @Query('ruleId') ruleId?: string,
  ): Promise<object> {
    const errors = [];
    if (status !== undefined && status !== 'open' && status !== 'resolved') {
      errors.push({ field: 'status', constraint: 'isIn', detail: 'status must be open or resolved' });
    }
    if (customerId !== undefined && !UUID.test(customerId))
      errors.push({ field: 'customerId', constraint: 'isUuid', detail: 'customerId must be a UUID' });
    if (ruleId !== undefined && !RULE_ID_PATTERN.test(ruleId)) {
      errors.push({ field: 'ruleId', constraint: 'matches', detail: 'ruleId must be letters, digits, . _ -' });
    }
    if (errors.length > 0) throw new ValidationProblem(errors);
    const filter = {
      ...(ruleId === undefined ? {} : { ruleId }),
      ...(status === undefined ? {} : { status: status as 'open' | 'resolved' }),
      ...(customerId === undefined ? {} : { customerId }),
    };
    return { alerts: await this.view.list(filter) };
  }

  /** 200 with the alert; 404 for an unknown alert, 409 (ALERT_NOT_OPEN) for one already resolved. */
  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.acknowledgeAlert)
  @Idempotent()
  async acknowledge(
    @Param('id', ParseUUIDPipe) id: string,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<object> {
    const alert = await this.view.find(id);
    if (alert === undefined) throw new NotFoundException(`alert ${id} is not known`);
    const subject = { kind: alert.subject.kind, key: alert.subject.key } as AlertSubject;
    await this.alerts.acknowledge(alert.streamId, subject, id, actor.id, key ?? randomUUID(), new Date().toISOString());
    const { streamId: _streamId, ...answer } = (await this.view.find(id)) ?? alert;
    return answer;
  }
}
