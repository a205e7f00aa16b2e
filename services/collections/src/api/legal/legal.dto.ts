import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsBusinessDate, IsMoney, MoneyBody } from '@arc/platform';
import { LEGAL_OUTCOMES, type LegalOutcome } from '../../domain';

export class HandOverDto {
  @ApiProperty({ example: 'no payment after the demand letter and the credit hold' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class LawyerLetterDto {
  @ApiProperty({ example: 'Kanzlei Weber & Partner' }) @IsString() @IsNotEmpty() @MaxLength(200) lawyer!: string;
  @ApiPropertyOptional({ example: 'payment within 14 days or proceedings' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class AssignAgencyDto {
  @ApiProperty({ example: 'Creditreform Berlin' }) @IsString() @IsNotEmpty() @MaxLength(200) agency!: string;
  @ApiProperty({ example: 1500, description: "the agency's fee in basis points of what it recovers (1500 = 15 %)" })
  @IsInt()
  @Min(0)
  @Max(10000)
  feeBasisPoints!: number;
}

export class RecallAgencyDto {
  @ApiProperty({ example: 'no progress after 90 days' }) @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export const PROCEEDING_KINDS = ['arbitration', 'litigation'] as const;

export class StartProceedingsDto {
  @ApiProperty({ enum: PROCEEDING_KINDS, example: 'litigation' }) @IsIn(PROCEEDING_KINDS) kind!: (typeof PROCEEDING_KINDS)[number];
  @ApiProperty({ example: 'Landgericht Berlin' }) @IsString() @IsNotEmpty() @MaxLength(200) court!: string;
  @ApiProperty({ example: '12 O 345/26' }) @IsString() @IsNotEmpty() @MaxLength(100) caseNumber!: string;
  @ApiProperty({ type: MoneyBody, example: { amountMinor: '1000000', currency: 'EUR' } }) @IsMoney() claim!: MoneyBody;
  @ApiProperty({ type: MoneyBody, example: { amountMinor: '85000', currency: 'EUR' } }) @IsMoney() costs!: MoneyBody;
}

export const JUDGMENTS = ['won', 'partly-won', 'lost'] as const;

export class RecordJudgmentDto {
  @ApiProperty({ enum: JUDGMENTS, example: 'won' }) @IsIn(JUDGMENTS) judgment!: (typeof JUDGMENTS)[number];
  @ApiProperty({ type: MoneyBody, example: { amountMinor: '1085000', currency: 'EUR' } }) @IsMoney() awarded!: MoneyBody;
  @ApiPropertyOptional({ example: 'enforceable immediately' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class AcknowledgeDebtDto {
  @ApiProperty({ example: '2026-05-20', description: 'the date of the acknowledgement (a letter, a part payment)' })
  @IsBusinessDate()
  acknowledgedOn!: string;
}

export class CloseLegalCaseDto {
  @ApiProperty({ enum: LEGAL_OUTCOMES, example: 'settled' }) @IsIn(LEGAL_OUTCOMES) outcome!: LegalOutcome;
  @ApiProperty({ type: MoneyBody, example: { amountMinor: '800000', currency: 'EUR' } }) @IsMoney() recovered!: MoneyBody;
  @ApiPropertyOptional({ example: 'settled at 80 % in court' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}
