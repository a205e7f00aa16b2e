import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsBusinessDate, IsMoney, MoneyBody } from '@arc/platform';

export class InstalmentDto {
  @ApiProperty({ example: '2026-04-20' }) @IsBusinessDate() dueOn!: string;
  @ApiProperty({ type: MoneyBody, example: { amountMinor: '500000', currency: 'EUR' } }) @IsMoney() amount!: MoneyBody;
}

class ArrangementTermsDto {
  @ApiPropertyOptional({ example: 2, description: 'days after each date before it counts as missed (default 0)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60)
  graceDays?: number;

  @ApiPropertyOptional({
    type: MoneyBody,
    example: { amountMinor: '1000', currency: 'EUR' },
    description: 'a shortfall up to this still counts as kept (default zero)',
  })
  @IsOptional()
  @IsMoney()
  tolerance?: MoneyBody;

  @ApiPropertyOptional({ example: 'promised by phone, confirmed by e-mail' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class MakePromiseDto extends ArrangementTermsDto {
  @ApiProperty({ type: [InstalmentDto], description: 'one date, or a few (at most 12), with the amount promised for each' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => InstalmentDto)
  payments!: InstalmentDto[];

  @ApiPropertyOptional({
    example: ['7f3c2a1e-4b5d-4c6e-8f90-123456789abc'],
    description: 'the invoices the promise covers (kept out of dunning while it holds); default every open item',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  invoiceIds?: string[];
}

export class AgreePlanDto extends ArrangementTermsDto {
  @ApiProperty({
    type: [InstalmentDto],
    example: [
      { dueOn: '2026-05-10', amount: { amountMinor: '100000', currency: 'EUR' } },
      { dueOn: '2026-06-10', amount: { amountMinor: '100000', currency: 'EUR' } },
      { dueOn: '2026-07-10', amount: { amountMinor: '100000', currency: 'EUR' } },
    ],
  })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(120)
  @ValidateNested({ each: true })
  @Type(() => InstalmentDto)
  instalments!: InstalmentDto[];

  @ApiPropertyOptional({ example: 500, description: 'yearly interest in basis points included in the instalments (default 0)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  interestBasisPoints?: number;
}
