import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
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
import { CREDIT_CLASSES } from '@arc/contracts';
import { IsBusinessDate } from '@arc/platform';
import { ACTIVITY_KINDS, type ActivityKind } from '../../domain';

const COLLECTOR = /^[A-Za-z0-9._@-]{1,64}$/;

export class AssignmentRuleDto {
  @ApiProperty({ example: 'anna' }) @Matches(COLLECTOR) collector!: string;
  @ApiPropertyOptional({ example: 'EU' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) businessUnit?: string;
  @ApiPropertyOptional({ enum: CREDIT_CLASSES, example: 'D' }) @IsOptional() @IsIn(CREDIT_CLASSES) creditClass?: string;
  @ApiPropertyOptional({ example: '10000000', description: 'overdue from this many minor units (inclusive)' })
  @IsOptional()
  @Matches(/^\d{1,18}$/)
  minOverdueMinor?: string;
  @ApiPropertyOptional({ example: '50000000', description: 'overdue below this many minor units' })
  @IsOptional()
  @Matches(/^\d{1,18}$/)
  maxOverdueMinor?: string;
}

export class SetAssignmentRulesDto {
  @ApiProperty({ type: [AssignmentRuleDto], description: 'the first rule that matches a customer decides its collector' })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AssignmentRuleDto)
  rules!: AssignmentRuleDto[];

  @ApiProperty({ example: ['bert', 'carl'], description: 'customers no rule takes go to the least-loaded of these' })
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @Matches(COLLECTOR, { each: true })
  roundRobin!: string[];
}

export class ReassignDto {
  @ApiProperty({ example: 'carl' }) @Matches(COLLECTOR) collector!: string;
}

export class LogActivityDto {
  @ApiProperty({ enum: ACTIVITY_KINDS, example: 'call' }) @IsIn(ACTIVITY_KINDS) kind!: ActivityKind;
  @ApiProperty({ example: 'reached AP clerk: payment run on Friday' }) @IsString() @IsNotEmpty() @MaxLength(500) outcome!: string;
  @ApiPropertyOptional({ example: 'asked for a copy of INV-2026-000042' }) @IsOptional() @IsString() @MaxLength(4000) note?: string;
  @ApiPropertyOptional({ example: '2026-04-24', description: 'when to follow up (shown among the next actions from that day)' })
  @IsOptional()
  @IsBusinessDate()
  nextActionOn?: string;
}

export class WorklistQuery {
  @ApiPropertyOptional({ example: 'anna', description: "one collector's cases; every case when absent" })
  @IsOptional()
  @Matches(COLLECTOR)
  collector?: string;
  @ApiPropertyOptional({ example: '2026-04-16', description: 'default: the open business day' })
  @IsOptional()
  @IsBusinessDate()
  on?: string;
  @ApiPropertyOptional({ example: 100, description: '1–1000, default 100' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class KpiQuery {
  @ApiProperty({ example: '2026-04-01' }) @IsBusinessDate() from!: string;
  @ApiProperty({ example: '2026-04-30' }) @IsBusinessDate() to!: string;
}
