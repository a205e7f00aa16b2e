import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { FX_RATE_PATTERN, FX_RATE_SOURCES } from '@arc/contracts';
import { IsBusinessDate } from '@arc/platform';

const CURRENCY = /^[A-Z]{3}$/;

export class RecordFxRateDto {
  @ApiProperty({ example: 'USD', description: 'ISO 4217 code: 1 unit of base = rate units of quote' })
  @Matches(CURRENCY, { message: 'base must be an ISO 4217 code like USD' })
  base!: string;
  @ApiProperty({ example: 'EUR' }) @Matches(CURRENCY, { message: 'quote must be an ISO 4217 code like EUR' }) quote!: string;
  @ApiProperty({ example: '2026-01-15', description: 'the business date the rate applies to (invoices issued that day convert with it)' })
  @IsBusinessDate()
  rateDate!: string;
  @ApiProperty({
    example: '0.9234',
    description: 'a positive decimal as a string (at most 12 integer and 10 fraction digits), never a JSON number',
  })
  @Matches(FX_RATE_PATTERN, { message: 'rate must be a positive decimal string like "1.0845"' })
  rate!: string;
  @ApiPropertyOptional({ enum: FX_RATE_SOURCES, default: 'manual', description: 'set by hand or imported from a rate feed' })
  @IsOptional()
  @IsIn(FX_RATE_SOURCES)
  source?: (typeof FX_RATE_SOURCES)[number];
}

export interface FxRateResponse {
  base: string;
  quote: string;
  rateDate: string;
  rate: string;
}

export interface FxRatesResponse {
  base: string;
  quote: string;
  /** Every recorded rate of the pair, by business date (oldest first). */
  rates: Array<{ rateDate: string; rate: string }>;
}
