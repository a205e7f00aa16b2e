import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Roles } from '@arc/auth';
import { ValidationProblem } from '@arc/platform';
import { alertRuleDecider, ruleSnapshot, type RuleSnapshot } from '../../domain';
import { BacktestRunner } from '../../backtest/log-source';
import { levelsOf, thresholdOf } from '../alert-rules/alert-rules.dto';
import { ROLE_MATRIX } from '../role-matrix';
import { RunBacktestDto } from './backtests.dto';

const EXAMPLE = {
  from: '2026-02-01',
  to: '2026-04-30',
  rules: [
    {
      ruleId: 'ninety-plus-above-10k',
      name: '90+ above 10,000.00',
      metric: 'customer-overdue-90-plus',
      comparison: '>',
      threshold: { unit: 'minor-units', amount: { amountMinor: '1000000', currency: 'EUR' } },
      severity: 'warning',
    },
  ],
};

/**
 * Backtests: what a proposed rule set would have raised over a past period of the change log. A read: the
 * rules are not defined, no alert is appended, nothing is queued for a webhook or published.
 */
@ApiTags('alert-backtests')
@Controller('alert-backtests')
export class BacktestsController {
  constructor(@Inject(BacktestRunner) private readonly runner: BacktestRunner) {}

  /** 200 `{ period, changesEvaluated, eventsRead, alerts }`; 400 for a rule that would be refused, or from after to. */
  @Post()
  @HttpCode(200)
  @Roles(ROLE_MATRIX.runBacktest)
  @ApiBody({ type: RunBacktestDto, examples: { '90+ above 10,000.00 over February–April': { value: EXAMPLE } } })
  async run(@Body() dto: RunBacktestDto): Promise<object> {
    if (dto.from > dto.to) throw new ValidationProblem([{ field: 'from', constraint: 'notAfterTo', detail: 'from must not be after to' }]);
    if (new Set(dto.rules.map((r) => r.ruleId)).size !== dto.rules.length) {
      throw new ValidationProblem([{ field: 'rules', constraint: 'uniqueRuleIds', detail: 'each rule needs its own ruleId' }]);
    }
    const rules: RuleSnapshot[] = dto.rules.map((rule) => {
      // Checked exactly as a definition would be (InvalidAlertRuleError answers 400), then evaluated as that rule.
      const events = alertRuleDecider.decide(
        {
          type: 'DefineRule',
          data: {
            ruleId: rule.ruleId,
            name: rule.name,
            metric: rule.metric,
            comparison: rule.comparison,
            threshold: thresholdOf(rule.metric, rule.threshold),
            severity: rule.severity,
            escalations: levelsOf(rule.metric, rule.escalations),
            holdOnCritical: rule.holdOnCritical ?? false,
            currency: rule.currency ?? null,
            definedBy: 'backtest',
            definedAt: `${dto.from}T00:00:00.000Z`,
          },
        },
        alertRuleDecider.initialState,
      );
      const snapshot = ruleSnapshot(events.reduce(alertRuleDecider.evolve, alertRuleDecider.initialState));
      if (snapshot === null) throw new Error(`rule ${rule.ruleId} did not define`);
      return snapshot;
    });
    return this.runner.run(rules, { from: dto.from, to: dto.to });
  }
}
