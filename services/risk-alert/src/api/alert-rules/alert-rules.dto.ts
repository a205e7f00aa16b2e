import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ALERT_SEVERITIES, type AlertSeverity } from '@arc/contracts';
import { IsMoney, MoneyBody, ValidationProblem, toMoney } from '@arc/platform';
import {
  ALERT_METRICS,
  COMPARISONS,
  MAX_THRESHOLD_BASIS_POINTS,
  MAX_THRESHOLD_COUNT,
  MAX_THRESHOLD_DAYS,
  thresholdProblems,
  type AlertMetric,
  type Comparison,
  type Level,
  type Threshold,
} from '../../domain';

const THRESHOLD_UNITS = ['minor-units', 'basis-points', 'days', 'count'] as const;

export class ThresholdDto {
  @ApiProperty({ enum: THRESHOLD_UNITS, description: "must be the metric's unit" })
  @IsIn(THRESHOLD_UNITS)
  unit!: (typeof THRESHOLD_UNITS)[number];
  @ApiPropertyOptional({ type: MoneyBody, description: "unit 'minor-units'" }) @IsOptional() @IsMoney() amount?: MoneyBody;
  @ApiPropertyOptional({ example: 8000, maximum: MAX_THRESHOLD_BASIS_POINTS, description: "unit 'basis-points' (8000 = 80 %)" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_THRESHOLD_BASIS_POINTS)
  basisPoints?: number;
  @ApiPropertyOptional({ example: 60, maximum: MAX_THRESHOLD_DAYS, description: "unit 'days'" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_THRESHOLD_DAYS)
  days?: number;
  @ApiPropertyOptional({
    example: 3,
    maximum: MAX_THRESHOLD_COUNT,
    description: "unit 'count' (customer-credit-class: the class rank, A = 1 … D = 4)",
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_THRESHOLD_COUNT)
  count?: number;
}

export class EscalationDto {
  @ApiProperty({ type: ThresholdDto, example: { unit: 'basis-points', basisPoints: 10000 } })
  @ValidateNested()
  @Type(() => ThresholdDto)
  threshold!: ThresholdDto;
  @ApiProperty({ enum: ALERT_SEVERITIES, example: 'critical' }) @IsIn(ALERT_SEVERITIES) severity!: AlertSeverity;
}

export class AlertRuleBodyDto {
  @ApiProperty({ example: 'Overdue above 25k' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ enum: ALERT_METRICS }) @IsIn(ALERT_METRICS) metric!: AlertMetric;
  @ApiProperty({ enum: COMPARISONS }) @IsIn(COMPARISONS) comparison!: Comparison;
  @ApiProperty({ type: ThresholdDto }) @ValidateNested() @Type(() => ThresholdDto) threshold!: ThresholdDto;
  @ApiProperty({ enum: ALERT_SEVERITIES }) @IsIn(ALERT_SEVERITIES) severity!: AlertSeverity;
  @ApiPropertyOptional({
    type: [EscalationDto],
    description: 'further levels, each beyond the one before and more severe: crossing one escalates the open alert (default none)',
    example: [{ threshold: { unit: 'basis-points', basisPoints: 10000 }, severity: 'critical' }],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2)
  @ValidateNested({ each: true })
  @Type(() => EscalationDto)
  escalations?: EscalationDto[];
  @ApiPropertyOptional({
    description: 'a customer alert reaching critical asks credit to put the customer on hold (default false)',
    example: true,
  })
  @IsOptional()
  @IsBoolean()
  holdOnCritical?: boolean;
  @ApiPropertyOptional({
    example: 'EUR',
    description: 'segment-* metrics only (required there): the currency of the segment figures watched (KPIs are published per currency)',
  })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/)
  currency?: string;
}

export const RULE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export class DefineAlertRuleDto extends AlertRuleBodyDto {
  @ApiPropertyOptional({ example: 'overdue-above-25k', description: 'default: a new UUID (the Idempotency-Key when given)' })
  @IsOptional()
  @Matches(RULE_ID_PATTERN)
  ruleId?: string;
}

export class RetireAlertRuleDto {
  @ApiProperty({ example: 'replaced by a ratio rule' }) @IsString() @IsNotEmpty() @MaxLength(500) reason!: string;
}

/**
 * The threshold the body describes, checked against the metric: a threshold in another unit than the
 * metric's (a ratio for a money metric), or without its value, is a 400 and nothing is appended.
 */
export function thresholdOf(metric: AlertMetric, dto: ThresholdDto): Threshold {
  const invalid = (detail: string): ValidationProblem => new ValidationProblem([{ field: 'threshold', constraint: 'fitsMetric', detail }]);
  const given = (['amount', 'basisPoints', 'days', 'count'] as const).filter((field) => dto[field] !== undefined);
  const expectedField =
    dto.unit === 'minor-units' ? 'amount' : dto.unit === 'basis-points' ? 'basisPoints' : dto.unit === 'days' ? 'days' : 'count';
  if (given.length !== 1 || given[0] !== expectedField) {
    throw invalid(`a threshold in ${dto.unit} takes exactly the field ${expectedField}`);
  }
  const threshold: Threshold =
    dto.unit === 'minor-units'
      ? { unit: 'minor-units', amount: toMoney(dto.amount as MoneyBody, 'threshold.amount') }
      : dto.unit === 'basis-points'
        ? { unit: 'basis-points', basisPoints: dto.basisPoints as number }
        : dto.unit === 'days'
          ? { unit: 'days', days: dto.days as number }
          : { unit: 'count', count: dto.count as number };
  const problems = thresholdProblems(metric, threshold);
  if (problems.length > 0) throw invalid(problems.join('; '));
  return threshold;
}

/** The escalation levels the body describes, each threshold checked against the metric like the rule's own. */
export function levelsOf(metric: AlertMetric, escalations: readonly EscalationDto[] | undefined): Level[] {
  return (escalations ?? []).map((level) => ({ threshold: thresholdOf(metric, level.threshold), severity: level.severity }));
}
