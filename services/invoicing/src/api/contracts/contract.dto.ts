import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsBusinessDate, IsMoney, MoneyBody } from '@arc/platform';
import { DISPUTE_RESOLUTION_METHODS } from '../../domain/contract.decider';

export class InstalmentDto {
  @ApiProperty({ example: 30 }) @IsInt() @Min(0) @Max(3660) dueAfterDays!: number;
  @ApiProperty({ example: 3334, description: 'share of the total in basis points; the shares add up to 10000' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  shareBasisPoints!: number;
}

export class PaymentTermsDto {
  @ApiProperty({ enum: ['net', 'end-of-month', 'instalments'], example: 'net' })
  @IsIn(['net', 'end-of-month', 'instalments'])
  kind!: 'net' | 'end-of-month' | 'instalments';
  @ApiPropertyOptional({ example: 30, description: "kind 'net': days after the issue date" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3660)
  netDays?: number;
  @ApiPropertyOptional({ example: 30, description: "kind 'end-of-month': days after the last day of the issue month" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3660)
  daysAfter?: number;
  @ApiPropertyOptional({
    type: InstalmentDto,
    isArray: true,
    example: [
      { dueAfterDays: 30, shareBasisPoints: 3333 },
      { dueAfterDays: 60, shareBasisPoints: 3333 },
      { dueAfterDays: 90, shareBasisPoints: 3334 },
    ],
    description: "kind 'instalments'",
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => InstalmentDto)
  instalments?: InstalmentDto[];
}

export class DiscountDto {
  @ApiProperty({ example: 200, description: '200 = 2 %' }) @IsInt() @Min(1) @Max(10_000) basisPoints!: number;
  @ApiProperty({ example: 10 }) @IsInt() @Min(0) @Max(3660) withinDays!: number;
}

export class LateInterestDto {
  @ApiProperty({ enum: ['fixed', 'reference-plus-margin'], example: 'reference-plus-margin' })
  @IsIn(['fixed', 'reference-plus-margin'])
  kind!: 'fixed' | 'reference-plus-margin';
  @ApiPropertyOptional({ example: 1000, description: "kind 'fixed': the annual rate in basis points" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  annualRateBasisPoints?: number;
  @ApiPropertyOptional({ example: 900, description: "kind 'reference-plus-margin': points over the reference rate in force each day" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  marginBasisPoints?: number;
}

export class DisputeClauseDto {
  @ApiProperty({ enum: DISPUTE_RESOLUTION_METHODS, example: 'arbitration' })
  @IsIn(DISPUTE_RESOLUTION_METHODS)
  method!: (typeof DISPUTE_RESOLUTION_METHODS)[number];
  @ApiProperty({ example: 'DIS, Frankfurt am Main' }) @IsString() @IsNotEmpty() @MaxLength(500) venue!: string;
  @ApiPropertyOptional({ example: 'German law' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) governingLaw?: string;
}

export class AgreeContractDto {
  @ApiPropertyOptional({
    format: 'uuid',
    example: 'c0c0c0c0-0000-4000-8000-000000000001',
    description: 'chosen by the caller, or generated',
  })
  @IsOptional()
  @IsUUID()
  contractId?: string;
  @ApiProperty({ format: 'uuid', example: 'c0ffee00-0000-4000-8000-000000000001' }) @IsUUID() customerId!: string;
  @ApiProperty({ example: 'MSA-2026-014' }) @IsString() @IsNotEmpty() @MaxLength(100) reference!: string;
  @ApiProperty({ example: '2026-01-02' }) @IsBusinessDate() signedOn!: string;
  @ApiProperty({ type: PaymentTermsDto, example: { kind: 'net', netDays: 30 } })
  @ValidateNested()
  @Type(() => PaymentTermsDto)
  paymentTerms!: PaymentTermsDto;
  @ApiPropertyOptional({ type: DiscountDto, nullable: true, example: { basisPoints: 200, withinDays: 10 } })
  @IsOptional()
  @ValidateNested()
  @Type(() => DiscountDto)
  earlyPaymentDiscount?: DiscountDto | null;
  @ApiPropertyOptional({ type: LateInterestDto, nullable: true, example: { kind: 'reference-plus-margin', marginBasisPoints: 900 } })
  @IsOptional()
  @ValidateNested()
  @Type(() => LateInterestDto)
  lateInterest?: LateInterestDto | null;
  @ApiPropertyOptional({
    type: MoneyBody,
    nullable: true,
    example: { amountMinor: '4000', currency: 'EUR' },
    description: 'fixed compensation per late invoice (EUR 40 under 2011/7/EU), charged once with its first interest',
  })
  @IsOptional()
  @IsMoney()
  fixedCompensation?: MoneyBody | null;
  @ApiPropertyOptional({
    enum: ['month-end', 'on-settlement'],
    example: 'month-end',
    description: 'when accrued interest is charged; default month-end',
  })
  @IsOptional()
  @IsIn(['month-end', 'on-settlement'])
  interestCharging?: 'month-end' | 'on-settlement';
  @ApiProperty({ type: DisputeClauseDto, example: { method: 'arbitration', venue: 'DIS, Frankfurt am Main', governingLaw: 'German law' } })
  @ValidateNested()
  @Type(() => DisputeClauseDto)
  disputeResolution!: DisputeClauseDto;
  @ApiPropertyOptional({ type: [String], example: ['dms:contracts/MSA-2026-014.pdf'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(500, { each: true })
  evidenceRefs?: string[];
}

export class SetReferenceRateDto {
  @ApiProperty({ example: '2028-03-01' }) @IsBusinessDate() effectiveFrom!: string;
  @ApiProperty({ example: 200, description: 'the rate in basis points (200 = 2.00 %); may be negative' })
  @IsInt()
  @Min(-10_000)
  @Max(100_000)
  basisPoints!: number;
  @ApiPropertyOptional({ example: 'ECB main refinancing operations' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name?: string;
}
