import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import type { AlertSubject } from '@arc/contracts';
import { IdempotencyKey, Idempotent, ValidationProblem } from '@arc/platform';
import { AlertCommands } from '../../commands/alert-commands';
import { AlertsView } from '../../views/alerts.view';
import { RULE_ID_PATTERN } from '../alert-rules/alert-rules.dto';
import { ROLE_MATRIX } from '../role-matrix';

/** An overdue-amount alert and the invoices behind it, as GET /v1/alerts answers it. */
const ALERTS_EXAMPLE = {
  alerts: [
    {
      alertId: '0b4a6f3e-2f7c-5b1e-9a54-3c1d2e4f5a6b',
      ruleId: 'overdue-above-25k',
      metric: 'customer-overdue-amount',
      subject: { kind: 'customer', key: 'c0ffee00-0000-4000-8000-000000000001' },
      severity: 'critical',
      observedValue: '3300000',
      thresholdValue: '2500000',
      unit: 'minor-units',
      currency: 'EUR',
      message: 'overdue amount 33000.00 EUR > 25000.00 EUR (Overdue above 25k)',
      invoices: [
        {
          invoiceId: '7f3c2a1e-4b5d-4c6e-8f90-123456789abc',
          invoiceNumber: 'INV-2026-000123',
          dueDate: '2026-03-01',
          open: { amountMinor: '1800000', currency: 'EUR' },
          daysPastDue: 45,
        },
        {
          invoiceId: '7f3c2a1e-4b5d-4c6e-8f90-123456789abd',
          invoiceNumber: 'INV-2026-000124',
          dueDate: '2026-04-01',
          open: { amountMinor: '1500000', currency: 'EUR' },
          daysPastDue: 14,
        },
      ],
      status: 'open',
      raisedOn: '2026-04-15',
      escalatedOn: null,
      holdRequested: false,
      resolvedOn: null,
      resolution: null,
      acknowledgedBy: null,
      acknowledgedAt: null,
    },
  ],
};

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
  @ApiQuery({
    name: 'customerId',
    required: false,
    schema: { type: 'string', format: 'uuid' },
    description: 'the alerts on the customer and on its invoices',
  })
  @ApiQuery({
    name: 'ruleId',
    required: false,
    schema: { type: 'string', pattern: RULE_ID_PATTERN.source },
    description: 'the alerts of one rule (any subject: portfolio, business unit, class …)',
  })
  @ApiOkResponse({
    description: 'the alerts, each with the invoices behind its figure (money metrics of a customer or an invoice)',
    schema: { example: ALERTS_EXAMPLE },
  })
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
