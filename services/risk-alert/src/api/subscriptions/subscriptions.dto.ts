import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ALERT_SEVERITIES, ALERT_SUBJECT_KINDS, type AlertSeverity, type AlertSubject } from '@arc/contracts';
import { RULE_ID_PATTERN } from '../alert-rules/alert-rules.dto';

export class ScopeDto {
  @ApiProperty({ enum: ALERT_SUBJECT_KINDS, example: 'business-unit' }) @IsIn(ALERT_SUBJECT_KINDS) kind!: AlertSubject['kind'];
  @ApiPropertyOptional({ example: 'EMEA', description: 'one subject of that kind; absent: every subject of the kind' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  key?: string;
}

export class CreateSubscriptionDto {
  @ApiPropertyOptional({ example: 'collections-emea-critical', description: 'default: the Idempotency-Key or a new UUID' })
  @IsOptional()
  @Matches(RULE_ID_PATTERN)
  subscriptionId?: string;
  @ApiProperty({ example: 'collections', description: 'the receiving department (lower-case letters, digits, -)' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/)
  department!: string;
  @ApiProperty({ example: 'https://hooks.example.com/arc/alerts' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(2000)
  url!: string;
  @ApiProperty({
    example: 'a-shared-secret-of-32-characters',
    description: 'HMAC-SHA256 key of X-ARC-Signature (16–200 characters); never answered back',
  })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret!: string;
  @ApiPropertyOptional({ example: ['utilisation'], description: 'the rules followed; absent: every rule' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(RULE_ID_PATTERN, { each: true })
  ruleIds?: string[];
  @ApiPropertyOptional({ enum: ALERT_SEVERITIES, example: 'warning', description: 'the lowest severity delivered (default info)' })
  @IsOptional()
  @IsIn(ALERT_SEVERITIES)
  minSeverity?: AlertSeverity;
  @ApiPropertyOptional({ type: ScopeDto, description: 'which subjects; absent: all' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScopeDto)
  scope?: ScopeDto;
}
