import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { CREDIT_CHECKPOINTS, type CreditCheckpoint } from '@arc/contracts';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { IsBusinessDate, IsMoney, MoneyBody } from '@arc/platform';

/** The caller is the one who authorises (their token's subject and approval level are recorded). */
export class CreditOverrideDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class CheckCreditDto {
  @ApiProperty({
    format: 'uuid',
    description:
      "chosen by the caller; names the check in either outcome (the reservation id when it passes, CreditCheckFailed's checkId when it fails); repeating it repeats nothing",
  })
  @IsUUID()
  checkId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) orderReference!: string;
  @ApiProperty({ type: MoneyBody }) @IsMoney() orderAmount!: MoneyBody;
  @ApiPropertyOptional({
    example: '2026-11-22',
    description: 'the open business day the order is checked on (required unless the deprecated businessDate is sent)',
  })
  @ValidateIf((dto: CheckCreditDto) => dto.businessDate === undefined)
  @IsBusinessDate()
  openDay?: string;
  @ApiPropertyOptional({
    example: '2026-11-22',
    deprecated: true,
    description: 'deprecated, the old name of openDay, accepted for one more release; openDay wins when both are sent',
  })
  @IsOptional()
  @IsBusinessDate()
  businessDate?: string;
  @ApiPropertyOptional({
    enum: CREDIT_CHECKPOINTS,
    default: 'order',
    example: 'delivery',
    description: 'where in order-to-cash the check is made (order, delivery, invoice); recorded on the outcome',
  })
  @IsOptional()
  @IsIn(CREDIT_CHECKPOINTS)
  checkpoint?: CreditCheckpoint;
  @ApiPropertyOptional({
    type: CreditOverrideDto,
    description: 'finance with an approval level only: pass beyond the limit (never past a hold); recorded as authorised by the caller',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CreditOverrideDto)
  override?: CreditOverrideDto;
}

export interface CreditCheckResponse {
  /** The request's checkId, passed or failed: the reservation id, or the checkId of `CreditCheckFailed`. */
  checkId: string;
  passed: boolean;
  /** Where the check was made (as recorded). */
  checkpoint: CreditCheckpoint;
  /** Why it failed: `limit-exceeded`, `customer-on-hold`, `no-credit-policy` or `group-limit-exceeded`. */
  reason?: string;
  /** Open AR + open reservations after the decision (including this reservation when it passed). */
  exposure: { amountMinor: string; currency: string };
  limit: { amountMinor: string; currency: string } | null;
  /** exposure / limit in basis points; null without a policy or with a zero limit. */
  utilisationBasisPoints: number | null;
}
