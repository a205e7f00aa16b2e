import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, Matches, ValidateNested } from 'class-validator';
import { AlertRuleBodyDto, RULE_ID_PATTERN } from '../alert-rules/alert-rules.dto';

export class BacktestRuleDto extends AlertRuleBodyDto {
  @ApiProperty({ example: 'ninety-plus-above-10k' }) @Matches(RULE_ID_PATTERN) ruleId!: string;
}

export class RunBacktestDto {
  @ApiProperty({ example: '2026-02-01', description: 'first business date evaluated (the change events’ asOf)' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  from!: string;
  @ApiProperty({ example: '2026-04-30', description: 'last business date evaluated (inclusive)' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  to!: string;
  @ApiProperty({
    type: [BacktestRuleDto],
    description: 'the proposed rules (as POST /alert-rules takes them, with a ruleId each); nothing is defined',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => BacktestRuleDto)
  rules!: BacktestRuleDto[];
}
