import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Logger, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { Commands, IdempotencyKey, Idempotent, ValidationProblem } from '@arc/platform';
import { alertRuleDecider, alertRuleStreamId, ruleSnapshot, type AlertRule, type AlertRuleCommand } from '../../domain';
import { AlertRulesView, ruleJson } from '../../views/alert-rules.view';
import { AlertCommands } from '../../commands/alert-commands';
import { ROLE_MATRIX } from '../role-matrix';
import { AlertRuleBodyDto, DefineAlertRuleDto, RetireAlertRuleDto, RULE_ID_PATTERN, levelsOf, thresholdOf } from './alert-rules.dto';

const RULE_EXAMPLES = {
  'utilisation: warning above 80 %, escalating to critical (and a credit hold) above 100 %': {
    value: {
      ruleId: 'utilisation-80-100',
      name: 'Utilisation',
      metric: 'customer-utilisation',
      comparison: '>',
      threshold: { unit: 'basis-points', basisPoints: 8000 },
      severity: 'warning',
      escalations: [{ threshold: { unit: 'basis-points', basisPoints: 10000 }, severity: 'critical' }],
      holdOnCritical: true,
    },
  },
  'overdue per customer above 25,000.00 EUR': {
    value: {
      name: 'Overdue above 25k',
      metric: 'customer-overdue-amount',
      comparison: '>',
      threshold: { unit: 'minor-units', amount: { amountMinor: '2500000', currency: 'EUR' } },
      severity: 'critical',
    },
  },
  'DSO of a business unit above 45 days (EUR figures)': {
    value: {
      ruleId: 'dso-above-45',
      name: 'DSO above target',
      metric: 'segment-dso',
      comparison: '>',
      threshold: { unit: 'days', days: 45 },
      severity: 'warning',
      currency: 'EUR',
    },
  },
};

function requireRuleId(ruleId: string): string {
  if (!RULE_ID_PATTERN.test(ruleId))
    throw new ValidationProblem([{ field: 'id', constraint: 'matches', detail: 'id must be a rule id (letters, digits, . _ -)' }]);
  return ruleId;
}

@ApiTags('alert-rules')
@Controller('alert-rules')
export class AlertRulesController {
  private readonly logger = new Logger('AlertRulesController');

  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(AlertRulesView) private readonly rules: AlertRulesView,
    @Inject(AlertCommands) private readonly alerts: AlertCommands,
  ) {}

  /** 201 with the rule; defining the same rule again records nothing. */
  @Post()
  @Roles(ROLE_MATRIX.manageAlertRules)
  @Idempotent()
  @ApiBody({ type: DefineAlertRuleDto, examples: RULE_EXAMPLES })
  async define(
    @Body() dto: DefineAlertRuleDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<object> {
    const threshold = thresholdOf(dto.metric, dto.threshold);
    const ruleId = dto.ruleId ?? key ?? randomUUID();
    const occurredAt = new Date().toISOString();
    return this.run(ruleId, key, actor, occurredAt, {
      type: 'DefineRule',
      data: {
        ruleId,
        name: dto.name,
        metric: dto.metric,
        comparison: dto.comparison,
        threshold,
        severity: dto.severity,
        escalations: levelsOf(dto.metric, dto.escalations),
        holdOnCritical: dto.holdOnCritical ?? false,
        currency: dto.currency ?? null,
        definedBy: actor.id,
        definedAt: occurredAt,
      },
    });
  }

  /** 200 with the rule now in force; the metric cannot change (retire and define a new rule). */
  @Put(':id')
  @Roles(ROLE_MATRIX.manageAlertRules)
  @Idempotent()
  async change(
    @Param('id') id: string,
    @Body() dto: AlertRuleBodyDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<object> {
    const ruleId = requireRuleId(id);
    const threshold = thresholdOf(dto.metric, dto.threshold);
    const occurredAt = new Date().toISOString();
    return this.run(ruleId, key, actor, occurredAt, {
      type: 'ChangeRule',
      data: {
        ruleId,
        name: dto.name,
        metric: dto.metric,
        comparison: dto.comparison,
        threshold,
        severity: dto.severity,
        escalations: levelsOf(dto.metric, dto.escalations),
        holdOnCritical: dto.holdOnCritical ?? false,
        currency: dto.currency ?? null,
        changedBy: actor.id,
        changedAt: occurredAt,
      },
    });
  }

  /** 200 with the retired rule; its open alerts resolve as 'rule-withdrawn'. */
  @Post(':id/retire')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.manageAlertRules)
  @Idempotent()
  async retire(
    @Param('id') id: string,
    @Body() dto: RetireAlertRuleDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<object> {
    const ruleId = requireRuleId(id);
    const occurredAt = new Date().toISOString();
    const answer = await this.run(ruleId, key, actor, occurredAt, {
      type: 'RetireRule',
      data: { ruleId, retiredBy: actor.id, retiredAt: occurredAt, reason: dto.reason },
    });
    await this.alerts.withdrawOpenAlerts(ruleId, actor.id, occurredAt);
    return answer;
  }

  @Get()
  @Roles(ROLE_MATRIX.readAlertRules)
  @ApiQuery({ name: 'status', required: false, enum: ['active', 'retired'] })
  async list(@Query('status') status?: string): Promise<object> {
    if (status !== undefined && status !== 'active' && status !== 'retired') {
      throw new ValidationProblem([{ field: 'status', constraint: 'isIn', detail: 'status must be active or retired' }]);
    }
    return { rules: (await this.rules.list(status)).map(ruleJson) };
  }

  private async run(
    ruleId: string,
    key: string | undefined,
    actor: AuthenticatedActor,
    occurredAt: string,
    command: AlertRuleCommand,
  ): Promise<object> {
    const result = await this.commands.execute(alertRuleDecider, {
      streamId: alertRuleStreamId(ruleId),
      // Rules are not about one customer, and their events never leave the service: the rule id keys them.
      customerId: ruleId,
      command,
      commandId: key ?? randomUUID(),
      actor: actor.id,
      occurredAt,
    });
    await this.rules.record(result.newState, result.streamVersion);
    if (result.events.length > 0) this.logger.log(`${command.type} ${ruleId}: ${result.events.map((e) => e.eventType).join(', ')}`);
    return answer(result.newState);
  }
}

function answer(rule: AlertRule): object {
  if (rule.status === 'undefined') return {};
  const snapshot = ruleSnapshot(rule) ?? rule;
  return ruleJson({ ...snapshot, status: rule.status });
}
